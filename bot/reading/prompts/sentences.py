"""A section's blocks and the sentences and list items inside them, with their offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Literal

import pysbd

from bot.reading.blocks import BULLET, BlockKind, classify, ends_with_punctuation
from bot.reading.markup import plain_words
from bot.reading.prompts.abbreviations import with_one_scan
from bot.reading.prompts.kinds import speaker_of
from bot.reading.prompts.lexicon import Folded, Lexicon
from bot.reading.prompts.list_gate import FindingSegmenter, with_list_gate
from bot.reading.text import WORD

BlockRole = Literal["heading", "paragraph", "item", "fragment"]
UnitKind = Literal["sentence", "item"]

# A whitespace-separated token holding a letter or digit, matched whole.
_WORDY_TOKEN = re.compile(r"(?<!\S)(?=\S*?\w)\S+")
_TITLE_OPENING = re.compile(r"([A-Z])\.\s+([A-Z]\.\s+)?[A-ZÀ-Þ][a-zà-ÿ]")
# What may come before a sentence's first letter: "(me gusta …" and "¿no es …" open in lower case.
# Closing quote marks a segmenter left at the start of the next sentence: "« An der …".
_STRAY_CLOSER = re.compile(r"([«»“”\"’]+)\s+(?=\S)")
_OPENERS = "\"'“‘«([¿¡"
# pysbd slows down more than linearly on long runs; past this size a plain rule splitter
# keeps a section in milliseconds.
_PYSBD_MAX_CHARS = 6000
# German closes its quotations with « and “: »Gregor!« and „Ja!“ end a sentence too.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»«“)\]]*\s+")
_OPENS_SENTENCE = re.compile(r"[\"'“‘«(\[¿¡]*[^\W\d_]|[\"'“‘«(\[¿¡]*\d", re.UNICODE)
# A dash between two sentences: "Selbst Unwissenheit? - Das Problem …". Before a lower-case
# word it tags the words before it instead ("¿Ciego? -dijo Golfín").
_DASHED_OPENING = re.compile(r"(?:--?|[—–])[ \t]*(?=[\"'“‘«(\[]*[^\W\d_a-zà-ÿ])")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a paragraph, or one list item; `start`/`end` are offsets in its block."""

    index: int  # position among the section's sentences and items
    block: int  # 1-based index of its block in text.split("\n\n")
    start: int
    end: int
    text: str
    kind: UnitKind
    preceded: bool  # another sentence comes before it in the same block
    followed: bool  # another sentence comes after it in the same block

    @cached_property
    def words(self) -> list[str]:
        """Its words (`WORD`), cut once: finding moves, ranking and sizing each ask for them."""
        return WORD.findall(self.text)

    @cached_property
    def folded(self) -> Folded:
        """`Folded.of` its text, made once: finding moves, kind moves and a quote's features
        each try cue gates on it."""
        return Folded.of(self.text)


@dataclass(frozen=True)
class ParsedSection:
    text: str
    blocks: tuple[str, ...]
    roles: tuple[BlockRole, ...]
    sentences: tuple[Sentence, ...]

    @property
    def prose_blocks(self) -> frozenset[int]:
        """Paragraphs holding a sentence of three words or more: what quotes should spread over."""
        return frozenset(
            s.block
            for s in self.sentences
            if s.kind == "sentence"
            and self.roles[s.block - 1] == "paragraph"
            and has_quote_words(s.text, 3)
        )


def count_quote_words(text: str) -> int:
    """Words as a quote counts them: whitespace-separated tokens with a letter or digit."""
    return len(_WORDY_TOKEN.findall(text))


def has_quote_words(text: str, count: int = 1) -> bool:
    """Whether `count_quote_words(text) >= count`, reading no further than the count-th word."""
    if count <= 0:
        return True
    return any(found == count for found, _ in enumerate(_WORDY_TOKEN.finditer(text), 1))


def _opens_on_a_title(text: str, abbreviations: frozenset[str]) -> bool:
    """Whether "M. Girard …" or "J. R. Whitcombe …" opens the block: a title or initials
    before a name, not a lettered point."""
    match = _TITLE_OPENING.match(text)
    if match is None:
        return False
    return match.group(2) is not None or match.group(1).lower() in abbreviations


def _roles(
    blocks: list[str], title: str | None, abbreviations: frozenset[str] = frozenset()
) -> list[BlockRole]:
    labelled = classify([b if b.strip() else " " for b in blocks], markdown=False)
    wanted = title.strip().lstrip("#").strip().casefold() if title else None
    roles: list[BlockRole] = []
    for raw, block in zip(blocks, labelled, strict=True):
        text = raw.strip()
        if not has_quote_words(text):
            roles.append("fragment")
        elif block.kind is BlockKind.HEADING or (
            wanted and text.lstrip("#").strip().casefold() == wanted
        ):
            roles.append("heading")
        elif block.kind is BlockKind.NOTE:
            roles.append("fragment")  # a footnote is the editor's, not the text to discuss
        elif block.kind is BlockKind.LIST_ITEM and not _opens_on_a_title(text, abbreviations):
            # Two bare lowercase words ("new list") are an extraction artefact, not an item.
            short = not has_quote_words(text, 3) and not ends_with_punctuation(text)
            roles.append("fragment" if short and not BULLET.match(text) else "item")
        else:
            roles.append("paragraph")
    return roles


@cache
def _segmenter(language: str) -> pysbd.Segmenter | None:
    try:
        segmenter = FindingSegmenter(language=language, clean=False)
    except ValueError:
        return None
    segmenter.language_module = with_list_gate(with_one_scan(segmenter.language_module))
    return segmenter


def _rule_split(run: str, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    """Split at . ! ? followed by a capital or digit, unless the dot ends an abbreviation."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(run):
        after = match.end()
        dash = _DASHED_OPENING.match(run, after)
        # The dash opens the next sentence, as a speech's dash does in Spanish.
        opening = dash.end() if dash else after
        if opening >= len(run) or not _OPENS_SENTENCE.match(run, opening):
            continue
        nxt = run[opening]
        if nxt.isalpha() and not nxt.isupper():
            continue
        before = run[start : match.start() + 1].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if run[match.start()] == "." and (
            last in abbreviations or (len(last) == 1 and last.isalpha())
        ):
            continue
        spans.append((start, match.end()))
        start = after
    spans.append((start, len(run)))
    return spans


def _pysbd_split(run: str, segmenter: pysbd.Segmenter) -> list[tuple[int, int]] | None:
    flat = run.replace("\n", " ")
    spans: list[tuple[int, int]] = []
    cursor = 0
    try:
        pieces = segmenter.segment(flat)
    except Exception:  # a third-party rule set failing on odd input must not cost the prompts
        return None
    for piece in pieces:
        piece = piece.strip()
        if not piece:
            continue
        found = flat.find(piece, cursor)
        if found < 0:  # pysbd changed the text: its spans cannot be trusted
            return None
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    return spans


def _ambiguous(run: str) -> bool:
    """Whether a full stop here might not end a sentence: after an abbreviation, an initial,
    a number or a short capitalised word ("Dr.", "J.", "1.", "St.")."""
    for match in _BOUNDARY.finditer(run):
        if run[match.start()] != ".":
            continue
        words = run[: match.start()].split()
        before = words[-1] if words else ""
        if len(before) <= 4 or "." in before or before[-1:].isdigit():
            return True
    return "..." in run


def _ends_short(piece: str, abbreviations: frozenset[str]) -> bool:
    """Whether a piece ends at a title, an abbreviation or an initial ("Sr.", "Hr.", "J.")."""
    words = piece.rstrip().split()
    if not words or not words[-1].endswith("."):
        return False
    last = words[-1].lower().rstrip(".")
    return last in abbreviations or (len(last) == 1 and last.isalpha())


def _checked(
    run: str, spans: list[tuple[int, int]], abbreviations: frozenset[str]
) -> list[tuple[int, int]]:
    """pysbd's spans, joined where one ends at an abbreviation its rules for the language
    missed ("El Sr." | "García …"), and split where it ran two sentences together."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and _ends_short(run[joined[-1][0] : joined[-1][1]], abbreviations):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    out: list[tuple[int, int]] = []
    for start, end in joined:
        out.extend((start + s, start + e) for s, e in _rule_split(run[start:end], abbreviations))
    return out


def split_sentences(run: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """Sentence spans in `run`, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] | None = None
    # pysbd is careful but slow: plain runs, where every full stop follows a long word, split
    # the same way by rule.
    careful = len(run) <= _PYSBD_MAX_CHARS and _ambiguous(run)
    segmenter = _segmenter(lexicon.segmenter) if careful else None
    if segmenter is not None:
        spans = _pysbd_split(run, segmenter)
    if spans is None:
        spans = _rule_split(run, lexicon.abbreviations)
    else:
        spans = _checked(run, spans, lexicon.abbreviations)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        piece = run[start:end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right <= left:
            continue
        start, end = start + left, start + right
        stray = _STRAY_CLOSER.match(run, start, end)
        if out and stray and start == out[-1][1]:
            # »Gregor!« split after the "!": the closing mark ends the sentence before.
            out[-1] = (out[-1][0], stray.end(1))
            start = stray.end()
        # A sentence does not open in lower case: "the points a) and b) above" and
        # "“Come in,” she said" are one sentence each, whatever the segmenter thought.
        # Nor does one start inside a word ("0!0", "U.N.E.S.C.O").
        if out and (run[start:].lstrip(_OPENERS)[:1].islower() or start == out[-1][1]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _units_of_block(
    block: str, role: BlockRole, lexicon: Lexicon, speeches: bool = False
) -> list[tuple[int, int, UnitKind]]:
    units: list[tuple[int, int, UnitKind]] = []
    speaker = speaker_of(block) if speeches and role == "paragraph" else None
    if speaker is not None:
        # A speech in a play: its sentences start after the speaker's name.
        skip = speaker[1]
        return [(s + skip, e + skip, k) for s, e, k in _units_of_block(block[skip:], role, lexicon)]
    if role == "item":
        # One item a line: a Markdown list without blank lines is one block.
        offset = 0
        for line in block.split("\n"):
            bullet = BULLET.match(line)
            start = bullet.end() if bullet else len(line) - len(line.lstrip())
            if line.strip():
                units.append((offset + start, offset + len(line.rstrip()), "item"))
            offset += len(line) + 1
        return units
    run_start: int | None = None
    offset = 0

    def close_run(end: int) -> None:
        if run_start is not None:
            for s, e in split_sentences(block[run_start:end], lexicon):
                units.append((run_start + s, run_start + e, "sentence"))

    for line in block.split("\n"):
        bullet = BULLET.match(line)
        if bullet and not _opens_on_a_title(line, lexicon.abbreviations):
            close_run(offset)
            run_start = None
            units.append((offset + bullet.end(), offset + len(line.rstrip()), "item"))
        elif run_start is None:
            run_start = offset
        offset += len(line) + 1
    close_run(len(block))
    return [u for u in units if u[1] > u[0]]


def parse_section(
    text: str, lexicon: Lexicon, title: str | None = None, *, speeches: bool = False
) -> ParsedSection:
    """Blocks, their roles, and the section's sentences and list items in reading order.

    Sentences are read without emphasis and footnote markers, so quotes hold words only.
    With `speeches` (a play), a speaker's name opening a block is no part of its sentences.
    """
    text = plain_words(text)
    blocks = text.split("\n\n")
    roles = _roles(blocks, title, lexicon.abbreviations)
    prose = (b for b, r in zip(blocks, roles, strict=True) if r in ("paragraph", "item"))
    if not any(has_quote_words(b, 3) for b in prose):
        # Nothing but headings and scraps: quote whatever words there are.
        roles = ["paragraph" if has_quote_words(b) else "fragment" for b in blocks]
    raw: list[tuple[int, int, int, UnitKind]] = []
    for number, (block, role) in enumerate(zip(blocks, roles, strict=True), 1):
        if role in ("paragraph", "item"):
            units = _units_of_block(block, role, lexicon, speeches)
            raw.extend((number, s, e, k) for s, e, k in units)
    if not any(has_quote_words(blocks[n - 1][s:e], 3) for n, s, e, _ in raw):
        # Only scraps such as "Yes. No. Maybe.": a block read whole can still be quoted.
        raw = [
            (n, len(b) - len(b.lstrip()), len(b.rstrip()), "sentence")
            for n, b in enumerate(blocks, 1)
            if has_quote_words(b)
        ]
    sentences = []
    for i, (number, start, end, kind) in enumerate(raw):
        sentences.append(
            Sentence(
                index=i,
                block=number,
                start=start,
                end=end,
                text=blocks[number - 1][start:end],
                kind=kind,
                preceded=i > 0 and raw[i - 1][0] == number,
                followed=i + 1 < len(raw) and raw[i + 1][0] == number,
            )
        )
    return ParsedSection(text, tuple(blocks), tuple(roles), tuple(sentences))
