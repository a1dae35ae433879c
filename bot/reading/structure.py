"""A book's structure: which headings count and at what level, and what is front or back
matter (distributor's licence, title page, contents, dedication, notes) rather than reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from bot.reading.blocks import Block, BlockKind
from bot.reading.headings import (
    CHAPTER,
    SCENE,
    HeadingStyle,
    chapter_word,
    roman_value,
    title_case,
)
from bot.reading.text import count_words

_GUTENBERG_START = re.compile(r"^\*{3}\s*start of (?:the|this) project gutenberg", re.I)
_GUTENBERG_END = re.compile(
    r"^(?:\*{3}\s*)?end of (?:the |this )?project gutenberg(?:'s)?", re.IGNORECASE
)
_FRONT_NAMES = re.compile(
    r"^(?:(?:table of )?contents|list of illustrations|illustrations|imprint|dedication|"
    r"table des matières|table|sommaire|inhalt|inhaltsverzeichnis|índice|indice|sumário|"
    r"personaggi|interlocutori|personnages|personajes|personagens|personen|"
    r"dramatis personae|characters|persons represented|the persons of the play|"
    r"transcriber'?s note|translator'?s note|e-text prepared by.*|produced by.*|"
    r"half title|titlepage|title page)\.?$",
    re.IGNORECASE,
)
_BACK_NAMES = re.compile(
    r"^(?:notes|endnotes|footnotes|note|notas|notes de l'auteur|anmerkungen|fussnoten|"
    r"licen[cs]e|uncopyright|colophon|index|glossary|bibliography|about this e-?book|"
    r"transcriber'?s notes?)\.?$",
    re.IGNORECASE,
)
_FRONT_LINES = re.compile(
    r"^(?:e-text prepared by|produced by|transcribed by|translated by|traduit|tradotto|"
    r"traducido|übersetzt|to my|to the|dedicated to|à mon|a mio|a mi |all'|alla |al |"
    r"an meine|ao |à la|copyright|printed|gedruckt|verlag|imprenta|typographia|tipografia)",
    re.IGNORECASE,
)
# Before the first heading, prose of fewer words than this is an epigraph or a title page.
MIN_OPENING_WORDS = 100
# A draft of fewer words than this before the first real chapter is a title page.
TITLE_PAGE_WORDS = 20


class MatterKind(StrEnum):
    """What blocks kept out of the sections are; the values are shown in the preview."""

    BOILERPLATE = "boilerplate"  # a distributor's header or licence
    FRONT = "front matter"
    BACK = "back matter"


@dataclass(frozen=True)
class Matter:
    """Blocks kept out of the sections: what kind they are, and `label`, what they are."""

    kind: MatterKind
    label: str
    text: str

    @property
    def word_count(self) -> int:
        return count_words(self.text)


@dataclass(frozen=True)
class Outline:
    front: tuple[Matter, ...]
    body: tuple[Block, ...]
    back: tuple[Matter, ...]
    title: str | None  # the first Markdown level-one heading, or a Gutenberg header's Title:


def _number_value(number: str | None) -> int | None:
    if number is None:
        return None
    return int(number) if number.isdigit() else roman_value(number)


def _piece_styles(blocks: list[Block]) -> set[str]:
    """Numerals printed alike (`Heading.printed`) whose numbers start again (I, II, I, II):
    pieces inside a poem or an essay, not chapters."""
    last: dict[str, int] = {}
    restarting: set[str] = set()
    for block in blocks:
        info = block.info
        if (
            block.kind is not BlockKind.HEADING
            or info is None
            or info.style is not HeadingStyle.NUMERAL
        ):
            continue
        value = _number_value(info.number)
        if value is None:
            continue
        if info.printed in last and value <= last[info.printed]:
            restarting.add(info.printed)
        last[info.printed] = value
    return restarting


def assign_levels(blocks: list[Block], *, markdown: bool) -> list[Block]:
    """Give each heading its level; in a text with recognised headings, short capitalised
    lines are not headings (a setting, a caption, a signature)."""
    if markdown:
        return blocks
    pieces = _piece_styles(blocks)
    strong = [
        b
        for b in blocks
        if b.kind is BlockKind.HEADING
        and b.info is not None
        and b.info.style is not HeadingStyle.PLAIN
        and b.info.printed not in pieces
    ]
    keep_plain = len(strong) < 2
    seen_chapter_keyword = False
    numeral_level: dict[str, int] = {}
    out: list[Block] = []
    for block in blocks:
        info = block.info
        if block.kind is not BlockKind.HEADING or info is None:
            out.append(block)
            continue
        if info.style is HeadingStyle.SUBTITLE:
            out.append(replace(block, level=out[-1].level if out else CHAPTER))
            continue
        if info.style is HeadingStyle.PLAIN:
            if keep_plain:
                out.append(replace(block, level=CHAPTER))
            else:
                out.append(Block(BlockKind.PARAGRAPH, block.text))
            continue
        if info.rank is not None:
            if info.rank <= CHAPTER and info.style is not HeadingStyle.DATE:
                seen_chapter_keyword = True
            out.append(replace(block, level=info.rank))
            continue
        # Headings printed alike ("IV.", "V.") are of one level, decided by the first.
        if info.printed not in numeral_level:
            deeper = info.printed in pieces or seen_chapter_keyword
            numeral_level[info.printed] = SCENE if deeper else CHAPTER
        out.append(replace(block, level=numeral_level[info.printed]))
    return out


def display_title(block: Block, language: str) -> str:
    """How a heading is named in a section title: "Chapter IV", "I. Perdido", "Atto primo"."""
    info = block.info
    if info is None:
        return block.heading or ""
    if info.style is HeadingStyle.NUMERAL:
        if info.subtitle:
            return f"{info.number}. {info.subtitle}"
        return f"{chapter_word(language)} {info.number}" if block.level <= CHAPTER else info.label
    if info.subtitle:
        return f"{info.label}: {info.subtitle}"
    # A short line in capitals may be an acronym ("USA"); a longer one is a title in capitals.
    return (
        title_case(info.label)
        if info.style is HeadingStyle.PLAIN and len(info.label) > 3
        else info.label
    )


def _heading_like(block: Block) -> bool:
    text = block.text
    return block.kind is BlockKind.HEADING or (
        len(text.split()) <= 12
        and text[:1].isupper()
        and not text.rstrip("\"'”’»)").endswith((",", ";", ".", "!", "?", ":"))
    )


def _split_gutenberg(blocks: list[Block]) -> tuple[list[Matter], list[Block], list[Matter]]:
    start = next(
        (i for i, b in enumerate(blocks) if _GUTENBERG_START.match(b.text.lstrip("* "))), None
    )
    if start is None:
        start = next((i for i, b in enumerate(blocks[:40]) if _GUTENBERG_START.match(b.text)), None)
    if start is None:
        return [], blocks, []
    end = next(
        (i for i in range(start + 1, len(blocks)) if _GUTENBERG_END.match(blocks[i].text)),
        len(blocks),
    )
    front = [Matter(MatterKind.BOILERPLATE, "Project Gutenberg header", _join(blocks[: start + 1]))]
    back = (
        [Matter(MatterKind.BOILERPLATE, "Project Gutenberg licence", _join(blocks[end:]))]
        if end < len(blocks)
        else []
    )
    return front, blocks[start + 1 : end], back


_TITLE_LINE = re.compile(r"^title:[ \t]*(\S.*)$", re.IGNORECASE | re.MULTILINE)


def _gutenberg_title(front: list[Matter]) -> str | None:
    """The `Title:` line of a Project Gutenberg header."""
    header = next((m.text for m in front if m.kind == MatterKind.BOILERPLATE), "")
    match = _TITLE_LINE.search(header)
    return match.group(1).strip() if match else None


def _join(blocks: list[Block]) -> str:
    return "\n\n".join(b.text for b in blocks)


def _is_strong(block: Block) -> bool:
    """A heading that can open the reading: recognised, and not a piece inside a chapter."""
    if block.kind is not BlockKind.HEADING or block.info is None:
        return False
    if block.info.style in (HeadingStyle.PLAIN, HeadingStyle.SUBTITLE):
        return False
    return (
        block.info.style is HeadingStyle.MD or block.info.rank is not None or block.level <= CHAPTER
    )


def _matter_name(block: Block) -> MatterKind | None:
    """Whether a heading (or a block's first line) names front or back matter."""
    name = (block.heading or block.text).split("\n")[0].strip().lstrip("#").strip()
    if _FRONT_NAMES.match(name):
        return MatterKind.FRONT
    if _BACK_NAMES.match(name):
        return MatterKind.BACK
    return None


def outline(blocks: list[Block], *, markdown: bool) -> Outline:
    """Split classified blocks into front matter, the body to read, and back matter.

    Nothing is dropped: the front, the body and the back, in order, are the blocks given.
    """
    front, body, back = _split_gutenberg(blocks)
    body = assign_levels(body, markdown=markdown)
    title = next(
        (b.heading for b in body if markdown and b.kind is BlockKind.HEADING and b.level == 1),
        None,
    ) or _gutenberg_title(front)
    start = _opening_front(body, markdown=markdown)
    if start:
        front.append(Matter(MatterKind.FRONT, _front_label(body[:start]), _join(body[:start])))
    drafts = _drafts(body[start:])
    lead = _front_drafts(drafts, markdown=markdown)
    if lead:
        taken = [b for draft in drafts[:lead] for b in draft]
        front.append(Matter(MatterKind.FRONT, _front_label(taken), _join(taken)))
    tail = _back_start(drafts, lead)
    kept = [b for draft in drafts[lead:tail] for b in draft]
    if not kept or not any(b.kind is not BlockKind.HEADING for b in kept):
        # Never leave a reading without sections: then it is all reading.
        return Outline((), tuple(assign_levels(blocks, markdown=markdown)), (), title)
    kept, notes = _endnotes(kept)
    back_blocks = [b for draft in drafts[tail:] for b in draft]
    if back_blocks:
        back.insert(0, Matter(MatterKind.BACK, _back_label(back_blocks), _join(back_blocks)))
    if notes:
        back.insert(0, Matter(MatterKind.BACK, "notes", _join(notes)))
    return Outline(tuple(front), tuple(kept), tuple(back), title)


def _front_drafts(drafts: list[list[Block]], *, markdown: bool) -> int:
    """How many drafts at the start are front matter: named so, a Markdown title page, or
    too short to read and not a part holding the chapters after it."""
    lead = 0
    for i, draft in enumerate(drafts):
        matter = _matter_name(draft[0]) if draft[0].kind is BlockKind.HEADING else None
        words = sum(b.words for b in draft if b.kind is not BlockKind.HEADING)
        container = i + 1 < len(drafts) and drafts[i + 1][0].level > draft[0].level and not words
        title_page = (
            markdown
            and i == 0
            and draft[0].level == 1
            and draft[0].info is not None
            and draft[0].info.style is HeadingStyle.MD
            and words < 300
            and sum(d[0].level == 1 for d in drafts) == 1
            and len(drafts) > 1
        )
        if matter is not None or title_page or (words < TITLE_PAGE_WORDS and not container):
            lead = i + 1
            continue
        break
    return lead


def _back_start(drafts: list[list[Block]], lead: int) -> int:
    """Where the back matter starts among the drafts after the first `lead`."""
    tail = len(drafts)
    while tail > lead and _matter_name(drafts[tail - 1][0]) is MatterKind.BACK:
        tail -= 1
    # A back-matter heading followed only by more back matter or by notes' own numbers.
    for i in range(lead, tail):
        if _matter_name(drafts[i][0]) is MatterKind.BACK and not any(
            _is_strong(d[0]) and (d[0].level <= drafts[i][0].level) for d in drafts[i + 1 :]
        ):
            return i
    return tail


def _endnotes(body: list[Block]) -> tuple[list[Block], list[Block]]:
    """Footnotes all printed together at the text's end are back matter. Where notes follow
    their chapters instead, every note stays with its chapter, after the paragraph before it:
    a reader meets it where the book prints it, and no chapter loses its notes but the last."""
    end = len(body)
    while end > 0 and body[end - 1].kind is BlockKind.NOTE:
        end -= 1
    if end == len(body) or any(b.kind is BlockKind.NOTE for b in body[:end]):
        return body, []
    if not any(b.kind is not BlockKind.HEADING for b in body[:end]):
        return body, []
    return body[:end], body[end:]


def _names(blocks: list[Block]) -> list[str]:
    names = [b.text.split("\n")[0].lstrip("# ").rstrip(".").lower() for b in blocks]
    return [n for b, n in zip(blocks, names, strict=True) if _matter_name(b) and len(n) <= 40]


def _front_label(blocks: list[Block]) -> str:
    names = _names(blocks)
    return "title page" + (", " + ", ".join(names) if names else "")


def _back_label(blocks: list[Block]) -> str:
    return ", ".join(_names(blocks)) or "notes"


def _drafts(blocks: list[Block]) -> list[list[Block]]:
    drafts: list[list[Block]] = []
    for block in blocks:
        if block.kind is BlockKind.HEADING or not drafts:
            drafts.append([block])
        else:
            drafts[-1].append(block)
    return drafts


def _opening_front(body: list[Block], *, markdown: bool) -> int:
    """How many blocks before the first heading are front matter (title page, epigraph,
    dedication, cast list); prose long enough to read stays as an untitled opening."""
    first = next((i for i, b in enumerate(body) if _is_strong(b)), None)
    if first is None:
        first = next((i for i, b in enumerate(body) if b.kind is BlockKind.HEADING), None)
    if not first:
        return 0
    region = body[:first]
    if markdown:
        return first if all(_heading_like(b) for b in region) else 0
    prose_at = next(
        (i for i, b in enumerate(region) if b.words >= 25 and not _heading_like(b)),
        None,
    )
    if prose_at is None or sum(b.words for b in region[prose_at:]) < MIN_OPENING_WORDS:
        return first
    marked = any(_matter_name(b) or _front_line(b) for b in region) or any(
        _heading_like(b) for b in region[prose_at:]
    )
    return first if marked else prose_at


def _front_line(block: Block) -> bool:
    return block.words <= 30 and bool(_FRONT_LINES.match(block.text))
