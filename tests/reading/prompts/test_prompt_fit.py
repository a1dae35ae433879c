"""The question fits the sentence it is put to: a moment is asked of an event, a claim of a
general statement, a portrait as the narrator presents it, the text's own question as the
text treats it, and a preface as a frame rather than a story."""

from __future__ import annotations

import pytest

from bot.reading.prompts import TextKind, generate_prompts
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
        ("fr", "On ne garde bien que ce qu'on a gagné soi-même, et le reste s'en va."),
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
        ("en", "The miller threw down his sack and ran out of the yard."),
        ("en", "She opened the letter and laughed."),
        ("fr", "Il ouvrit la porte et sortit dans la rue sans un mot."),
        ("de", "Er öffnete das Fenster und sprang hinaus in den Garten."),
        ("it", "Lucia prese la penna e scrisse il nome sulla busta."),
        ("es", "Anselmo se levantó despacio y salió al patio."),
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
        ("de", "Die Küche war eng und roch immer nach frischem Brot."),
        ("pt", "A aldeia era pobre, mas as janelas tinham sempre flores."),
    ],
)
def test_a_portrait_is_a_description(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == DESCRIPTION


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "If the rain kept on, the old bridge would surely wash away."),
        ("de", "Wenn der Regen anhielt, blieb die Brücke vermutlich nicht stehen."),
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
    sentence = "La seguía el perro con la paciencia de quien espera siempre su comida."
    assert statement_class(sentence, lexicon_for("es")) != GENERAL


def test_a_statement_about_oneself_is_no_general_statement() -> None:
    sentence = "Apenas hay en el barrio quien comprenda mi afición a las cometas."
    assert statement_class(sentence, lexicon_for("es")) != GENERAL


def _question(text: str, language: str = "en") -> frozenset[str]:
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    asked = next(s for s in parsed.sentences if is_question(s.text))
    return question_class(asked, parsed)


def test_a_question_the_next_sentence_answers_is_answered() -> None:
    text = "Had the baker forgotten the bread? No, the loaves were waiting on the step."
    assert ANSWERED in _question(text)


def test_a_question_ending_its_paragraph_is_open() -> None:
    text = (
        "The river ran on past the mill as it always had.\n\n"
        "What does a life owe to the place it began in?"
    )
    assert _question(text) == frozenset({OPEN})


def test_a_character_s_question_is_spoken() -> None:
    assert SPOKEN in _question("“My dear Nell,” cried Tom, “where are you going so early?”")


def test_a_german_question_answered_in_its_paragraph_is_answered() -> None:
    text = "Sollte der Laden schon zu sein? Nein, das Licht brannte noch und die Tür stand offen."
    assert ANSWERED in _question(text, "de")


# Frames


PREFACE_EN = (
    "Preface\n\n"
    "These papers came to me in a bundle from an old friend, and I publish them as I found "
    "them. The reader will judge whether the letters are true."
)
FRAME_ES = (
    "Encontré en la buhardilla de mi abuela un manuscrito de recetas y consejos escrito con "
    "su letra menuda. Lo publico tal como estaba.\n\n"
    "El epígrafe, en latín, no lo entiende nadie de la familia."
)
STORY_EN = (
    "The tailor had been sewing without a pause since dawn, finishing a wedding coat.\n\n"
    "Then he dropped his needle and walked out into the market square."
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
    prompts = generate_prompts(text, language=language, kind=TextKind.STORY).prompts
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
    prompts = generate_prompts(text, language=language, kind=TextKind.STORY).prompts
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
    prompts = generate_prompts(text, language="en", kind=TextKind.STORY).prompts
    for prompt in prompts:
        if prompt.quote and prompt.quote.startswith("Would the letter"):
            assert short_id(prompt.template) != "question.evaluative.story", prompt.text


def test_a_tagged_question_in_a_story_names_who_asks_it() -> None:
    lexicon = lexicon_for("en")
    text = (
        "Nell tied the cart to the gate of the farm.\n\n"
        "“My dear Nell,” cried the Tinker, “what have you hidden in that sack?”"
    )
    parsed = parse_section(text, lexicon)
    asked = [
        m for m in detect_kind_moves(parsed, lexicon, TextKind.STORY, {}) if m.move == "question"
    ]
    assert asked
    assert asked[0].slots.get("speaker") == "the Tinker"


def test_a_portrait_of_one_character_names_them() -> None:
    text = (
        "The village was quiet that winter, and the snow lay deep in the lanes.\n\n"
        "Marta was a small, sharp woman with quick hands and a harsh voice.\n\n"
        "Everyone in the village knew Marta, and nobody ever crossed her path twice."
    )
    prompts = generate_prompts(text, language="en", kind=TextKind.STORY).prompts
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
        ("de", "Mit einer Laterne, dachte sie, hätte sie den Weg gefunden."),
        ("en", "With a lantern, she thought, she would have found the path."),
        ("es", "Cualquier vecino prudente hubiera guardado ese dinero."),
    ],
)
def test_a_conditional_is_a_supposition_not_an_event(language: str, sentence: str) -> None:
    assert statement_class(sentence, lexicon_for(language)) == PLAN


def test_a_story_speaker_is_named_without_the_words_around_the_name() -> None:
    lexicon = lexicon_for("en")
    text = (
        "The ferry bumped against the pier.\n\n"
        "“My brother never pays for his crossing!” said the tired Ferryman, quietly."
    )
    parsed = parse_section(text, lexicon)
    speeches = [
        m for m in detect_kind_moves(parsed, lexicon, TextKind.STORY, {}) if m.move == "speech"
    ]
    assert all(m.slots["speaker"] != "the tired Ferryman" for m in speeches)


def test_a_spanish_speech_tag_names_the_speaker_alone() -> None:
    lexicon = lexicon_for("es")
    text = (
        "El camino bajaba hacia el río.\n\n"
        "-Ya le dije que este camino no tenía salida -dijo Anselmo con buen humor."
    )
    parsed = parse_section(text, lexicon)
    moves = detect_kind_moves(parsed, lexicon, TextKind.STORY, {})
    assert any(m.slots.get("speaker") == "Anselmo" for m in moves), [m.slots for m in moves]


def test_a_reported_saying_is_not_an_event() -> None:
    sentence = "Disse um velho pescador que o mar calmo não é de confiança."
    assert statement_class(sentence, lexicon_for("pt")) != EVENT


@pytest.mark.parametrize(
    ("language", "line", "dateline"),
    [
        ("de", "Heidelberg im Mai 1890.", True),
        ("fr", "Lyon, le 12 avril 1851", True),
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
        ("es", "Querida prima y buena amiga: llegué anoche sin ningún percance a la ciudad."),
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
    line = "“My dear Nell,” said Tom, “I have never been happier in my life.”"
    assert statement_class(line, lexicon_for("en")) != GREETING


def test_a_soliloquy_is_not_answered_back() -> None:
    text = (
        "TERESA\nEvery sailor who walks into this tavern swears he will love me for ever.\n\n"
        "TERESA\nI pour their wine kindly, but I never believe a word any of them says.\n\n"
        "TERESA\nThe captain promises me a ship, and the mate promises me the sea.\n\n"
        "TERESA\nNeither of them will keep his promise, and I shall keep my freedom."
    )
    prompts = generate_prompts(text, language="en", kind=TextKind.DRAMA).prompts
    assert prompts
    assert all(short_id(p.template) != "speech.evaluative.play" for p in prompts), [
        p.text for p in prompts
    ]
