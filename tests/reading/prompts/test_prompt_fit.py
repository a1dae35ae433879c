"""The question fits the sentence it is put to: a moment is asked of an event, a claim of a
general statement, a portrait as the narrator presents it, the text's own question as the
text treats it, and a preface as a frame rather than a story."""

from __future__ import annotations

import pytest

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.kind_moves import detect_kind_moves
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import (
    ANSWERED,
    DESCRIPTION,
    EVENT,
    GENERAL,
    GREETING,
    OPEN,
    PLAN,
    SPOKEN,
    is_dateline,
    is_frame,
    is_question,
    question_class,
    statement_class,
)
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ["en", "it", "es", "fr", "de", "pt"]
# Templates that ask about a lived moment: what happened around it, being there oneself.
MOMENT_TEMPLATES = {
    "central.factual.story",
    "central.interpretive.story",
    "central.interpretive.story.person",
    "central.evaluative.story",
    "central.evaluative.scene",
}


def short_id(template_id: str) -> str:
    return template_id.split(".", 1)[1]


# What a sentence is


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "One must never trust a smiling innkeeper with a heavy purse."),
        ("en", "Whoever waits for the perfect moment waits for ever."),
        ("fr", "On ne voit bien qu'avec le cœur, et les yeux se trompent souvent."),
        ("de", "Man muss das Leben nehmen, wie es eben kommt."),
        ("it", "Chi va piano va sano e va lontano."),
        ("es", "Quien mucho abarca poco aprieta."),
        ("pt", "Quem espera sempre alcança o que deseja."),
    ],
)
def test_a_maxim_is_a_general_statement(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == GENERAL


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The Mole threw down his brush and ran out of the house."),
        ("en", "She opened the letter and laughed."),
        ("fr", "Il ouvrit la porte et sortit dans la rue sans un mot."),
        ("de", "Er öffnete das Fenster und sprang hinaus in den Garten."),
        ("it", "Zeno prese la penna e scrisse la data sul quaderno."),
        ("es", "Golfín se levantó despacio y salió al camino."),
        ("pt", "O barqueiro olhou para o rio e partiu sem dizer nada."),
    ],
)
def test_a_past_action_is_an_event(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == EVENT


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "He was a tall man with a grey beard and a slow voice."),
        ("fr", "Il était grand, maigre, et avait le visage pâle d'un malade."),
        ("it", "Era un uomo alto, con la barba grigia e la voce lenta."),
        ("es", "Era un hombre alto, de barba gris y voz pausada."),
        ("de", "Sein Zimmer war klein und lag still zwischen vier Wänden."),
        ("pt", "A vila era pequena, mas as casas tinham ar de conforto."),
    ],
)
def test_a_portrait_is_a_description(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == DESCRIPTION


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "If he rolled to the left, he would surely fall off the bed."),
        ("de", "Wenn er sich fallen ließ, blieb der Kopf vermutlich unverletzt."),
        ("fr", "Si elle partait ce soir, personne ne la reverrait jamais."),
        ("it", "Se fosse partito subito, sarebbe arrivato prima di notte."),
    ],
)
def test_a_plan_or_supposition_is_not_an_event(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == PLAN


def test_a_character_s_line_is_no_general_statement() -> None:
    line = "“Nobody ever listens to a word I say,” said Anna."
    assert statement_class(line, lexicon_for("en")) != GENERAL


def test_a_relative_who_is_no_generic_subject() -> None:
    sentence = "Lo seguía el ciego con la calma de quien vive siempre en la oscuridad."
    assert statement_class(sentence, lexicon_for("es")) != GENERAL


def test_a_statement_about_oneself_is_no_general_statement() -> None:
    sentence = "Apenas hay aquí quien entienda mi deseo de marcharme."
    assert statement_class(sentence, lexicon_for("es")) != GENERAL


def _question(text: str, language: str = "en") -> frozenset[str]:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    asked = next(s for s in parsed.sentences if is_question(s.text))
    return question_class(asked, parsed)


def test_a_question_the_next_sentence_answers_is_answered() -> None:
    text = "Had the alarm clock not rung? It had rung, surely, and he had slept through it."
    assert ANSWERED in _question(text)


def test_a_question_ending_its_paragraph_is_open() -> None:
    text = (
        "The river ran on past the mill as it always had.\n\n"
        "What does a life owe to the place it began in?"
    )
    assert _question(text) == frozenset({OPEN})


def test_a_character_s_question_is_spoken() -> None:
    assert SPOKEN in _question("“My dear Rat,” cried the Mole, “where are you going so early?”")


def test_a_german_question_answered_in_its_paragraph_is_answered() -> None:
    text = "Sollte der Zug schon fort sein? Nein, er stand noch am Bahnsteig und wartete."
    assert ANSWERED in _question(text, "de")


# Frames


PREFACE_EN = (
    "Preface\n\n"
    "These papers came to me in a bundle from an old friend, and I publish them as I found "
    "them. The reader will judge whether the letters are true."
)
FRAME_ES = (
    "El señor cura dejó entre sus papeles un legajo de cartas, que ha venido a dar en mis "
    "manos. Las publico sin mudar nada.\n\n"
    "El rótulo del legajo dice poco, pero el estilo lo dice todo."
)
STORY_EN = (
    "The Mole had been working very hard all morning, cleaning his little house.\n\n"
    "Then he threw down his brush and ran out into the sunlight."
)


def test_a_preface_heading_marks_a_frame() -> None:
    lexicon = lexicon_for("en")
    assert is_frame(parse_section(PREFACE_EN, lexicon), lexicon)


def test_an_editor_s_found_papers_mark_a_frame() -> None:
    lexicon = lexicon_for("es")
    assert is_frame(parse_section(FRAME_ES, lexicon), lexicon)


def test_a_story_s_opening_is_no_frame() -> None:
    lexicon = lexicon_for("en")
    assert not is_frame(parse_section(STORY_EN, lexicon), lexicon)


@pytest.mark.parametrize(("language", "text"), [("en", PREFACE_EN), ("es", FRAME_ES)])
def test_a_preface_is_asked_about_as_a_frame_not_a_story(language: str, text: str) -> None:
    prompts = generate_prompts(text, language=language, kind="story").prompts
    assert prompts
    templates = {short_id(p.template) for p in prompts}
    assert not any(t.endswith((".story", ".scene", ".narrator")) for t in templates), templates
    assert any(t.endswith(".frame") for t in templates), templates


# Templates chosen for what the sentence is

MAXIM_STORY = {
    "en": (
        "The innkeeper counted the coins twice and smiled at the stranger.\n\n"
        "One must never trust a smiling innkeeper with a heavy purse.\n\n"
        "The stranger took his key, climbed the stairs and locked the door behind him."
    ),
    "fr": (
        "L'aubergiste compta deux fois les pièces et sourit à l'étranger.\n\n"
        "On ne doit jamais se fier à un aubergiste qui sourit devant une bourse pleine.\n\n"
        "L'étranger prit sa clef, monta l'escalier et ferma la porte derrière lui."
    ),
    "it": (
        "L'oste contò due volte le monete e sorrise al forestiero.\n\n"
        "Chi si fida di un oste che sorride davanti a una borsa piena se ne pente sempre.\n\n"
        "Il forestiero prese la chiave, salì le scale e chiuse la porta dietro di sé."
    ),
}


@pytest.mark.parametrize("language", sorted(MAXIM_STORY))
def test_a_maxim_gets_a_claim_question_not_a_moment(language: str) -> None:
    text = MAXIM_STORY[language]
    maxim = text.split("\n\n")[1]
    prompts = generate_prompts(text, language=language, kind="story").prompts
    on_maxim = [p for p in prompts if p.quote and p.quote in maxim]
    assert on_maxim, [p.text for p in prompts]
    for prompt in on_maxim:
        assert short_id(prompt.template) not in MOMENT_TEMPLATES, prompt.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_moment_questions_are_asked_only_of_events(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    for template in templates.templates:
        if short_id(template.id) in MOMENT_TEMPLATES:
            assert EVENT in template.needs, template.id


@pytest.mark.parametrize("language", LANGUAGES)
def test_only_an_open_question_is_put_to_the_group(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    put = [t for t in templates.templates if short_id(t.id) == "question.evaluative.story"]
    assert put
    assert all(OPEN in t.needs for t in put)


def test_a_question_the_text_answers_is_not_put_to_the_group() -> None:
    text = (
        "Anna sat by the window all afternoon, waiting for the post.\n\n"
        "Would the letter come today? It came at four, in her brother's hand, and she read "
        "it twice before she dared to open the second page.\n\n"
        "She folded it, put it in her pocket and went down to the kitchen."
    )
    prompts = generate_prompts(text, language="en", kind="story").prompts
    for prompt in prompts:
        if prompt.quote and prompt.quote.startswith("Would the letter"):
            assert short_id(prompt.template) != "question.evaluative.story", prompt.text


def test_a_tagged_question_in_a_story_names_who_asks_it() -> None:
    lexicon = lexicon_for("en")
    text = (
        "The Rat pulled the boat in under the willows.\n\n"
        "“My dear Rat,” cried the Mole, “what is inside that basket of yours?”"
    )
    parsed = parse_section(text, lexicon)
    asked = [m for m in detect_kind_moves(parsed, lexicon, "story", {}) if m.move == "question"]
    assert asked
    assert asked[0].slots.get("speaker") == "the Mole"


def test_a_portrait_of_one_character_names_them() -> None:
    text = (
        "The village was quiet that winter, and the snow lay deep in the lanes.\n\n"
        "Marta was a small, sharp woman with quick hands and a harsh voice.\n\n"
        "Everyone in the village knew Marta, and nobody ever crossed her path twice."
    )
    prompts = generate_prompts(text, language="en", kind="story").prompts
    on_portrait = [p for p in prompts if p.quote and p.quote.startswith("Marta was")]
    assert on_portrait, [p.text for p in prompts]
    assert all("the people in it" not in p.text for p in prompts)
    assert any("Marta" in p.text.split("”")[-1] for p in on_portrait), [p.text for p in on_portrait]


# Wording a native teacher would not use

STILTED = {
    "en": ["the one who makes it", "the one who asks it", "the people in it", "found yourself"],
    "de": ["wie stark ist die Verbindung", "ohne es", "Der Text besteht darauf"],
    "it": ["Quale risposta riceve la domanda", "in un momento simile"],
    "pt": ["num momento assim", "para quem a faz"],
    "es": ["en un momento así", "para quien la toma"],
    "fr": ["dans un moment semblable", "pour celui qui le fait"],
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_templates_avoid_wording_that_reads_as_translated(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    for template in templates.templates:
        for phrase in STILTED[language]:
            assert phrase not in template.text, (template.id, phrase)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("de", "Zwei starke Leute, dachte er, hätten vollständig genügt."),
        ("en", "Two strong men, he thought, would have been enough to lift him."),
        ("es", "Cualquier persona sensata hubiera vivido con esas rentas."),
    ],
)
def test_a_conditional_is_a_supposition_not_an_event(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == PLAN


def test_a_story_speaker_is_named_without_the_words_around_the_name() -> None:
    lexicon = lexicon_for("en")
    text = (
        "The boat drifted under the bank.\n\n"
        "“That is just the sort of fellow he is!” said the disappointed Rat, sadly."
    )
    parsed = parse_section(text, lexicon)
    speeches = [m for m in detect_kind_moves(parsed, lexicon, "story", {}) if m.move == "speech"]
    assert all(m.slots["speaker"] != "the disappointed Rat" for m in speeches)


def test_a_spanish_speech_tag_names_the_speaker_alone() -> None:
    lexicon = lexicon_for("es")
    text = (
        "El camino bajaba hacia el río.\n\n"
        "-Pues a fe mía que ha sido floja mi equivocación -dijo Golfín con buen humor."
    )
    parsed = parse_section(text, lexicon)
    moves = detect_kind_moves(parsed, lexicon, "story", {})
    assert any(m.slots.get("speaker") == "Golfín" for m in moves), [m.slots for m in moves]


def test_a_reported_saying_is_not_an_event() -> None:
    sentence = "Disse um filósofo antigo que a sabedoria antiga não é um sofisma."
    assert statement_class(sentence, lexicon_for("pt")) != EVENT


@pytest.mark.parametrize(
    ("language", "line", "dateline"),
    [
        ("de", "Sils-Maria im Juli 1886.", True),
        ("fr", "Paris, le 3 mars 1844", True),
        ("en", "In 1885 he left the city.", False),
        ("en", "He left the city in 1885.", False),
    ],
)
def test_a_place_and_date_signing_a_preface_is_a_dateline(
    language: str, line: str, dateline: bool
) -> None:
    assert is_dateline(line, lexicon_for(language)) is dateline


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("es", "Querido tío y venerado maestro: llegué ayer con toda felicidad a mi pueblo."),
        ("en", "Dear Anna, I arrived on Tuesday and found the house shut."),
        ("de", "Lieber Freund! Ich kam gestern an und fand das Haus verschlossen."),
        ("it", "Caro amico, arrivai ieri e trovai la casa chiusa."),
    ],
)
def test_a_letter_s_greeting_is_asked_about_as_a_greeting_not_a_moment(
    language: str, sentence: str
) -> None:
    assert statement_class(sentence, lexicon_for(language)) == GREETING


def test_a_character_s_fond_address_is_no_letter_greeting() -> None:
    line = "“My dear Rat,” said the Mole, “I have never been happier in my life.”"
    assert statement_class(line, lexicon_for("en")) != GREETING


def test_a_soliloquy_is_not_answered_back() -> None:
    text = (
        "ROSAURA\nEveryone who comes to this inn falls in love with me within a day.\n\n"
        "ROSAURA\nI deal kindly with all of them, but I never lose my heart to any of them.\n\n"
        "ROSAURA\nThe marquis offers me his protection, and the count offers me his money.\n\n"
        "ROSAURA\nNeither of them will have me, and I would not have either of them."
    )
    prompts = generate_prompts(text, language="en", kind="drama").prompts
    assert prompts
    assert all(short_id(p.template) != "speech.evaluative.play" for p in prompts), [
        p.text for p in prompts
    ]
