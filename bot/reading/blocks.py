"""Classifying normalised blocks: headings, list items and paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class BlockKind(Enum):
    HEADING = "heading"
    LIST_ITEM = "list_item"
    PARAGRAPH = "paragraph"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    heading: str | None = None  # the heading's title, without Markdown markers


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?$")
_SETEXT = re.compile(r"^(.+)\n(?:=+|-+)$")
_BULLET = re.compile(r"^(?:[-*+•·▪◦‣–]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|\(\w{1,3}\)\s)")
_CLOSING = ".,;:!?…"
_TRAILING_QUOTES = "\"'”’»)]"
MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100
# Longer blocks are paragraphs even when they start in lower case or follow a colon.
MAX_ITEM_WORDS = 60


def _ends_with_punctuation(line: str) -> bool:
    return line.rstrip(_TRAILING_QUOTES)[-1:] in _CLOSING


def _looks_like_plain_heading(block: str) -> bool:
    if "\n" in block or len(block) > MAX_HEADING_CHARS or _BULLET.match(block):
        return False
    if len(block.split()) > MAX_HEADING_WORDS or _ends_with_punctuation(block):
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
    if _BULLET.match(block):
        return True
    if len(block.split()) > MAX_ITEM_WORDS:
        return False
    return block[0].islower() or _opens_or_continues_list(previous)


def classify(blocks: list[str], *, markdown: bool) -> list[Block]:
    """Label each block. In Markdown only `#` and underlined lines are headings."""
    out: list[Block] = []
    for text in blocks:
        previous = out[-1] if out else None
        heading = _heading_title(text, previous, markdown=markdown)
        if heading is not None:
            out.append(Block(BlockKind.HEADING, text, heading))
        elif _is_list_item(text, previous):
            out.append(Block(BlockKind.LIST_ITEM, text))
        else:
            out.append(Block(BlockKind.PARAGRAPH, text))
    return out


def _heading_title(text: str, previous: Block | None, *, markdown: bool) -> str | None:
    if match := _MD_HEADING.match(text):
        return match.group(2).strip()
    if markdown:
        setext = _SETEXT.match(text)
        return setext.group(1).strip() if setext else None
    if _opens_or_continues_list(previous):
        return None
    return text if _looks_like_plain_heading(text) else None
