"""What kind of text a reading is: an argument, a story, a play, verse or a dialogue.

Each kind is asked about in its own way: claims and reasons for an argument, characters and
choices for a story, speakers for a play, images and lines for verse. The kind is read from the
whole reading's shape and words, once, and a facilitator can set it instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum

from bot.reading.prompts.lexicon import Lexicon


class TextKind(StrEnum):
    """The kind of text a reading is, which shapes how its prompts ask; the values are stored."""

    ARGUMENT = "argument"
    STORY = "story"
    DRAMA = "drama"
    VERSE = "verse"
    DIALOGUE = "dialogue"


TEXT_KINDS: tuple[TextKind, ...] = tuple(TextKind)
KIND_NAMES: dict[TextKind, str] = {
    TextKind.ARGUMENT: "argument or essay",
    TextKind.STORY: "story",
    TextKind.DRAMA: "play",
    TextKind.VERSE: "verse",
    TextKind.DIALOGUE: "dialogue",
}

_WORD = re.compile(r"\w+(?:['’]\w+)*")
# A speaker's name in capitals opening a speech: "MARCHESE" on its own line, "ALGERNON. How
# are you?", "SOCRATES: I went down …". Two or more capitals, up to four words.
_SPEAKER = re.compile(
    r"^(?P<name>[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’\-]+(?:[ .][A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’\-]*){0,3})"
    r"(?:[ \t]*\n|(?P<mark>[.:])[ \t]+(?=\S))"
)
_DIALOGUE_OPENERS = ('"', "“", "«", "—", "–", "‘", "-", "»", "„")
_MIN_SPEECHES = 4
_DRAMA_SHARE = 0.3
_VERSE_SHARE = 0.5
# A line of verse is at most this long; prose lines run to the page's width.
VERSE_LINE_CHARS = 60
_DIALOGUE_SPEECH_WORDS = 45
_STORY_SHARE = 0.4
_FIRST_PERSON_SHARE = 0.015
_QUOTED_SHARE = 0.25


def parse_kind(value: str | None) -> TextKind | None:
    """A kind from a facilitator's word ("play", "poem", "essay" …); None if it is none."""
    word = (value or "").strip().lower()
    aliases: dict[str, TextKind] = {
        "essay": TextKind.ARGUMENT,
        "essays": TextKind.ARGUMENT,
        "philosophy": TextKind.ARGUMENT,
        "fiction": TextKind.STORY,
        "novel": TextKind.STORY,
        "novella": TextKind.STORY,
        "narrative": TextKind.STORY,
        "play": TextKind.DRAMA,
        "theatre": TextKind.DRAMA,
        "theater": TextKind.DRAMA,
        "poem": TextKind.VERSE,
        "poems": TextKind.VERSE,
        "poetry": TextKind.VERSE,
    }
    word = aliases.get(word, word)
    return TextKind(word) if word in TEXT_KINDS else None


def speaker_of(block: str) -> tuple[str, int] | None:
    """The speaker's name that opens a speech, and where the speech itself starts."""
    match = _SPEAKER.match(block)
    if match is None:
        return None
    name = match.group("name").rstrip(". ")
    letters = [ch for ch in name if ch.isalpha()]
    if len(letters) < 3 or name in ("THE END", "FINE", "FIN", "ENDE", "FIM"):
        return None
    rest = block[match.end() :]
    if not _WORD.search(rest):
        return None
    return name, match.end()


def _prose(sections: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """The blocks of three words or more, and their words."""
    blocks: list[str] = []
    words: list[list[str]] = []
    for block in (b for s in sections for b in s.split("\n\n")):
        found = _WORD.findall(block)
        if len(found) >= 3:
            blocks.append(block)
            words.append(found)
    return blocks, words


def _is_verse_block(block: str) -> bool:
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    short = sum(1 for line in lines if len(line) <= VERSE_LINE_CHARS)
    capitals = sum(1 for line in lines if line.lstrip("«“\"'‘(—- ")[:1].isupper())
    return short >= 0.8 * len(lines) and capitals >= 0.6 * len(lines)


def detect_kind(sections: Sequence[str], lexicon: Lexicon) -> TextKind:
    """The kind of a whole reading, from its sections' text."""
    blocks, block_words = _prose(sections)
    if not blocks:
        return TextKind.ARGUMENT
    speeches = [(b, speaker_of(b)) for b in blocks]
    labelled = [(b, s) for b, s in speeches if s is not None]
    if len(labelled) >= _MIN_SPEECHES and len(labelled) >= _DRAMA_SHARE * len(blocks):
        words = [len(_WORD.findall(b[s[1] :])) for b, s in labelled]
        if sum(words) / len(words) >= _DIALOGUE_SPEECH_WORDS:
            return TextKind.DIALOGUE
        return TextKind.DRAMA
    if sum(1 for b in blocks if _is_verse_block(b)) >= _VERSE_SHARE * len(blocks):
        return TextKind.VERSE
    # Each word once with its count: a book says the same few thousand words again and again.
    written: Counter[str] = Counter()
    for found in block_words:
        written.update(found)
    counts: Counter[str] = Counter()
    for form, n in written.items():
        counts[form.lower()] += n
    story = sum(n for t, n in counts.items() if t in lexicon.story_words)
    argument = sum(n for t, n in counts.items() if t in lexicon.argument_words)
    first = sum(n for t, n in counts.items() if t in lexicon.first_person) / max(1, counts.total())
    quoted = sum(1 for b in blocks if b.lstrip().startswith(_DIALOGUE_OPENERS)) / len(blocks)
    if story + argument and story / (story + argument) >= _STORY_SHARE:
        return TextKind.STORY
    if first >= _FIRST_PERSON_SHARE or quoted >= _QUOTED_SHARE:
        return TextKind.STORY
    return TextKind.ARGUMENT
