"""A story told in letters: what the writer tells of himself ("Apenas hay en el pueblo quien
comprenda mi afición a los libros") is asked about as the writer's, and a plan whose paragraph
closes on a short line saying what it means ("Mañana como en casa del alcalde … Todos saben
que quiere casarme.") stops before its point."""

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
from bot.reading.prompts.sentence_kinds import LETTER, PLAN, is_letter
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ("de", "en", "es", "fr", "it", "pt")
GREETING = (
    "Querido primo: Hace tres días que llegué a este pueblo, donde he hallado bien a mi madre "
    "y a los vecinos."
)
BODY = (
    "Apenas hay en el pueblo quien comprenda mi afición a los libros y a la música antigua.\n\n"
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
    found = [c for c in drafted.candidates if c.sentence and c.sentence.text.startswith(opening)]
    assert found
    return found


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
    question = _writer_question()
    found = _prepared_on(LETTER_TEXT, "Apenas hay")
    assert all(LETTER in c.features for c in found)
    assert any(question.fits(frozenset(c.features), c.slots | {"quote": ""}) for c in found)


def test_the_same_words_outside_a_letter_are_not_asked_as_a_writer_s() -> None:
    question = _writer_question()
    found = _prepared_on(BODY, "Apenas hay")
    assert not any(LETTER in c.features for c in found)
    assert not any(question.fits(frozenset(c.features), c.slots | {"quote": ""}) for c in found)


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
    assert {"description", "personal", "letter"} <= question.needs
    assert "charged" in question.excludes  # a word of feeling or picture: the portrait's
