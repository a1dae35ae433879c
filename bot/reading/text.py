"""Decoding uploaded bytes and normalising text into blank-line separated blocks."""

from __future__ import annotations

import re
import unicodedata

UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Line breaks inside a block are kept before these, so lists and quotes stay one item a line.
_KEEP_BREAK_BEFORE = re.compile(
    r"^(?:[-*+•·▪◦‣–]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|\(\w{1,3}\)\s|>|#)"
)
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


class TextFormatError(ValueError):
    """The upload cannot be read as text; the message says why and what to do."""


def decode(data: bytes, *, source: str = "the file") -> str:
    """Decode UTF-8 bytes (with or without BOM) or explain clearly why they are not text."""
    if data.startswith(_UTF16_BOMS):
        raise TextFormatError(
            f"{source} is encoded as UTF-16; please save it as UTF-8 and upload it again."
        )
    if b"\x00" in data:  # anywhere: no text has NUL bytes, and PostgreSQL refuses them
        raise TextFormatError(f"{source} looks like a binary file, not plain text or Markdown.")
    data = data.removeprefix(UTF8_BOM)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        raise TextFormatError(
            f"{source} is not UTF-8 text (byte 0x{byte:02x} at position {exc.start} "
            "is not valid UTF-8; it may be Latin-1 or Windows-1252). "
            "Please save it as UTF-8 and upload it again."
        ) from None
    if not text.strip():
        raise TextFormatError(f"{source} has no text in it.")
    return text


def _clean_line(line: str) -> str:
    return _SPACES.sub(" ", line).strip()


def normalise(text: str) -> str:
    """Normalise whitespace: blocks separated by one blank line, no stray spaces.

    Lines within a block are joined with a space (undoing hard wrapping), except before
    list items, quotes and headings, which keep their own line.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[str] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = _clean_line(raw)
        if not line:
            if current:
                blocks.append(_join_block(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(_join_block(current))
    return "\n\n".join(blocks)


def _join_block(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        out += ("\n" if _KEEP_BREAK_BEFORE.match(line) else " ") + line
    return out


def blocks_of(text: str) -> list[str]:
    """The blocks of normalised text, in order."""
    return text.split("\n\n") if text else []


_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def count_words(text: str) -> int:
    """Words as a reader counts them: hyphenated and elided forms are one word."""
    return len(_WORD.findall(text))


WORDS_PER_MINUTE = 200


def reading_minutes(words: int) -> int:
    """Estimated minutes to read `words` attentively (about 200 words a minute, at least 1)."""
    return max(1, round(words / WORDS_PER_MINUTE))
