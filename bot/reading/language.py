"""Which language a text is written in, offline.

py3langid's model ships inside its wheel: nothing is downloaded when the bot runs. The wheel
keeps it compressed (4.5 MB of LZMA for 68 MB of tables), and unpacking it took 0.6 s of CPU
in every process that detected a language, the first upload after a start paying for it. The
tables are kept unpacked in the user's cache folder after the first time (`model_cache`):
later processes read them in a few hundredths of a second (`bot.reading.language_model`).
Where no cache can be written, the model is unpacked as before, once a process.
"""

from __future__ import annotations

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


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's main language; None when the text is too short to
    tell."""
    letters = sum(ch.isalpha() for ch in text[:10_000])
    if letters < MIN_DETECT_CHARS:
        return None
    # Imported here: numpy and the detector are 90 modules and a twelfth of a second of CPU
    # at every start of the bot otherwise, and only readings that name no language need them.
    from bot.reading.language_model import identifier

    code, _ = identifier().classify(detection_sample(text))
    return str(code)


def has_templates(language: str) -> bool:
    """Whether discussion prompts can be drafted in this language's own templates."""
    return templates_for(base_language(language)) is not None
