"""Classifying normalised blocks: headings, list items and paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property

from bot.reading.headings import SCENE, Heading, HeadingStyle, recognise, title_case
from bot.reading.markup import is_note
from bot.reading.text import count_words


class BlockKind(Enum):
    HEADING = "heading"
    LIST_ITEM = "list_item"
    PARAGRAPH = "paragraph"
    NOTE = "note"  # a footnote: "[2] Voyez tome XXVII …"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    heading: str | None = None  # the heading's title, without Markdown markers
    info: Heading | None = None  # what kind of heading it is
    level: int = 3  # 1 (book) … 6; only meaningful for headings

    @cached_property
    def words(self) -> int:
        """Its words as `count_words` counts them, counted once: sectioning asks again and
        again."""
        return count_words(self.text)


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?$")
_SETEXT = re.compile(r"^(.+)\n(?:=+|-+)$")
# A list item's mark and the spaces after it: "- ", "3. ", "b) ", "(iv) ".
BULLET = re.compile(r"^(?:[-*+•·▪◦‣–]\s+|\d{1,3}[.)]\s+|[a-zA-Z][.)]\s+|\(\w{1,3}\)\s+)")
_CLOSING = ".,;:!?…"
_TRAILING_QUOTES = "\"'”’»)]"
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100
# Longer blocks are paragraphs even when they start in lower case or follow a colon; a
# numbered block this long is a numbered paragraph, as philosophy texts print them.
MAX_ITEM_WORDS = 60
# A heading over its title ("1." then "Prefazione") holds at most this many title lines.
MAX_TITLE_LINES = 3


def ends_with_punctuation(text: str) -> bool:
    """Whether `text` ends on a mark that closes a sentence or clause (quotes aside)."""
    return text.rstrip().rstrip(_TRAILING_QUOTES)[-1:] in _CLOSING


def _looks_like_plain_heading(block: str) -> bool:
    if "\n" in block or len(block) > MAX_HEADING_CHARS or BULLET.match(block):
        return False
    if len(block.split()) > MAX_HEADING_WORDS or ends_with_punctuation(block):
        return False
    first = block[0]
    return first.isupper() or first.isdigit()


def _opens_or_continues_list(previous: Block | None) -> bool:
    """A list announced by a colon, or continued by an item ending in ";" or ","."""
    if previous is None:
        return False
    if previous.kind is BlockKind.PARAGRAPH:
        return previous.text.endswith(":")
    return previous.kind is BlockKind.LIST_ITEM and previous.text[-1:] in ",;"


def _is_list_item(block: str, previous: Block | None) -> bool:
    if len(block.split()) > MAX_ITEM_WORDS:
        return False
    if BULLET.match(block):
        return True
    return block[0].islower() or _opens_or_continues_list(previous)


def classify(blocks: list[str], *, markdown: bool) -> list[Block]:
    """Label each block. In Markdown only `#` and underlined lines are headings.

    Plain-text headings are either recognised forms (see `headings.recognise`), which may
    carry their title on the following lines, or short capitalised lines ("plain" style),
    which `structure` keeps only in texts without recognised headings.
    """
    out: list[Block] = []
    for text in blocks:
        previous = out[-1] if out else None
        if is_note(text):
            out.append(Block(BlockKind.NOTE, text))
            continue
        heading = _heading(text, previous, markdown=markdown)
        if heading is not None:
            out.append(heading)
        elif previous is not None and (subtitled := _subtitled(previous, text)) is not None:
            out[-1] = subtitled
            out.append(
                Block(BlockKind.HEADING, text, None, Heading(HeadingStyle.SUBTITLE, None, text))
            )
        elif _is_list_item(text, previous):
            out.append(Block(BlockKind.LIST_ITEM, text))
        else:
            out.append(Block(BlockKind.PARAGRAPH, text))
    return out


def _subtitled(previous: Block, text: str) -> Block | None:
    """A recognised heading with its title on the next line, after a blank line
    ("Zweites Hauptstück:" then "Vom Wandern in den Bergen.")."""
    info = previous.info
    if (
        previous.kind is not BlockKind.HEADING
        or info is None
        or info.subtitle is not None
        or info.style not in (HeadingStyle.KEYWORD, HeadingStyle.NUMERAL)  # a title to come
        or info.rank == SCENE  # under a scene heading: its setting, not its title
        or "\n" in previous.text
        or previous.text.startswith("#")
    ):
        return None
    if "\n" in text or len(text.split()) > MAX_HEADING_WORDS or len(text) > MAX_HEADING_CHARS:
        return None
    if not text[0].isupper() or text.rstrip(_TRAILING_QUOTES)[-1:] in ",;:!?":
        return None
    info = replace(info, subtitle=title_case(text.rstrip(".")))
    return replace(previous, heading=heading_title(info), info=info)


def heading_title(info: Heading) -> str:
    return f"{info.label}. {info.subtitle}" if info.subtitle else info.label


def _with_title_lines(info: Heading, rest: list[str]) -> Heading | None:
    """A heading line followed by its title lines, when they are short title lines."""
    if not rest:
        return info
    if info.subtitle is not None or len(rest) > MAX_TITLE_LINES:
        return None
    title = " ".join(rest).strip()
    if not title or len(title.split()) > 25 or not (title[0].isupper() or title[0].isdigit()):
        return None
    if any(BULLET.match(line) for line in rest):
        return None
    return replace(info, subtitle=title_case(title.rstrip(".")))


def _heading(text: str, previous: Block | None, *, markdown: bool) -> Block | None:
    first, *rest = text.split("\n")
    if match := _MD_HEADING.match(first):
        title = match.group(2).strip()
        info = _with_title_lines(recognise(title) or Heading(HeadingStyle.MD, None, title), rest)
        if info is None:
            return None
        return Block(BlockKind.HEADING, text, heading_title(info), info, len(match.group(1)))
    if markdown:
        setext = _SETEXT.match(text)
        if not setext:
            return None
        title = setext.group(1).strip()
        level = 1 if text.rstrip().endswith("=") else 2
        return Block(BlockKind.HEADING, text, title, Heading(HeadingStyle.MD, None, title), level)
    info = recognise(first)
    if info is not None:
        info = _with_title_lines(info, rest)
        if info is not None:
            return Block(BlockKind.HEADING, text, heading_title(info), info)
    if "\n" in text and _dedication_under(previous, text):
        joined = " ".join(line.strip() for line in text.split("\n"))
        return Block(BlockKind.HEADING, text, joined, Heading(HeadingStyle.PLAIN, None, joined))
    if _opens_or_continues_list(previous) or not _looks_like_plain_heading(text):
        return None
    return Block(BlockKind.HEADING, text, text, Heading(HeadingStyle.PLAIN, None, text))


def _dedication_under(previous: Block | None, text: str) -> bool:
    """A few lines in capitals under a heading of capitalised lines: a poem's dedication
    ("A ERNEST CHRISTOPHE" / "STATUAIRE"), part of its heading, not a stanza."""
    if previous is None or previous.kind is not BlockKind.HEADING or previous.info is None:
        return False
    lines = [line.strip() for line in text.split("\n")]
    return (
        previous.info.style is HeadingStyle.PLAIN
        and len(lines) <= MAX_TITLE_LINES
        and all(line.isupper() for line in lines)
        and _looks_like_plain_heading(" ".join(lines))
    )
