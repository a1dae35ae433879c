"""Which language a text is written in, from the whole text, offline.

py3langid's model ships inside its wheel: nothing is downloaded when the bot runs.
"""

from __future__ import annotations

import py3langid

from bot.reading.prompts.lexicon import base_language
from bot.reading.prompts.question_templates import templates_for

# The detector scores every language it knows; texts this short are guessed, not detected.
MIN_DETECT_CHARS = 200


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's main language; None when the text is too short to
    tell."""
    letters = sum(ch.isalpha() for ch in text[:10_000])
    if letters < MIN_DETECT_CHARS:
        return None
    code, _ = py3langid.classify(text)
    return str(code)


def has_templates(language: str) -> bool:
    """Whether discussion prompts can be drafted in this language's own templates."""
    return templates_for(base_language(language)) is not None
