"""Which language a text is written in, offline.

The detection is handed a loaded classifier (`LanguageClassifier`): py3langid's identifier,
whose model ships inside its wheel, so nothing is downloaded when the bot runs. Loading it
(reading its tables from the user's cache folder, or unpacking them) is `bot.language_cache`'s
work, once a process (`bot.parsing`); here no file is read.
"""

from __future__ import annotations

from typing import Protocol

from bot.reading.prompts.lexicon import base_language
from bot.reading.prompts.question_templates import templates_for

# The detector scores every language it knows; texts this short are guessed, not detected.
MIN_DETECT_CHARS = 200
# A longer text is judged on evenly spaced slices of it, this many characters in all: a
# book's language shows in any hundred pages of it, and the detector's time grows with its
# input (0.2 s of CPU for a 1 MB text, against 0.02 s for its sample).
SAMPLE_CHARS = 100_000
SAMPLE_SLICES = 10


def detection_sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """The text the detector reads: the whole text up to `size` characters, else
    SAMPLE_SLICES slices from its start to its end, `size` characters in all."""
    if len(text) <= size:
        return text
    step = len(text) / SAMPLE_SLICES
    width = size // SAMPLE_SLICES
    return "\n".join(text[int(i * step) : int(i * step) + width] for i in range(SAMPLE_SLICES))


class LanguageClassifier(Protocol):
    """What detection needs of a language identifier (py3langid's `LanguageIdentifier`)."""

    def classify(self, text: str) -> tuple[str, float]:
        """The ISO 639-1 code of the text's language, and its score."""
        ...


def detect_language(text: str, classifier: LanguageClassifier) -> str | None:
    """The ISO 639-1 code of the text's main language, by `classifier`; None when the text is
    too short to tell (and then `classifier` is not asked)."""
    letters = sum(ch.isalpha() for ch in text[:10_000])
    if letters < MIN_DETECT_CHARS:
        return None
    code, _ = classifier.classify(detection_sample(text))
    return str(code)


def has_templates(language: str) -> bool:
    """Whether discussion prompts can be drafted in this language's own templates."""
    return templates_for(base_language(language)) is not None
