"""A story's sentence that only tells the clock ("The last boat crossed at nine o'clock, and by
ten the ferry house was shut") is no moment to tell another way: the storyteller's
question is put to another line. A waking or a word of feeling told with its time ("Some
time later, Nell woke to a sharp knocking") is a moment all the same."""

from __future__ import annotations

from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import TIMED
from tests.reading.prompts.story_candidates import candidates_on

TEMPLATES = templates_for("en")
STORYTELLER = "en.central.evaluative.story.plain"

FERRY = (
    "The Pryces had kept the ferry house at the narrows for thirty years. Old Pryce mended "
    "the ropes while his daughter Nell kept the accounts in a green ledger.\n\n"
    "The last boat crossed at nine o'clock, and by ten the ferry house was shut. "
    "Some time later, Nell woke to a sharp knocking at the landing stage. "
    "She took the lantern from its hook and went down to the water.\n\n"
    "A boy in a soaked coat clung to the ferry bell and could not speak for the cold."
)


def _fits_storyteller(features: frozenset[str]) -> bool:
    assert TEMPLATES is not None
    plain = next(t for t in TEMPLATES.templates if t.id == STORYTELLER)
    return plain.fits(features, {"quote": "q"})


def test_a_story_s_bare_clock_time_is_no_moment_to_retell() -> None:
    found, _ = candidates_on(FERRY, "The last boat", "en")
    central = [c for c in found if c.move == "central"]
    assert central
    assert all(TIMED in c.features for c in central)
    assert not any(_fits_storyteller(frozenset(c.features)) for c in central)


def test_a_waking_told_with_its_time_is_still_a_moment_to_retell() -> None:
    found, _ = candidates_on(FERRY, "Some time later", "en")
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
