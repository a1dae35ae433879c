"""Splitting a text into sections a circle can read and discuss in one sitting.

Sections follow the author's chapters: consecutive short chapters are read together, a
chapter much longer than the target is cut at paragraph bounds, and otherwise no section
starts in the middle of a chapter. A text without headings is cut by length.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.reading.blocks import Block, BlockKind
from bot.reading.headings import HeadingStyle, number_value, roman_value, title_case
from bot.reading.structure import display_title
from bot.reading.text import blocks_of, reading_minutes

DEFAULT_TARGET_WORDS = 1500
# A section under a tenth of the target is too small to discuss alone; a chapter over half
# as long again as the target is too long for one sitting.
MIN_FRACTION = 0.1
MAX_FRACTION = 1.5
# Chapters under a quarter of the target are read together, up to the target.
SHORT_FRACTION = 0.25
# A list glued to the paragraph that introduces it stops growing at this many words.
MAX_UNIT_WORDS = 1000


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
            if not _is_heading_text(block, self.headings):
                return block.split("\n", 1)[0]
        return ""


_WORDS = re.compile(r"\w+")


def _is_heading_text(block: str, headings: tuple[str, ...]) -> bool:
    """Whether a block is a heading, or the first or last lines of one ("1." over
    "Prefazione"), however its case and accents are shown."""
    words = _WORDS.findall(_folded(block))
    if not words:
        return False
    for heading in headings:
        known = _WORDS.findall(_folded(heading))
        if known[: len(words)] == words or known[-len(words) :] == words:
            return True
    return False


def _folded(text: str) -> str:
    """Case and accents aside: "CAPITULO I" and "Capítulo I" are one heading."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass
class _Draft:
    title: str | None
    units: list[list[Block]] = field(default_factory=list)
    level: int = 99
    path: tuple[str, ...] = ()
    chapters: list[str] = field(default_factory=list)
    words: int = 0
    short_group: bool = False  # short chapters read together
    title_level: int = 99  # the level of the heading that names it

    def add(self, unit: list[Block]) -> None:
        self.units.append(unit)
        self.words += _unit_words(unit)


def _unit_words(unit: list[Block]) -> int:
    return sum(block.words for block in unit if block.kind is not BlockKind.HEADING)


def _units(blocks: Sequence[Block]) -> list[list[Block]]:
    """Group blocks into units that are never separated: a paragraph with its list items,
    and with the footnotes printed after it (a note never opens a section)."""
    units: list[list[Block]] = []
    words = 0
    for block in blocks:
        after_prose = bool(units) and units[-1][-1].kind is not BlockKind.HEADING
        if after_prose and (
            block.kind is BlockKind.NOTE
            or (block.kind is BlockKind.LIST_ITEM and words < MAX_UNIT_WORDS)
        ):
            units[-1].append(block)
            words += block.words
        else:
            units.append([block])
            words = block.words
    return units


def _drafts(blocks: Sequence[Block], language: str) -> list[_Draft]:
    drafts: list[_Draft] = []
    stack: list[tuple[int, str]] = []  # the open headings above: (level, title)
    for unit in _units(blocks):
        head = unit[0]
        if head.info is not None and head.info.style is HeadingStyle.SUBTITLE and drafts:
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
            last.title_level = head.level
            last.chapters = [name]
            continue
        drafts.append(_Draft(name, [unit], head.level, path, [name], title_level=head.level))
    return drafts


def _joined(first: _Draft, second: _Draft) -> _Draft:
    out = _Draft(
        first.title or second.title,
        first.units + second.units,
        min(first.level, second.level),
        first.path if first.title else second.path,
        first.chapters + second.chapters,
        title_level=first.title_level if first.title else second.title_level,
    )
    out.words = first.words + second.words
    return out


def _fold_pieces(drafts: list[_Draft], max_words: float) -> list[_Draft]:
    """A part below its chapter (a scene, an aphorism, a poem's numbered piece) stays in
    the chapter while the chapter fits in one sitting. When the chapter is named by its first
    piece (an act over its first scene), the pieces are named too: "Scenes 1–8"."""
    out: list[_Draft] = []
    for draft in drafts:
        if out and draft.level > out[-1].level and out[-1].words + draft.words <= max_words:
            host = out[-1]
            out[-1] = _joined(host, draft)
            if host.title_level != draft.level:
                out[-1].chapters = host.chapters
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
            out.append(_part(draft, current))
            current = []
        current.append(unit)
        done += words
    out.append(_part(draft, current))
    for part in out:
        part.words = sum(_unit_words(unit) for unit in part.units)
    return out


def _part(draft: _Draft, units: list[list[Block]]) -> _Draft:
    return _Draft(
        draft.title, units, draft.level, draft.path, draft.chapters, title_level=draft.title_level
    )


def sections_of(
    blocks: Sequence[Block], *, target_words: int = DEFAULT_TARGET_WORDS, language: str = "en"
) -> list[Section]:
    """Sections of classified blocks whose headings have their levels: by chapters, then by
    length. Joined by blank lines, their texts give back the blocks' text exactly."""
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


_PLURALS = {
    "Chapter": "Chapters", "Part": "Parts", "Letter": "Letters", "Scene": "Scenes",
    "Book": "Books", "Act": "Acts", "Poem": "Poems", "Section": "Sections", "Canto": "Cantos",
    "Chapitre": "Chapitres", "Scène": "Scènes", "Acte": "Actes", "Lettre": "Lettres",
    "Livre": "Livres", "Partie": "Parties", "Capitolo": "Capitoli", "Scena": "Scene",
    "Atto": "Atti", "Lettera": "Lettere", "Capítulo": "Capítulos", "Escena": "Escenas",
    "Acto": "Actos", "Carta": "Cartas", "Livro": "Livros", "Cena": "Cenas",
    "Szene": "Szenen", "Brief": "Briefe", "Teil": "Teile",
}  # fmt: skip


def _group_title(chapters: list[str]) -> str:
    """The range of chapters a section holds: "Chapters I–II", "Scene 11–13" for Italian
    scenes numbered in words, "12–14" for bare numbers, else "First – Last"."""
    first, last = chapters[0], chapters[-1]
    if "." in first or ":" in first:
        return f"{first} – {last}"
    head, _, number = first.rpartition(" ")
    last_head, _, last_number = last.rpartition(" ")
    low, high = number_value(number), number_value(last_number)
    if head != last_head or low is None or high is None:
        return f"{first} – {last}"
    in_words = not (number.isdigit() or roman_value(number))
    span = f"{low}–{high}" if in_words else f"{number}–{last_number}"
    return f"{_PLURALS.get(head, head)} {span}" if head else span


def _section(position: int, piece: _Draft, pieces: list[_Draft]) -> Section:
    blocks = [block for unit in piece.units for block in unit]
    headings = tuple(
        title_case(b.heading) for b in blocks if b.kind is BlockKind.HEADING and b.heading
    )
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
