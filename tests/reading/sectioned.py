"""Sections of a normalised text by the importer's own rules, for tests of those rules."""

from __future__ import annotations

from bot.reading.blocks import classify
from bot.reading.sections import DEFAULT_TARGET_WORDS, Section, sections_of
from bot.reading.structure import assign_levels
from bot.reading.text import blocks_of


def sections_of_text(
    text: str,
    *,
    markdown: bool = False,
    target_words: int = DEFAULT_TARGET_WORDS,
    language: str = "en",
) -> list[Section]:
    """`sections_of` over all of `text`, its headings classified and levelled: the sections
    `parse_reading` makes of a body, without the outline that sets front and back matter
    apart (tests of that go through `parse_reading`)."""
    blocks = assign_levels(classify(blocks_of(text), markdown=markdown), markdown=markdown)
    return sections_of(blocks, target_words=target_words, language=language)
