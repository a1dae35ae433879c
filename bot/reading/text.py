"""Decoding uploaded bytes and normalising text into blank-line separated blocks; and the
text rules every layer shares: words counted, visible text, counts, lists and cuts."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence

import charset_normalizer

from bot.reading.headings import recognise

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Line breaks inside a block are kept before these, so lists and quotes stay one item a line.
_KEEP_BREAK_BEFORE = re.compile(
    r"^(?:[-*+•·▪◦‣–]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|\(\w{1,3}\)\s|>|#)"
)
# Runs of horizontal space: each becomes one plain space. A lone plain space is one already,
# so it is not matched (a line of prose holds one between every two words).
_SPACE_CHARS = r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]"
_SPACES = re.compile(_SPACE_CHARS + r"{2,}|" + _SPACE_CHARS.replace(" ", "", 1))
_INDENT = re.compile(r"^[ \t\u00a0\u3000]{2,}\S")
# A paragraph longer than this is cut into paragraphs at sentence ends (else between words):
# no section, message or prompt pass ever has to hold one unbounded block.
MAX_BLOCK_WORDS = 1000
# A mark French sets after a space that belongs to the words before it: a closing "»" (where
# German's "»Wir …" opens a quotation), "!", "?", ":" or ";", each followed by a space, another
# mark or the end.
_SPACED_CLOSER = r"[»!?:;](?:[\s,.;:!?)»]|$)"
# Where a sentence ends and the next begins: its closing quotes and brackets stay with it,
# German's "«" and French's " »" (after a space, often a no-break one) among them.
SENTENCE_END = re.compile(
    rf"(?<=[.!?…;:])(?:[\"'”’»«)\]]|[ \u00a0\u202f]»)*\s+(?!{_SPACED_CLOSER})"
)
# A space a text may be cut at between words: not one before a spaced closing mark, nor one
# after an opening "«".
BREAK_SPACE = re.compile(rf"(?<!«) (?!{_SPACED_CLOSER})")
_WESTERN_PUNCTUATION = frozenset("«»‘’“”„‚–—…•·¡¿°§¶ªº€£¢¥©®™×÷±")


class TextFormatError(ValueError):
    """The upload cannot be read as text; the message says why and what to do."""


def decode(data: bytes, *, source: str = "the file") -> str:
    """Decode text bytes: UTF-8 (with or without BOM), else the encoding they were written in.

    Old Western encodings (Latin-1, Windows-1252), common among downloaded books, are read as
    such; other encodings are detected. Raises TextFormatError saying why when the bytes are
    not text.
    """
    if data.startswith(_UTF16_BOMS):
        raise TextFormatError(
            f"{source} is encoded as UTF-16; please save it as UTF-8 and upload it again."
        )
    if b"\x00" in data:  # anywhere: no text has NUL bytes, and PostgreSQL refuses them
        raise TextFormatError(f"{source} looks like a binary file, not text.")
    data = data.removeprefix(UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _decode_legacy(data, source, exc.start)
    if not text.strip():
        raise TextFormatError(f"{source} has no text in it.")
    return text


def _plausible_western(text: str) -> bool:
    """Windows-1252 text whose every non-ASCII character is a letter or book punctuation."""
    return all(
        ch.isascii() or ch.isalpha() or ch in _WESTERN_PUNCTUATION or ch == "\u00a0" for ch in text
    )


def _decode_legacy(data: bytes, source: str, bad_at: int) -> str:
    ascii_share = sum(b < 0x80 for b in data[:100_000]) / max(1, min(len(data), 100_000))
    if ascii_share >= 0.5:
        # Mostly ASCII with a few accented letters: a Western text saved as Latin-1 or
        # Windows-1252. Guessing among all encodings on a handful of bytes is unreliable.
        for encoding in ("cp1252", "latin-1"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _plausible_western(text):
                return text
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and not best.encoding.startswith(("utf_16", "utf_32")):
        text = str(best)
        letters = sum(ch.isalpha() for ch in text)
        if best.chaos <= 0.3 and letters >= len(text.split()) * 0.5:
            return text
    raise TextFormatError(
        f"{source} is not text in any encoding Study Circle recognises (byte "
        f"0x{data[bad_at]:02x} at position {bad_at} is not valid UTF-8). "
        "Please save it as UTF-8 and upload it again."
    )


def collapse_spaces(line: str) -> str:
    """The line with each run of horizontal space made one plain space, and none at its ends."""
    return _SPACES.sub(" ", line).strip()


def _wrap_width(blocks: list[list[str]]) -> int | None:
    """The width a hard-wrapped text was wrapped at, or None when its lines are not wrapped.

    Hard-wrapped prose fills most of its lines to near the same width; verse, title pages and
    one-paragraph-a-line texts do not.
    """
    inner = [len(line) for lines in blocks for line in lines[:-1]]
    if len(inner) < 10:
        return None
    width = sorted(inner)[int(len(inner) * 0.9)]
    if not 55 <= width <= 110:
        return None
    full = sum(length >= width * 0.75 for length in inner)
    return width if full >= len(inner) * 0.6 else None


def normalise(text: str) -> str:
    """Normalise whitespace: blocks separated by one blank line, no stray spaces.

    In a hard-wrapped text the wrapped lines of a paragraph are joined with a space; lines
    that end short of the wrap (verse, addresses, a heading over its title) keep their break,
    as do all lines of a text that is not hard-wrapped. Lists, quotes and Markdown headings
    always keep their own line. A paragraph over MAX_BLOCK_WORDS is cut at sentence ends.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    raw_blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = collapse_spaces(raw)
        if not line:
            if current:
                raw_blocks.append(current)
                current = []
            continue
        current.append(("\t" if _INDENT.match(raw) else "") + line)
    if current:
        raw_blocks.append(current)
    raw_blocks = _with_speakers(raw_blocks)
    width = _wrap_width([[line.lstrip("\t") for line in lines] for lines in raw_blocks])
    out: list[str] = []
    for lines in raw_blocks:
        out.extend(_split_long_block(_join_block(lines, width)))
    return "\n\n".join(out)


_OPENS_CAPITALISED = re.compile(r"^[\"'“‘«¿¡(—–-]*[^\W\d_]")


def _is_verse(lines: list[str]) -> bool:
    """Verse printed flush left: its lines start with a capital even in mid-sentence
    (after a comma, or no punctuation at all), where wrapped prose goes on in lower case."""
    if len(lines) < 3:
        return False
    turns = list(itertools.pairwise(lines))
    capitals = sum(
        bool(_OPENS_CAPITALISED.match(nxt))
        and nxt.lstrip("\"'“‘«¿¡(—–-")[:1].isupper()
        and previous[-1:] not in "-\u00ad"
        and previous.rstrip("\"'”’»)")[-1:] not in ".!?…"
        for previous, nxt in turns
    )
    return capitals >= len(turns) * 0.6


# A speaker's name in a play, alone on its line: "LANE.", "MIRANDOLINA", "LADY BRACKNELL:",
# "ALGERNON (aside)."
_SPEAKER = re.compile(r"^([^\W\d_][^\W\d_'’ .-]{0,30}?)[.:]?(?:\s*[(\[][^)\]]{0,60}[)\]]\.?)?$")
# A stage direction set apart: "[Enter Lane.]", "(Exit.)"
_DIRECTION = re.compile(r"^[\[(][^\])]{1,200}[\])]\.?$")


def _speaker(lines: list[str]) -> str | None:
    """The speaker a one-line block names, when it is a name in capitals of up to three
    words and not a chapter heading."""
    if len(lines) != 1:
        return None
    match = _SPEAKER.match(lines[0].lstrip("\t"))
    name = match.group(1).strip() if match else ""
    if not name or not name.isupper() or len(name.split()) > 3 or len(name) < 2:
        return None
    return None if recognise(lines[0].lstrip("\t")) else name


def _with_speakers(blocks: list[list[str]]) -> list[list[str]]:
    """A play's speaker name printed apart from the speech (and any stage direction between)
    joined to it: one speech, one paragraph. Only where names recur, as in a play; a title
    page in capitals is left alone."""
    names = [_speaker(lines) for lines in blocks]
    counts: dict[str, int] = {}
    for name in names:
        if name:
            counts[name] = counts.get(name, 0) + 1
    cast = {name for name, n in counts.items() if n >= 2}
    if sum(counts[name] for name in cast) < 3:
        return blocks
    out: list[list[str]] = []
    pending: list[str] = []
    for lines, name in zip(blocks, names, strict=True):
        direction = len(lines) == 1 and _DIRECTION.match(lines[0].lstrip("\t"))
        if name in cast or (pending and direction):
            pending.extend(lines)
            continue
        out.append(pending + lines)
        pending = []
    if pending:
        out.append(pending)
    return out


def _join_block(lines: list[str], width: int | None) -> str:
    indented = sum(line.startswith("\t") for line in lines)
    lines = [line.lstrip("\t") for line in lines]
    # A block whose lines are all indented is verse or a quotation set apart: keep its lines.
    # Flush-left verse, its lines short of the width prose is wrapped at (German prose starts
    # many lines with a capital too, but fills them).
    verse = (len(lines) > 1 and indented == len(lines)) or (
        _is_verse(lines) and (width is None or max(map(len, lines[:-1])) < width * 0.9)
    )
    out = lines[0]
    for previous, line in itertools.pairwise(lines):
        soft = width is not None and not verse and len(previous) >= width * 0.7
        keep = not soft or _KEEP_BREAK_BEFORE.match(line)
        out += ("\n" if keep else " ") + line
    return out


def _split_long_block(block: str) -> list[str]:
    """Cut a block of more than MAX_BLOCK_WORDS into near-equal blocks at sentence ends,
    else at line breaks, else between words."""
    if len(block) < 2 * MAX_BLOCK_WORDS:
        return [block]  # a word and the break after it take two characters at least
    words = count_words(block)
    if words <= MAX_BLOCK_WORDS:
        return [block]
    pieces = -(-words // MAX_BLOCK_WORDS)
    goal = words / pieces
    cuts = [m.end() for m in SENTENCE_END.finditer(block)]
    if len(cuts) < pieces:
        cuts = [m.end() for m in re.finditer(r"\n", block)]
    if len(cuts) < pieces:
        cuts = [m.end() for m in BREAK_SPACE.finditer(block)]
    out: list[str] = []
    start = 0
    counted = 0
    last = 0
    for cut in cuts:
        counted += count_words(block[last:cut])
        last = cut
        if counted >= goal * (len(out) + 1) and len(out) < pieces - 1:
            piece = block[start:cut].strip()
            if piece:
                out.append(piece)
            start = cut
    tail = block[start:].strip()
    if tail:
        out.append(tail)
    # A piece can still be long when sentence ends are far apart: cut those between words.
    if any(count_words(piece) > MAX_BLOCK_WORDS for piece in out) and len(out) > 1:
        return [small for piece in out for small in _split_long_block(piece)]
    if len(out) == 1 and count_words(out[0]) > MAX_BLOCK_WORDS:
        return _split_between_words(out[0])
    return out


def _split_between_words(block: str) -> list[str]:
    tokens = block.split()
    return [
        " ".join(tokens[i : i + MAX_BLOCK_WORDS]) for i in range(0, len(tokens), MAX_BLOCK_WORDS)
    ]


def blocks_of(text: str) -> list[str]:
    """The blocks of normalised text, in order."""
    return text.split("\n\n") if text else []


# A word as a reader counts it: hyphenated and elided forms are one word.
WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def count_words(text: str) -> int:
    """Words as a reader counts them: hyphenated and elided forms are one word."""
    return len(WORD.findall(text))


def has_words(text: str) -> bool:
    """Whether `text` holds a word as count_words counts them."""
    return WORD.search(text) is not None


# Categories that never show on their own: controls, format characters (zero-width spaces,
# direction marks and overrides), separators, unassigned and private code points, and marks
# that only combine with a letter before them.
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
# Letters and symbols that render as blank space, often used to fake an empty name.
_BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def is_visible(character: str) -> bool:
    """Whether `character` shows as something a reader can see."""
    return (
        character not in _BLANK_CHARACTERS
        and unicodedata.category(character) not in _UNSEEN_CATEGORIES
    )


def has_visible_text(text: str) -> bool:
    """Whether `text` has at least one character a reader can see: zero-width spaces,
    direction overrides, fillers and combining marks on their own are not text."""
    return any(is_visible(character) for character in text)


WORDS_PER_MINUTE = 200


def reading_minutes(words: int) -> int:
    """Estimated minutes to read `words` attentively (about 200 words a minute, at least 1)."""
    return max(1, round(words / WORDS_PER_MINUTE))


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 section", "2 sections": a count with its noun in the right number."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters, cut at a word when one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[-20:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


# How much of what a member wrote an error message repeats.
ECHO_CHARS = 60
# Where an error message repeats what a member wrote (its `quoted`): whoever shows the message
# writes the text there, as the place allows. A Discord message escapes it (`inline`), plain
# text shows it as written, with `echo`.
QUOTED = "{quoted}"


def echo(text: str) -> str:
    """What a member wrote, as a plain error message repeats it: one line, at most ECHO_CHARS
    characters, cut at a word when one is near."""
    return shorten(" ".join(text.split()), ECHO_CHARS)


def listed(parts: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c": parts as a sentence lists them (empty for none)."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"
