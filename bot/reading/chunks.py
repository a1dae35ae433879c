"""Cutting a section's text into messages that fit Discord, at the gentlest bound possible."""

from __future__ import annotations

from bot.reading.blocks import BlockKind, classify
from bot.reading.text import BREAK_SPACE, SENTENCE_END, blocks_of

DISCORD_MESSAGE_LIMIT = 2000


def _cut_long(text: str, limit: int) -> list[str]:
    """Cut one over-long block at sentence ends, else at spaces; never inside a word."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        # A little past the limit, to see whether a mark that closes (a French " »", " !"…)
        # follows where a cut would be.
        ahead = rest[: limit + 3]
        cut = max((m.end() for m in SENTENCE_END.finditer(ahead) if m.end() <= limit), default=0)
        if cut < limit // 3:
            space = max(
                (m.start() for m in BREAK_SPACE.finditer(ahead) if m.start() <= limit), default=-1
            )
            cut = space + 1 if space > 0 else limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _groups(text: str, *, markdown: bool) -> list[str]:
    """Blocks joined into groups kept together where possible: a paragraph with its list,
    a heading with what follows it."""
    groups: list[list[str]] = []
    previous: BlockKind | None = None
    for block in classify(blocks_of(text), markdown=markdown):
        if groups and (block.kind is BlockKind.LIST_ITEM or previous is BlockKind.HEADING):
            groups[-1].append(block.text)
        else:
            groups.append([block.text])
        previous = block.kind
    return ["\n\n".join(group) for group in groups]


def split_messages(
    text: str, *, limit: int = DISCORD_MESSAGE_LIMIT, markdown: bool = False
) -> list[str]:
    """Split text into messages of at most `limit` characters.

    Messages break between paragraphs; a paragraph stays with its list and a heading with
    what follows it when they fit together. Only a single paragraph longer than a message is
    cut, at a sentence end or else between words.
    """
    messages: list[str] = []
    current = ""
    for group in _groups(text, markdown=markdown):
        parts = [group] if len(group) <= limit else _split_group(group, limit)
        for part in parts:
            candidate = f"{current}\n\n{part}" if current else part
            if len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    messages.append(current)
                current = part
    if current:
        messages.append(current)
    return messages


def _split_group(group: str, limit: int) -> list[str]:
    parts: list[str] = []
    for block in group.split("\n\n"):
        parts.extend([block] if len(block) <= limit else _cut_long(block, limit))
    return parts
