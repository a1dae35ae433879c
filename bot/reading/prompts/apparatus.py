"""The book's apparatus inside a section: a chapter's summary line under its heading ("In
which …", "De como o auctor …"), a place-and-date line under a preface. They are the editor's
or the author's signposts, not a moment of the text to discuss, so no prompt quotes them."""

from __future__ import annotations

from dataclasses import replace

from bot.reading.prompts.kinds import VERSE_LINE_CHARS
from bot.reading.prompts.lexicon import Lexicon
from bot.reading.prompts.sentence_kinds import is_dateline
from bot.reading.prompts.sentences import ParsedSection, count_quote_words

# A summary line of short phrases: "Parte para a serra. Chega à estalagem …".
_SUMMARY_MIN_PHRASES = 4
_SHORT_PHRASE_WORDS = 7
_SUMMARY_MAX_WORDS = 150
_DASHED_PHRASES = 3
_TEXT_AFTER = 3


def _opens_summary(block: str, lexicon: Lexicon) -> bool:
    start = block.lstrip(" \t\"'“«—–-").casefold()
    return any(
        start.startswith(opener) and not start[len(opener) : len(opener) + 1].isalnum()
        for opener in lexicon.summary_openers
    )


def _reads_as_summary(parsed: ParsedSection, number: int, lexicon: Lexicon) -> bool:
    """Whether the block is a chapter's summary: the first paragraph under a heading, with
    more text after it, that opens as one or strings short phrases together."""
    roles = parsed.roles
    heading = next((r for r in reversed(roles[: number - 1]) if r != "fragment"), None)
    if heading != "heading":
        return False
    block = parsed.blocks[number - 1]
    after = sum(
        count_quote_words(b)
        for b, r in zip(parsed.blocks[number:], roles[number:], strict=True)
        if r == "paragraph"
    )
    if after < _TEXT_AFTER * count_quote_words(block):
        return False  # a summary heads a chapter much longer than itself
    if _opens_summary(block, lexicon):
        return True
    lines = [line for line in block.split("\n") if line.strip()]
    if len(lines) > 1 and all(len(line) <= VERSE_LINE_CHARS for line in lines):
        return False  # a stanza: its short phrases are lines of verse
    phrases = [s.text for s in parsed.sentences if s.block == number]
    if sum(1 for text in phrases if text.startswith(("--", "—", "–"))) >= _DASHED_PHRASES:
        return True  # "… -- Feira de gado, e feira de panos. -- Chuva e lama …"
    sizes = [count_quote_words(text) for text in phrases]
    if len(sizes) < _SUMMARY_MIN_PHRASES or sum(sizes) > _SUMMARY_MAX_WORDS:
        return False
    short = sum(1 for size in sizes if size <= _SHORT_PHRASE_WORDS)
    return 2 * short >= len(sizes) and sum(sizes) / len(sizes) <= 10


def apparatus_blocks(parsed: ParsedSection, lexicon: Lexicon) -> frozenset[int]:
    """The numbers of the blocks that are summary lines or datelines."""
    out = set()
    for number, role in enumerate(parsed.roles, 1):
        if role != "paragraph":
            continue
        block = parsed.blocks[number - 1]
        if is_dateline(block, lexicon) or _reads_as_summary(parsed, number, lexicon):
            out.add(number)
    return frozenset(out)


def without_apparatus(parsed: ParsedSection, lexicon: Lexicon) -> ParsedSection:
    """The section as prompts read it: its summary lines and datelines left out."""
    dropped = apparatus_blocks(parsed, lexicon)
    kept = [s for s in parsed.sentences if s.block not in dropped]
    if not dropped or not kept:
        return parsed
    roles = tuple(
        "fragment" if number in dropped else role for number, role in enumerate(parsed.roles, 1)
    )
    sentences = tuple(
        replace(
            s,
            index=i,
            preceded=i > 0 and kept[i - 1].block == s.block,
            followed=i + 1 < len(kept) and kept[i + 1].block == s.block,
        )
        for i, s in enumerate(kept)
    )
    return ParsedSection(parsed.text, parsed.blocks, roles, sentences)
