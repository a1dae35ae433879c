"""Marks in a book's text that are not its words: footnote markers and notes, and the
underscores and asterisks plain-text editions print emphasis with.

The text keeps them (they are the author's and the editor's); what quotes a text word for
word uses `plain_words`, so that a quote reads "the furore of" and not "the _furore_ of[2]".
"""

from __future__ import annotations

import re

# A block that is a footnote: "[2] Voyez tome XXVII …", "[*] …", "¹ …", "^3 …".
_NOTE_BLOCK = re.compile(r"^(?:\[(?:\d{1,3}|[*†‡a-z])\]|\^\d{1,3}|[¹²³⁴-⁹⁰]{1,3})\s*\S")
# A marker in running text, after the word or punctuation it annotates: "tome[2]",
# "word ^3", "word²". At a block's start a marker opens a note, and is kept there.
MARKER = re.compile(
    r"(?<=[\w.,;:!?”’\"')\]])[ \t]?(?:\[(?:\d{1,3}|[*†‡])\]|\^\d{1,3}|[¹²³⁴-⁹⁰]+)(?!\w)"
)
# What every marker holds.
_MARKER_CHARACTER = re.compile(r"[\[\^¹²³⁴-⁹⁰]")
# "_furore_", "*really*", "**bold**": the words inside the markers, on one line.
EMPHASIS = re.compile(r"(?<![\w*_])([_*]{1,2})(?=[^\s*_])([^\n_*]*?[^\s*_])?\1(?![\w*_])")
# An asterisk after a word points to a note: "said so.*"
STAR = re.compile(r"(?<=[\w.,;:!?”’\"')])\*{1,3}(?=\s|$)", re.MULTILINE)


def is_note(block: str) -> bool:
    """Whether a block is a footnote, by the marker it opens with."""
    return bool(_NOTE_BLOCK.match(block))


def plain_words(text: str) -> str:
    """`text` without emphasis markers and footnote markers in its running text; its blocks,
    lines and notes (a note keeps the marker that opens it) stay where they are."""
    # Each pattern needs a character most texts lack: a scan for it spares the pattern's
    # look-behinds at every position.
    if "_" in text or "*" in text:
        text = EMPHASIS.sub(r"\2", text)
    if _MARKER_CHARACTER.search(text):
        text = MARKER.sub("", text)
    return STAR.sub("", text) if "*" in text else text
