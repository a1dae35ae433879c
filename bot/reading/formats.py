"""From an uploaded file of any supported format to text in the one block model.

Plain text and Markdown are decoded; HTML, EPUB and PDF are turned into Markdown-like text
(headings as `#` lines, one paragraph a block, verse lines kept), so that sectioning and
prompts do not care where a text came from.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.reading.headings import recognise
from bot.reading.text import TextFormatError, decode

if TYPE_CHECKING:
    # Imported where they are used, for what each format needs; named here for the hints
    # (for the reader: lxml ships no type hints, so to the checker an `_Element` is `Any`).
    from lxml.etree import _Element  # an element, a comment or a processing instruction
    from pypdf import PdfReader

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
PLAIN_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
SUPPORTED_SUFFIXES = (
    PLAIN_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | frozenset({".epub", ".pdf"})
)
FORMATS_HELP = ".txt, .md, .html, .epub or .pdf"


@dataclass(frozen=True)
class Extracted:
    text: str
    markdown: bool
    title: str | None = None  # the document's own title (HTML <h1>/<title>, EPUB and PDF metadata)


def readable(name: str) -> bool:
    """Whether a file of this name is in a format Study Circle reads; a name without a suffix
    is read as plain text."""
    suffix = PurePath(name).suffix.lower()
    return not suffix or suffix in SUPPORTED_SUFFIXES


def unreadable(name: str) -> TextFormatError:
    """The refusal of a file whose name says it is in no format Study Circle reads."""
    return TextFormatError(
        f"{name} is not a format Study Circle can read; please upload a {FORMATS_HELP} file."
    )


def extract(data: bytes, source_name: str) -> Extracted:
    """The text of an upload, by its file name's suffix. Raises TextFormatError saying why."""
    if not readable(source_name):
        raise unreadable(source_name)
    suffix = PurePath(source_name).suffix.lower()
    if suffix == ".epub":
        return _epub(data, source_name)
    if suffix == ".pdf":
        return _pdf(data, source_name)
    if suffix in HTML_SUFFIXES:
        return _html_document(decode(data, source=source_name), source_name)
    return Extracted(decode(data, source=source_name), markdown=suffix in MARKDOWN_SUFFIXES)


# --- HTML and XHTML ------------------------------------------------------------------------

_DROPPED = {"script", "style", "nav", "header", "footer", "head", "noscript", "template", "svg"}
_BLOCKS = {"p", "div", "li", "blockquote", "pre", "tr", "dd", "dt", "figcaption", "address"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


_NOTE_MARK = re.compile(r"^\d{1,3}$")


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _inline_text(element: _Element) -> str:
    """An element's text with <br> as a line break, whitespace runs made one space."""
    parts: list[str] = [element.text or ""]
    for child in element:
        name = _local(child.tag)
        if name == "br":
            parts.append("\n")
        elif name == "sup" and not _is_noteref(child) and _NOTE_MARK.match(_inline_text(child)):
            # A superscript number is a footnote marker: "^2", not "word2".
            parts.append(f"^{_inline_text(child)}")
        elif (name not in _DROPPED and name not in {"sup"} | {"a"}) or (
            name in {"a", "sup"} and not _is_noteref(child)
        ):
            parts.append(_inline_text(child))
        elif _is_noteref(child):
            parts.append(f"[{_SPACE.sub('', _inline_text(child))}]")
        parts.append(child.tail or "")
    text = "".join(parts)
    return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n")).strip()


def _is_noteref(element: _Element) -> bool:
    kind = " ".join(
        str(v) for k, v in element.attrib.items() if _local(k) in {"type", "role", "class"}
    )
    return "noteref" in kind


def _holds_heading(element: _Element) -> bool:
    """A section's <header> holds its heading; a page's header is navigation."""
    return any(_local(e.tag) in _HEADINGS or _local(e.tag) == "hgroup" for e in element.iter())


def _walk(element: _Element, out: list[str]) -> None:
    name = _local(element.tag)
    if name in _DROPPED and not (name == "header" and _holds_heading(element)):
        return
    if name == "hgroup":
        lines = [_inline_text(child) for child in element if _local(child.tag) not in _DROPPED]
        lines = [line for line in lines if line]
        level = min((_HEADINGS.get(_local(c.tag), 6) for c in element), default=2)
        if lines:
            out.append("#" * level + " " + "\n".join(lines))
        return
    if name in _HEADINGS:
        text = _inline_text(element).replace("\n", " ")
        if text:
            out.append("#" * _HEADINGS[name] + " " + text)
        return
    if name in _BLOCKS and not any(_local(c.tag) in _BLOCKS | set(_HEADINGS) for c in element):
        text = _inline_text(element)
        if text:
            prefix = "- " if name == "li" else ""
            out.append(prefix + text)
        return
    if element.text and element.text.strip() and name not in {"html", "body"}:
        out.append(_SPACE.sub(" ", element.text).strip())
    for child in element:
        _walk(child, out)
        if child.tail and child.tail.strip():
            out.append(_SPACE.sub(" ", child.tail).strip())


def _html_blocks(markup: str | bytes, source_name: str) -> tuple[list[str], str | None]:
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(markup)
    except (ValueError, TypeError, Exception) as exc:  # lxml raises its own ParserError
        raise TextFormatError(f"{source_name} could not be read as HTML ({exc}).") from None
    body = root.find(".//body")
    blocks: list[str] = []
    _walk(body if body is not None else root, blocks)
    title_el = root.find(".//title")
    title = _SPACE.sub(" ", title_el.text_content()).strip() if title_el is not None else None
    return blocks, title or None


def _html_document(markup: str, source_name: str) -> Extracted:
    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup)
    blocks, title = _html_blocks(markup, source_name)
    if not blocks:
        raise TextFormatError(f"{source_name} has no text in it.")
    heading = next((b[2:].split("\n")[0] for b in blocks if b.startswith("# ")), None)
    return Extracted("\n\n".join(blocks), markdown=True, title=heading or title)


# --- EPUB ----------------------------------------------------------------------------------


def _epub(data: bytes, source_name: str) -> Extracted:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TextFormatError(f"{source_name} is not an EPUB file (it is not a zip archive).")
    import ebooklib
    from ebooklib import epub

    try:
        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
    except Exception as exc:
        raise TextFormatError(f"{source_name} could not be read as an EPUB ({exc}).") from None
    blocks: list[str] = []
    for item_id, _linear in book.spine:
        item = book.get_item_with_id(item_id)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        if isinstance(item, epub.EpubNav):
            continue
        chapter, _ = _html_blocks(item.get_content(), source_name)
        blocks.extend(chapter)
    if not blocks:
        raise TextFormatError(f"{source_name} has no text in its chapters.")
    titles = book.get_metadata("DC", "title")
    title = str(titles[0][0]).strip() if titles else None
    return Extracted("\n\n".join(blocks), markdown=True, title=title or None)


# --- PDF -----------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]?$", re.I)
_HYPHEN_END = re.compile(r"(\w)[-\u00ad]$")


def _pdf(data: bytes, source_name: str) -> Extracted:
    if not data.startswith(b"%PDF"):
        raise TextFormatError(f"{source_name} is not a PDF file.")
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs with the page's text; no member's words go to the logs.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise TextFormatError(f"{source_name} is encrypted; please upload an unlocked PDF.")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = _pdf_title(reader)
    except TextFormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise TextFormatError(f"{source_name} could not be read as a PDF ({exc}).") from None
    if not any(ch.isalnum() for page in pages for ch in page):
        raise TextFormatError(
            f"{source_name} has no text layer (it is scanned images); Study Circle reads only "
            "PDFs with text. Run it through OCR first, or upload the book as text."
        )
    return Extracted(_pdf_text(pages), markdown=False, title=title)


# Producers put the source file's name where the title belongs ("Microsoft Word - a.docx").
_NOT_A_TITLE = re.compile(
    r"^(?:microsoft word\b|untitled\b)|\.(?:docx?|odt|rtf|tex|pdf|indd)$", re.IGNORECASE
)


def _pdf_title(reader: PdfReader) -> str | None:
    metadata = reader.metadata
    title = _SPACE.sub(" ", str(metadata.title or "")).strip() if metadata is not None else ""
    return title if title and not _NOT_A_TITLE.search(title) else None


def _pdf_text(pages: list[str]) -> str:
    """Pages joined into text: running heads and page numbers dropped, words hyphenated at
    line ends joined, lines of a paragraph joined."""
    split = [[line.strip() for line in page.splitlines()] for page in pages]
    firsts: dict[str, int] = {}
    for lines in split:
        for line in {lines[0] if lines else "", lines[-1] if lines else ""}:
            key = re.sub(r"\d+", "#", line)
            firsts[key] = firsts.get(key, 0) + 1
    # A running head repeats at the top (or foot) of most pages, or of every other page.
    repeated = {key for key, n in firsts.items() if key and n >= max(2, len(pages) // 3)}
    paragraphs: list[str] = []
    current = ""
    previous = 0  # the length of the last line read
    for lines in split:
        kept = [
            line
            for i, line in enumerate(lines)
            if not (
                (i in {0, len(lines) - 1})
                and (_PAGE_NUMBER.match(line) or re.sub(r"\d+", "#", line) in repeated)
            )
        ]
        # Lines of prose fill the page's width; a paragraph's last line stops short of it.
        width = max((len(line) for line in kept), default=0)
        for line in kept:
            if not line:
                if current:
                    paragraphs.append(current)
                    current = ""
                continue
            if recognise(line) is not None:
                # A chapter heading stands on its own line: a block of its own.
                if current:
                    paragraphs.append(current)
                paragraphs.append(line)
                current = ""
                previous = 0
                continue
            if current and _HYPHEN_END.search(current) and line[:1].islower():
                current = current[:-1] + line
            elif current and (
                current.endswith((".", "!", "?", ":", "”", '"'))
                and line[:1].isupper()
                and previous < width * 0.8
            ):
                paragraphs.append(current)
                current = line
            else:
                current = f"{current} {line}" if current else line
            previous = len(line)
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)
