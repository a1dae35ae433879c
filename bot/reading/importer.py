"""From uploaded bytes to a parsed reading: decoded, normalised, split, hashed."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import PurePath

from bot.reading.prompts import PromptSet, generate_reading_prompts
from bot.reading.sections import DEFAULT_TARGET_WORDS, Section, split_sections
from bot.reading.text import TextFormatError, count_words, decode, normalise

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
TEXT_SUFFIXES = frozenset({".txt", ".text"}) | MARKDOWN_SUFFIXES
MAX_TITLE_CHARS = 200


@dataclass(frozen=True)
class ParsedReading:
    title: str
    language: str
    source_name: str
    content_hash: str
    text: str
    sections: tuple[Section, ...]
    prompts: tuple[PromptSet, ...] = ()  # one set per section, in order, when generated

    @property
    def word_count(self) -> int:
        return sum(section.word_count for section in self.sections)


def content_hash(text: str) -> str:
    """The SHA-256 of the normalised text: equal texts, equal hashes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _title_from_name(name: str) -> str:
    stem = PurePath(name).stem
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words[:1].upper() + words[1:] if words else "Untitled reading"


def parse_reading(
    data: bytes,
    source_name: str,
    *,
    title: str | None = None,
    language: str = "en",
    target_words: int = DEFAULT_TARGET_WORDS,
    with_prompts: bool = True,
) -> ParsedReading:
    """Parse an uploaded .txt or .md file and draft each section's discussion prompts.

    Raises TextFormatError with a reader-facing reason. CPU-bound: the bot runs it in a thread.
    """
    suffix = PurePath(source_name).suffix.lower()
    if suffix and suffix not in TEXT_SUFFIXES:
        raise TextFormatError(
            f"{source_name} is not a .txt or .md file; please upload plain text or Markdown."
        )
    text = normalise(decode(data, source=source_name))
    if count_words(text) == 0:
        raise TextFormatError(f"{source_name} has no words in it.")
    sections = split_sections(text, markdown=suffix in MARKDOWN_SUFFIXES, target_words=target_words)
    chosen_title = (title or "").strip() or _title_from_name(source_name)
    prompts = (
        tuple(generate_reading_prompts([s.text for s in sections], language=language))
        if with_prompts
        else ()
    )
    return ParsedReading(
        title=chosen_title[:MAX_TITLE_CHARS],
        language=language,
        source_name=PurePath(source_name).name[:MAX_TITLE_CHARS],
        content_hash=content_hash(text),
        text=text,
        sections=tuple(sections),
        prompts=prompts,
    )
