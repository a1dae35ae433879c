"""Splitting a normalised text into sections a circle can read and discuss in one sitting."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bot.reading.blocks import Block, BlockKind, classify
from bot.reading.text import blocks_of, count_words, reading_minutes

DEFAULT_TARGET_WORDS = 1500
# A section under a tenth of the target is too small to discuss alone; one over a third
# more than the target is too long for one sitting.
MIN_FRACTION = 0.1
MAX_FRACTION = 4 / 3


@dataclass(frozen=True)
class Section:
    """One section: `text` is its blocks joined by blank lines, headings included."""

    position: int
    title: str
    headings: tuple[str, ...]
    text: str
    word_count: int

    @property
    def minutes(self) -> int:
        return reading_minutes(self.word_count)

    @property
    def first_line(self) -> str:
        """The first block that is not a heading: what a reader meets first."""
        for block in blocks_of(self.text):
            if block.lstrip("#").strip() not in self.headings:
                return block.split("\n", 1)[0]
        return ""


@dataclass
class _Draft:
    title: str | None
    units: list[list[Block]] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(_unit_words(unit) for unit in self.units)


def _unit_words(unit: list[Block]) -> int:
    return sum(count_words(block.text) for block in unit if block.kind is not BlockKind.HEADING)


def _units(blocks: list[Block]) -> list[list[Block]]:
    """Group blocks into units that are never separated: a paragraph with its list items."""
    units: list[list[Block]] = []
    for block in blocks:
        if block.kind is BlockKind.LIST_ITEM and units and units[-1][-1].kind != BlockKind.HEADING:
            units[-1].append(block)
        else:
            units.append([block])
    return units


def _drafts(blocks: list[Block]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for unit in _units(blocks):
        head = unit[0]
        if head.kind is BlockKind.HEADING:
            # Consecutive headings (a title over a chapter heading) stay together.
            if drafts and drafts[-1].words == 0 and drafts[-1].units:
                drafts[-1].units.append(unit)
            else:
                drafts.append(_Draft(head.heading, [unit]))
        elif drafts:
            drafts[-1].units.append(unit)
        else:
            drafts.append(_Draft(None, [unit]))
    return drafts


def _merge_small(drafts: list[_Draft], min_words: int) -> list[_Draft]:
    """Fold each too-small draft into the next one (the last into the one before)."""
    merged: list[_Draft] = []
    carry: _Draft | None = None
    for draft in drafts:
        if carry is not None:
            draft = _Draft(carry.title or draft.title, carry.units + draft.units)
            carry = None
        if draft.words < min_words:
            carry = draft
        else:
            merged.append(draft)
    if carry is not None:
        if merged:
            last = merged[-1]
            merged[-1] = _Draft(last.title or carry.title, last.units + carry.units)
        else:
            merged.append(carry)
    return merged


def _split_long(draft: _Draft, target_words: int) -> list[_Draft]:
    """Cut a long draft at unit bounds into near-equal parts of about `target_words`."""
    total = draft.words
    parts = math.ceil(total / target_words)
    if parts <= 1 or len(draft.units) < 2:
        return [draft]
    out: list[_Draft] = []
    current: list[list[Block]] = []
    done = 0
    for unit in draft.units:
        words = _unit_words(unit)
        boundary = total * (len(out) + 1) / parts
        # Close the part where stopping here is closer to the ideal boundary than going on,
        # but never right after a heading: it belongs with what follows it.
        if (
            current
            and current[-1][-1].kind is not BlockKind.HEADING
            and len(out) < parts - 1
            and abs(done - boundary) <= abs(done + words - boundary)
        ):
            out.append(_Draft(draft.title, current))
            current = []
        current.append(unit)
        done += words
    out.append(_Draft(draft.title, current))
    return out


def split_sections(
    text: str, *, markdown: bool = False, target_words: int = DEFAULT_TARGET_WORDS
) -> list[Section]:
    """Split normalised `text` into sections by headings, then by length.

    Joining the sections' texts with a blank line gives back `text` exactly.
    """
    if target_words < 50:
        raise ValueError("target_words must be at least 50")
    blocks = classify(blocks_of(text), markdown=markdown)
    if not blocks:
        return []
    drafts = _merge_small(_drafts(blocks), math.floor(target_words * MIN_FRACTION))
    pieces: list[_Draft] = []
    for draft in drafts:
        if draft.words > target_words * MAX_FRACTION:
            pieces.extend(_split_long(draft, target_words))
        else:
            pieces.append(draft)
    return [_section(position, piece, pieces) for position, piece in enumerate(pieces, 1)]


def _section(position: int, piece: _Draft, pieces: list[_Draft]) -> Section:
    blocks = [block for unit in piece.units for block in unit]
    headings = tuple(b.heading for b in blocks if b.kind is BlockKind.HEADING and b.heading)
    same_title = [p for p in pieces if p.title == piece.title]
    if piece.title is None:
        title = f"Part {position}"
    elif len(same_title) > 1:
        title = f"{piece.title} ({same_title.index(piece) + 1}/{len(same_title)})"
    else:
        title = piece.title
    body = "\n\n".join(block.text for block in blocks)
    return Section(position, title, headings, body, _unit_words(blocks))
