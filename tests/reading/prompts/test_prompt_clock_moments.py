"""A story's sentence that only tells the clock ("At ten o'clock the Hales went up to bed, and
by half-past the lamps were out") is no moment to tell another way: the storyteller's
question is put to another line. A waking or a word of feeling told with its time ("Some
time after, Mr. Hale was awakened by a strange noise") is a moment all the same."""

from __future__ import annotations

from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import TIMED
from tests.reading.prompts.story_candidates import candidates_on

TEMPLATES = templates_for("en")
STORYTELLER = "en.central.evaluative.story.plain"

MILL = (
    "The Hales had bought the old mill house by the weir against every warning in the "
    "village. Mrs. Hale laughed at the miller and his tales of the drowned girl.\n\n"
    "At ten o'clock the Hales went up to bed, and by half-past the lamps were out. "
    "Some time after, Mr. Hale was awakened by a strange noise on the stairs. "
    "He lit a candle and went down to the kitchen.\n\n"
    "A wet girl stood by the cold hearth and wrung out her long hair."
)


def _fits_storyteller(features: frozenset[str]) -> bool:
    assert TEMPLATES is not None
    plain = next(t for t in TEMPLATES.templates if t.id == STORYTELLER)
    return plain.fits(features, {"quote": "q"})


def test_a_story_s_bare_clock_time_is_no_moment_to_retell() -> None:
    found, _ = candidates_on(MILL, "At ten o'clock", "en")
    central = [c for c in found if c.move == "central"]
    assert central
    assert all(TIMED in c.features for c in central)
    assert not any(_fits_storyteller(frozenset(c.features)) for c in central)


def test_a_waking_told_with_its_time_is_still_a_moment_to_retell() -> None:
    found, _ = candidates_on(MILL, "Some time after", "en")
    central = [c for c in found if c.move == "central"]
    assert central
    assert all(TIMED not in c.features for c in central)
    assert any(_fits_storyteller(frozenset(c.features)) for c in central)


def test_no_language_puts_the_storyteller_question_to_a_bare_clock_time() -> None:
    for language in ("de", "en", "es", "fr", "it", "pt"):
        templates = templates_for(language)
        assert templates is not None
        plain = next(
            t for t in templates.templates if t.id.endswith(".central.evaluative.story.plain")
        )
        assert TIMED in plain.excludes, language
