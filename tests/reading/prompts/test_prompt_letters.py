"""A story told in letters: what the writer tells of himself ("Apenas hay en el pueblo quien
me entienda cuando hablo de libros") is asked about as the writer's, not what he tells of
what is his ("Mi madre … trabaja todavía en la huerta"); each paragraph offers a sentence of
the writer's own, however plain; and a plan whose paragraph closes on a short line saying
what it means ("Mañana como en casa del alcalde … Todos saben que quiere casarme.") stops
before its point."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import (
    _candidates,
    _language,
    _point_follows,
    _prepare,
    _words,
)
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import (
    LETTER,
    PERSONAL,
    PLAN,
    SELF,
    is_letter,
    sentence_features,
)
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ("de", "en", "es", "fr", "it", "pt")
GREETING = (
    "Querido primo: Hace tres días que llegué a este pueblo, donde he hallado bien a mi madre "
    "y a los vecinos."
)
BODY = (
    "Apenas hay en el pueblo quien me entienda cuando hablo de libros y de música antigua.\n\n"
    "Mi madre, a pesar de sus años, trabaja todavía en la huerta desde el alba hasta la "
    "noche.\n\n"
    "Mañana como en casa del alcalde, de quien ya te he hablado en otra carta. Todos saben que "
    "quiere casarme.\n\n"
    "Las calles del pueblo son estrechas y blancas, y huelen a pan y a leña por la mañana."
)
LETTER_TEXT = f"{GREETING}\n\n{BODY}"
# The same plan with its paragraph going on past the short line.
GOING_ON = BODY.replace(
    "quiere casarme.", "quiere casarme. El alcalde tiene una hija que toca el piano cada tarde."
)


def _writer_question():
    templates = templates_for("es")
    assert templates is not None
    return next(t for t in templates.templates if t.id == "es.central.interpretive.letter")


def _prepared_on(text: str, opening: str):
    drafted = _prepare(text, _language("es"), None, "story")
    return [c for c in drafted.candidates if c.sentence and c.sentence.text.startswith(opening)]


def _asked_as_the_writer_s(text: str, opening: str) -> bool:
    question = _writer_question()
    found = _prepared_on(text, opening)
    assert found
    return any(question.fits(frozenset(c.features), c.slots | {"quote": ""}) for c in found)


def _plan_points_follow(text: str) -> list[bool]:
    lexicon = lexicon_for("es")
    parsed = parse_section(text, lexicon)
    words = _words(lexicon, parsed, "story")
    found = [
        c
        for c in _candidates(parsed, lexicon, words, None, "story")
        if c.sentence and c.sentence.text.startswith("Mañana como")
    ]
    assert found
    assert all(PLAN in c.features for c in found)
    return [_point_follows(c, parsed, words) for c in found]


def test_a_section_opening_on_a_greeting_holds_a_letter() -> None:
    lexicon = lexicon_for("es")
    assert is_letter(parse_section(LETTER_TEXT, lexicon), lexicon)
    assert not is_letter(parse_section(BODY, lexicon), lexicon)


def test_what_a_letter_s_writer_tells_of_himself_is_asked_as_the_writer_s() -> None:
    assert all(LETTER in c.features for c in _prepared_on(LETTER_TEXT, "Apenas hay"))
    assert _asked_as_the_writer_s(LETTER_TEXT, "Apenas hay")


def test_the_same_words_outside_a_letter_are_not_asked_as_a_writer_s() -> None:
    assert not any(LETTER in c.features for c in _prepared_on(BODY, "Apenas hay"))
    assert not _asked_as_the_writer_s(BODY, "Apenas hay")


def test_what_the_writer_tells_of_someone_of_his_is_not_his_own_portrait() -> None:
    # "Mi madre …": the mother's portrait, though the letter's writer calls her his.
    assert not _asked_as_the_writer_s(LETTER_TEXT, "Mi madre")


def test_the_writer_himself_is_told_by_his_pronouns_not_his_possessives() -> None:
    lexicon = lexicon_for("es")
    parsed = parse_section(LETTER_TEXT, lexicon)
    opening = {s.text.split()[0]: s for s in parsed.sentences}
    himself = sentence_features(opening["Apenas"], parsed, lexicon)
    his = sentence_features(opening["Mi"], parsed, lexicon)
    assert SELF in himself
    assert PERSONAL in himself
    assert SELF not in his
    assert PERSONAL in his


# A letter longer than the central pool: its paragraphs talk of the village, the mayor, the
# music and the books; one short sentence, in a paragraph of its own talk, is the writer's.
LONG_LETTER = (
    f"{GREETING}\n\n"
    "El alcalde del pueblo habla de música y de libros con el vicario. El vicario del pueblo "
    "guarda los libros de música del alcalde. La música del pueblo suena en la plaza.\n\n"
    "Los vecinos del pueblo escuchan la música del alcalde en la plaza. Los libros del "
    "vicario hablan de la música antigua del pueblo. Todos me llaman el niño, aunque tengo "
    "ya veinte años.\n\n"
    "El alcalde y el vicario hablan del pueblo y de la plaza. La plaza del pueblo tiene la "
    "música del alcalde. El vicario del pueblo lee los libros en la plaza.\n\n"
    "Los vecinos del alcalde hablan de la música y de los libros del vicario. El pueblo "
    "escucha al alcalde y al vicario en la plaza."
)


def test_each_paragraph_of_a_letter_offers_a_sentence_of_the_writer_s_own() -> None:
    # The most central sentences fill the pool; the writer's own is asked about all the same.
    assert _asked_as_the_writer_s(LONG_LETTER, "Todos me llaman")
    # Outside a letter its paragraph offers only its most central sentences.
    assert not _prepared_on(LONG_LETTER.replace(GREETING + "\n\n", ""), "Todos me llaman")


def test_a_plan_whose_paragraph_closes_on_what_it_means_stops_before_its_point() -> None:
    assert all(_plan_points_follow(LETTER_TEXT))


def test_a_plan_whose_paragraph_goes_on_is_weighed_by_the_other_rules() -> None:
    assert not any(_plan_points_follow(GOING_ON))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_asks_a_letter_s_writer_about_himself(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    question = next(
        t for t in templates.templates if t.id == f"{language}.central.interpretive.letter"
    )
    assert {"description", "self", "letter"} <= question.needs
    assert "charged" in question.excludes  # a word of feeling or picture: the portrait's
    # The letter's own question ranks with its greeting's.
    greeting = next(
        t for t in templates.templates if t.id == f"{language}.central.interpretive.greeting"
    )
    assert question.weight == greeting.weight


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_tells_its_first_person_possessives_from_its_pronouns(
    language: str,
) -> None:
    lexicon = lexicon_for(language)
    assert lexicon.first_person_possessive
    # Its possessives are first-person words, and pronouns are left besides them.
    assert lexicon.first_person_possessive < lexicon.first_person
