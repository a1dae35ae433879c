"""A story told in letters: what the writer tells of herself ("Yo subo cada tarde los
peldaños de la torre") is asked about as the writer's, not what she tells of what is hers ("Mi tío
Andrés repara las redes"); each paragraph offers a sentence of the writer's own, however
plain. Only a section whose first paragraph opens on a greeting is a letter."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import Candidate, language_for, prepare_section
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import Template, templates_for
from bot.reading.prompts.sentence_kinds import (
    LETTER,
    PERSONAL,
    SELF,
    is_greeting,
    is_letter,
    sentence_features,
)
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ("de", "en", "es", "fr", "it", "pt")
GREETING = "Querida hermana: Te escribo desde el faro, con la lámpara encendida y el mar en calma."
BODY = (
    "Yo subo cada tarde los peldaños de la torre con el aceite para la lámpara.\n\n"
    "Mi tío Andrés repara las redes de los pescadores en el muelle del norte.\n\n"
    "Si hace buen tiempo cruzo el sábado en la barca del correo hasta el puerto. Allí me "
    "espera el médico.\n\n"
    "Las casas de la isla son bajas y grises, y huelen a sal y a brea por la noche."
)
LETTER_TEXT = f"{GREETING}\n\n{BODY}"


def _writer_question() -> Template:
    templates = templates_for("es")
    assert templates is not None
    return next(t for t in templates.templates if t.id == "es.central.interpretive.letter")


def _prepared_on(text: str, opening: str) -> list[Candidate]:
    drafted = prepare_section(text, language_for("es"), None, TextKind.STORY)
    return [c for c in drafted.candidates if c.sentence and c.sentence.text.startswith(opening)]


def _asked_as_the_writer_s(text: str, opening: str) -> bool:
    question = _writer_question()
    found = _prepared_on(text, opening)
    assert found
    return any(question.fits(frozenset(c.features), c.slots | {"quote": ""}) for c in found)


def test_a_section_opening_on_a_greeting_holds_a_letter() -> None:
    lexicon = lexicon_for("es")
    assert is_letter(parse_section(LETTER_TEXT, lexicon), lexicon)
    assert not is_letter(parse_section(BODY, lexicon), lexicon)


def test_what_a_letter_s_writer_tells_of_himself_is_asked_as_the_writer_s() -> None:
    assert all(LETTER in c.features for c in _prepared_on(LETTER_TEXT, "Yo subo"))
    assert _asked_as_the_writer_s(LETTER_TEXT, "Yo subo")


def test_the_same_words_outside_a_letter_are_not_asked_as_a_writer_s() -> None:
    assert not any(LETTER in c.features for c in _prepared_on(BODY, "Yo subo"))
    assert not _asked_as_the_writer_s(BODY, "Yo subo")


def test_what_the_writer_tells_of_someone_of_his_is_not_his_own_portrait() -> None:
    # "Mi tío …": the uncle's portrait, though the letter's writer calls him hers.
    assert not _asked_as_the_writer_s(LETTER_TEXT, "Mi tío")


def test_the_writer_himself_is_told_by_his_pronouns_not_his_possessives() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(LETTER_TEXT, lexicon)
    opening = {s.text.split()[0]: s for s in parsed.sentences}
    herself = sentence_features(opening["Yo"], parsed, lexicon)
    hers = sentence_features(opening["Mi"], parsed, lexicon)
    assert SELF in herself
    assert PERSONAL in herself
    assert SELF not in hers
    assert PERSONAL in hers


# A letter longer than the central pool: its paragraphs talk of the island, the boats, the
# nets and the harbour; one short sentence, in a paragraph of its own talk, is the writer's.
LONG_LETTER = (
    f"{GREETING}\n\n"
    "Los barcos de la isla salen del puerto con las redes al alba. Las redes de los barcos "
    "vuelven llenas al puerto de la isla. El puerto de la isla guarda los barcos del norte.\n\n"
    "Los barcos del norte cruzan el puerto con las redes de la isla. Las redes de la isla "
    "secan al sol en el puerto. Yo duermo de día y velo de noche junto a la lámpara.\n\n"
    "Las redes y los barcos llenan el puerto de la isla. El puerto del norte tiene los barcos "
    "de la isla. Los barcos de la isla traen las redes al puerto.\n\n"
    "Los pescadores de la isla hablan de los barcos y de las redes del puerto. La isla "
    "escucha a los pescadores del puerto."
)


def test_each_paragraph_of_a_letter_offers_a_sentence_of_the_writer_s_own() -> None:
    # The most central sentences fill the pool; the writer's own is asked about all the same.
    assert _asked_as_the_writer_s(LONG_LETTER, "Yo duermo")
    # Outside a letter its paragraph offers only its most central sentences.
    assert not _prepared_on(LONG_LETTER.replace(GREETING + "\n\n", ""), "Yo duermo")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_asks_a_letter_s_writer_about_himself(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    question = next(
        t for t in templates.templates if t.id == f"{language}.central.interpretive.letter"
    )
    assert {"description", "self", "letter"} <= question.needs
    assert "charged" in question.excludes  # a word of feeling or picture: the portrait's


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_tells_its_first_person_possessives_from_its_pronouns(
    language: str,
) -> None:
    lexicon = lexicon_for(language)
    assert lexicon.first_person_possessive
    # Its possessives are first-person words, and pronouns are left besides them.
    assert lexicon.first_person_possessive < lexicon.first_person


# A first-person story that quotes a letter someone else wrote: the narrator is not its writer.
QUOTED_LETTER = (
    "I came home from the quarry late, and found a letter from my brother on the table.\n\n"
    "Dear Walter, the orchard is sold and the cows go to market on Monday. Come if you can.\n\n"
    "I am a slow reader, and I read it twice by the stove before I put out the lamp.\n\n"
    "In the morning I walked to the station through the wet fields."
)


def _en_prepared_on(text: str, opening: str) -> list[Candidate]:
    drafted = prepare_section(text, language_for("en"), None, TextKind.STORY)
    found = [c for c in drafted.candidates if c.sentence and c.sentence.text.startswith(opening)]
    assert found
    return found


def test_a_letter_quoted_further_on_does_not_make_the_narrator_its_writer() -> None:
    lexicon = lexicon_for("en")
    assert not is_letter(parse_section(QUOTED_LETTER, lexicon), lexicon)
    assert not any(LETTER in c.features for c in _en_prepared_on(QUOTED_LETTER, "I am a slow"))


def test_a_letter_under_a_heading_and_a_date_line_is_a_letter() -> None:
    lexicon = lexicon_for("es")
    dated = f"La isla, 3 de junio\n\n{LETTER_TEXT}"
    assert is_letter(parse_section(dated, lexicon), lexicon)
    assert _asked_as_the_writer_s(dated, "Yo subo")


def test_a_section_opening_on_narration_before_a_greeting_is_no_letter() -> None:
    lexicon = lexicon_for("es")
    told = f"Aquella tarde llegó el correo con una sola carta para el farero.\n\n{LETTER_TEXT}"
    assert not is_letter(parse_section(told, lexicon), lexicon)


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("de", "Liebe, so dachte ich damals, ist nichts für einen armen Schreiber."),
        ("en", "Dear me, how long ago that winter seems now."),
        ("en", "Dear reader, I must tell you how the mill was lost."),
        ("pt", "Caro, muito caro, paguei o bilhete da diligência."),
        ("it", "Gentile, come sempre, la padrona ci aprì la porta."),
        ("fr", "Cher lecteur, je vous dois le récit de cette nuit."),
    ],
)
def test_a_salutation_word_naming_no_one_a_letter_is_sent_to_opens_no_letter(
    language: str, opening: str
) -> None:
    lexicon = lexicon_for(language)
    text = f"{opening}\n\nThe rest of the chapter goes on here, with the road and the rain."
    assert not is_greeting(opening, lexicon)
    assert not is_letter(parse_section(text, lexicon), lexicon)


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("de", "Lieber Bruder! Gestern kam ich spät am Hafen an."),
        ("en", "My dear Agnes, the boat came in at last."),
        ("fr", "Ma chère Louise, je t'écris de la gare."),
        ("it", "Caro Paolo, ti scrivo dal porto."),
        ("pt", "Minha querida Ana: escrevo-te do cais."),
    ],
)
def test_a_salutation_with_the_one_written_to_is_a_greeting(language: str, opening: str) -> None:
    assert is_greeting(opening, lexicon_for(language))
