"""Splitting a text into sections a circle can read and discuss in one sitting.

Sections follow the author's chapters: consecutive short chapters are read together, a
chapter much longer than the target is cut at paragraph bounds, and otherwise no section
starts in the middle of a chapter. A text without headings is cut by length.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.reading.blocks import Block, BlockKind, classify
from bot.reading.structure import assign_levels, display_title
from bot.reading.text import blocks_of, count_words, reading_minutes

DEFAULT_TARGET_WORDS = 1500
# A section under a tenth of the target is too small to discuss alone; a chapter over half
# as long again as the target is too long for one sitting.
MIN_FRACTION = 0.1
MAX_FRACTION = 1.5
# Chapters under a quarter of the target are read together, up to the target.
SHORT_FRACTION = 0.25
# A list glued to the paragraph that introduces it stops growing at this many words.
MAX_UNIT_WORDS = 1000


def max_section_words(target_words: int) -> int:
    """The most words a section holds: twice the target, or one paragraph (at most 1,000
    words: longer ones are cut when the text is normalised) with its list."""
    return max(2 * target_words, 2 * MAX_UNIT_WORDS)


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
            if block.lstrip("#").strip() not in self.headings and not _is_heading_text(
                block, self.headings
            ):
                return block.split("\n", 1)[0]
        return ""


def _is_heading_text(block: str, headings: tuple[str, ...]) -> bool:
    first = block.lstrip("#").strip().split("\n")[0]
    return any(h == first or h.startswith(first + ".") for h in headings)


@dataclass
class _Draft:
    title: str | None
    units: list[list[Block]] = field(default_factory=list)
    level: int = 99
    path: tuple[str, ...] = ()
    chapters: list[str] = field(default_factory=list)
    words: int = 0
    short_group: bool = False  # short chapters read together

    def add(self, unit: list[Block]) -> None:
        self.units.append(unit)
        self.words += _unit_words(unit)


def _unit_words(unit: list[Block]) -> int:
    return sum(count_words(block.text) for block in unit if block.kind is not BlockKind.HEADING)


def _units(blocks: Sequence[Block]) -> list[list[Block]]:
    """Group blocks into units that are never separated: a paragraph with its list items."""
    units: list[list[Block]] = []
    words = 0
    for block in blocks:
        if (
            block.kind is BlockKind.LIST_ITEM
            and units
            and units[-1][-1].kind != BlockKind.HEADING
            and words < MAX_UNIT_WORDS
        ):
            units[-1].append(block)
            words += count_words(block.text)
        else:
            units.append([block])
            words = count_words(block.text)
    return units


def _drafts(blocks: Sequence[Block], language: str) -> list[_Draft]:
    drafts: list[_Draft] = []
    stack: list[tuple[int, str]] = []  # the open headings above: (level, title)
    for unit in _units(blocks):
        head = unit[0]
        if head.info is not None and head.info.style == "subtitle" and drafts:
            drafts[-1].add(unit)
            continue
        if head.kind is not BlockKind.HEADING:
            if not drafts:
                drafts.append(_Draft(None))
            drafts[-1].add(unit)
            continue
        name = display_title(head, language)
        while stack and stack[-1][0] >= head.level:
            stack.pop()
        path = tuple(title for _, title in stack)
        stack.append((head.level, name))
        if drafts and drafts[-1].words == 0 and drafts[-1].units:
            # A heading right under another (a part over its first chapter) goes with it.
            last = drafts[-1]
            last.add(unit)
            last.path = path if head.level > last.level else (*last.path, last.title or "")
            last.title = name
            last.chapters = [name]
            continue
        drafts.append(_Draft(name, [unit], head.level, path, [name]))
    return drafts


def _joined(first: _Draft, second: _Draft) -> _Draft:
    out = _Draft(
        first.title or second.title,
        first.units + second.units,
        min(first.level, second.level),
        first.path if first.title else second.path,
        first.chapters + second.chapters,
    )
    out.words = first.words + second.words
    return out


def _fold_pieces(drafts: list[_Draft], max_words: float) -> list[_Draft]:
    """A part below its chapter (a scene, an aphorism, a poem's numbered piece) stays in
    the chapter while the chapter fits in one sitting."""
    out: list[_Draft] = []
    for draft in drafts:
        if out and draft.level > out[-1].level and out[-1].words + draft.words <= max_words:
            out[-1] = _joined(out[-1], draft)
            out[-1].chapters = out[-1].chapters[: -len(draft.chapters)]
        else:
            out.append(draft)
    return out


def _merge_small(drafts: list[_Draft], min_words: int) -> list[_Draft]:
    """Fold each too-small draft into the next one (the last into the one before)."""
    merged: list[_Draft] = []
    carry: _Draft | None = None
    for draft in drafts:
        if carry is not None:
            draft = _joined(carry, draft)
            carry = None
        if draft.words < min_words:
            carry = draft
        else:
            merged.append(draft)
    if carry is not None:
        if merged:
            merged[-1] = _joined(merged[-1], carry)
        else:
            merged.append(carry)
    return merged


def _group_short(drafts: list[_Draft], short: float, target: int) -> list[_Draft]:
    """Consecutive short chapters read together, up to the target."""
    out: list[_Draft] = []
    for draft in drafts:
        last = out[-1] if out else None
        if (
            last is not None
            and last.title is not None
            and draft.title is not None
            and draft.words < short
            and last.words + draft.words <= target
            and (last.words < short or last.short_group)
            and last.path == draft.path
        ):
            out[-1] = _joined(last, draft)
            out[-1].short_group = True
        else:
            out.append(draft)
    return out


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
            out.append(_Draft(draft.title, current, draft.level, draft.path, draft.chapters))
            current = []
        current.append(unit)
        done += words
    out.append(_Draft(draft.title, current, draft.level, draft.path, draft.chapters))
    for part in out:
        part.words = sum(_unit_words(unit) for unit in part.units)
    return out


def split_sections(
    text: str,
    *,
    markdown: bool = False,
    target_words: int = DEFAULT_TARGET_WORDS,
    language: str = "en",
) -> list[Section]:
    """Split normalised `text` into sections by chapters, then by length.

    Joining the sections' texts with a blank line gives back `text` exactly.
    """
    blocks = assign_levels(classify(blocks_of(text), markdown=markdown), markdown=markdown)
    return sections_of(blocks, target_words=target_words, language=language)


def sections_of(
    blocks: Sequence[Block], *, target_words: int = DEFAULT_TARGET_WORDS, language: str = "en"
) -> list[Section]:
    """Sections of classified blocks whose headings have their levels."""
    if target_words < 50:
        raise ValueError("target_words must be at least 50")
    if not blocks:
        return []
    longest = target_words * MAX_FRACTION
    drafts = _fold_pieces(_drafts(blocks, language), longest)
    drafts = _merge_small(drafts, math.floor(target_words * MIN_FRACTION))
    drafts = _group_short(drafts, target_words * SHORT_FRACTION, target_words)
    pieces: list[_Draft] = []
    for draft in drafts:
        if draft.words > longest:
            pieces.extend(_split_long(draft, target_words))
        else:
            pieces.append(draft)
    return [_section(position, piece, pieces) for position, piece in enumerate(pieces, 1)]


def _group_title(chapters: list[str]) -> str:
    """ "Chapters I–II" for numbered chapters of one kind, else "First – Last"."""
    first, last = chapters[0], chapters[-1]
    head, _, number = first.rpartition(" ")
    last_head, _, last_number = last.rpartition(" ")
    if first.isdigit() and last.isdigit():
        return f"{first}–{last}"
    if head and head == last_head and "." not in first and ":" not in first:
        plural = head + "s" if head in {"Chapter", "Part", "Letter", "Scene", "Book"} else head
        return f"{plural} {number}–{last_number}"
    return f"{first} – {last}"


def _section(position: int, piece: _Draft, pieces: list[_Draft]) -> Section:
    blocks = [block for unit in piece.units for block in unit]
    headings = tuple(b.heading for b in blocks if b.kind is BlockKind.HEADING and b.heading)
    same_title = [p for p in pieces if p.title == piece.title and p.chapters == piece.chapters]
    if piece.title is None:
        title = f"Part {position}"
    else:
        title = _group_title(piece.chapters) if len(piece.chapters) > 1 else piece.title
        if piece.path:
            title = " · ".join([*piece.path, title])
        if len(same_title) > 1:
            title = f"{title} ({same_title.index(piece) + 1}/{len(same_title)})"
    body = "\n\n".join(block.text for block in blocks)
    return Section(position, title, headings, body, _unit_words(blocks))
