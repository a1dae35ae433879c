"""PDFs with a text layer read as books: running heads, page numbers and line-end hyphens
gone, chapters found; a PDF of scanned images is refused with the reason."""

from __future__ import annotations

import pytest

from bot.parsing import parse_reading
from bot.reading.text import TextFormatError
from tests.reading.book_files import pdf

_LINES = [
    "The family walked to the old house in the evening, and the children ran",
    "ahead to see the garden. Nobody had lived there for years, but the rooms",
    "were clean and bright, and the windows looked over the fields to the river",
    "where the boats were tied up for the winter under a row of tall old trees.",
]


def _page(head: str, number: int, chapter: str, hyphenated: bool) -> list[str]:
    paragraph = list(_LINES)
    if hyphenated:
        paragraph[1] = "ahead to see the garden. Nobody had lived there for years, but the ro-"
        paragraph[2] = "oms were clean and bright, and the windows looked over the fields to the"
    body = [*paragraph, "They stayed.", *paragraph, "They stayed."] * 3
    return [head, chapter, *body, str(number)]


def test_a_two_page_pdf_loses_its_running_head_page_numbers_and_line_end_hyphens() -> None:
    data = pdf(
        [
            _page("THE OLD HOUSE", 1, "Chapter I", hyphenated=True),
            _page("THE OLD HOUSE", 2, "Chapter II", hyphenated=False),
        ]
    )
    reading = parse_reading(data, "old-house.pdf", with_prompts=False, target_words=300)
    assert [s.title for s in reading.sections] == ["Chapter I", "Chapter II"]
    text = "\n\n".join(s.text for s in reading.sections)
    assert "THE OLD HOUSE" not in text
    assert "rooms were clean" in text
    assert "ro-" not in text
    assert not any(block.strip() in {"1", "2"} for block in text.split("\n\n"))
    assert "children ran ahead to see" in text  # lines of a paragraph joined
    assert "\n\nThey stayed." not in text  # a short last line ends, not starts, a paragraph


def test_a_pdf_without_a_text_layer_says_so() -> None:
    with pytest.raises(TextFormatError, match="no text layer"):
        parse_reading(pdf([[], []]), "scanned.pdf", with_prompts=False)
