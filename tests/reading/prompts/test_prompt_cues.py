"""The one pattern that rules out a sentence without cues finds what the cues find."""

from __future__ import annotations

import re

import pytest

from bot.reading.prompts.lexicon import _FLAGS, lexicon_for
from tests.reading.prompts.guard_texts import ARGUMENTS, STORIES

LANGUAGES = ["en", "it", "es", "fr", "de", "pt"]


def plain_gate(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str]:
    """Every cue in one alternation, as written."""
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), _FLAGS)


def variants(text: str) -> list[str]:
    """The text, in other cases, and with letters case folding treats as others (long s,
    the Kelvin sign, dotted capital I)."""
    folded = text.replace("s", "ſ").replace("k", "\u212a").replace("i", "İ")
    return [text, text.upper(), text.swapcase(), folded]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cue_gate_matches_where_the_cues_do(language: str) -> None:
    lexicon = lexicon_for(language)
    texts = [t for text in ARGUMENTS[language] + STORIES[language] for t in variants(text)]
    sentences = [s for text in texts for s in re.split(r"(?<=[.;:!?])\s+", text)]
    matched = 0
    for name, cues in lexicon.cues.items():
        assert cues.any is not None
        plain = plain_gate(cues)
        for sentence in sentences:
            gate = cues.any.search(sentence)
            assert bool(gate) == bool(plain.search(sentence)), (name, sentence)
            assert bool(gate) == any(p.search(sentence) for p in cues), (name, sentence)
            matched += bool(gate)
    assert matched > 0


def test_the_cue_gate_tests_the_letters_cues_open_with() -> None:
    cues = lexicon_for("en").cues["cause_result"]
    assert cues.any is not None
    assert cues.any.pattern.startswith(r"\b(?=[acfhilrtw])(?:")
    assert cues.any.search("It rained. THEREFORE we stayed in.")
    assert cues.any.search("It rained; we stayed in.") is None
