"""Footnotes and emphasis markers: kept in the text, never quoted, never opening a section."""

from __future__ import annotations

import random

import pytest

from bot.parsing import parse_reading
from bot.reading import markup
from bot.reading.blocks import BlockKind, classify
from bot.reading.markup import is_note, plain_words

_EN = (
    "The family walked to the old house in the evening, and the children ran ahead to see "
    "the garden. Nobody had lived there for years, but the rooms were clean and bright. "
)
_MARKED = (
    "The baker was in a mood of _ennui_ when the guests came in,[2] and his sister sang "
    "an old song _a cappella_ before the evening^3 was over. He had said so.* "
)


def _chapter(sentences: str, paragraphs: int = 6, repeat: int = 4) -> str:
    return "\n\n".join([sentences * repeat] * paragraphs)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("a mood of _ennui_ then", "a mood of ennui then"),
        ("the guests came in,[2] and", "the guests came in, and"),
        ("tome XXVII [12]. Then", "tome XXVII. Then"),
        ("before the evening^3 was over", "before the evening was over"),
        ("before the evening³ was over", "before the evening was over"),
        ("He had said so.* Then", "He had said so. Then"),
        ("**bold** and *soft*", "bold and soft"),
        ("snake_case stays, and so does 2 * 3", "snake_case stays, and so does 2 * 3"),
        ("[2] Voyez tome XXVII.", "[2] Voyez tome XXVII."),
    ],
)
def test_plain_words_drops_emphasis_and_footnote_markers(text: str, plain: str) -> None:
    assert plain_words(text) == plain


def test_footnote_blocks_are_notes_not_headings_or_paragraphs() -> None:
    blocks = classify(["[2] Voyez tome XXVII", "¹ See above.", "[*] A note."], markdown=False)
    assert [b.kind for b in blocks] == [BlockKind.NOTE] * 3
    assert not is_note("2. Moral philosophy is the science of conduct.")


def test_markers_stay_in_the_text_but_prompts_never_quote_them() -> None:
    text = f"CHAPTER I\n\n{_chapter(_MARKED + _EN, 8, 2)}\n\n[2] See the first edition."
    reading = parse_reading(text.encode(), "bakery.txt")
    assert "_ennui_" in reading.sections[0].text
    assert "in,[2]" in reading.sections[0].text
    quotes = [p.quote for s in reading.prompts for p in s.prompts if p.quote]
    assert quotes
    markers = ("_", "[2]", "^3", "*")
    assert not [q for q in quotes if any(mark in q for mark in markers)]
    assert not any("See the first edition" in q for q in quotes)


def test_footnotes_printed_together_at_the_end_are_back_matter() -> None:
    body = f"CHAPTER I\n\n{_chapter(_EN)}\n\nCHAPTER II\n\n{_chapter(_EN)}"
    notes = "[1] See the first edition.\n\n[2] Voyez tome XXVII, page 12."
    reading = parse_reading(f"{body}\n\n{notes}".encode(), "book.txt", with_prompts=False)
    assert [(m.kind, m.label) for m in reading.back_matter] == [("back matter", "notes")]
    assert "Voyez" not in "".join(s.text for s in reading.sections)
    assert "\n\n".join(reading.pieces()) == reading.text


def test_footnotes_after_each_chapter_stay_with_it_and_never_open_a_section() -> None:
    long = "\n\n".join(f"{_EN * 4}\n\n[{n}] Voyez tome XXVII, page {n}." for n in range(1, 21))
    text = f"CHAPTER I\n\n{long}\n\nCHAPTER II\n\n{_chapter(_EN)}\n\n[21] See above."
    reading = parse_reading(text.encode(), "book.txt", with_prompts=False)
    assert len(reading.sections) > 2  # chapter I is cut for length
    assert all(not s.text.startswith("[") for s in reading.sections)
    assert reading.sections[-1].text.endswith("[21] See above.")
    assert reading.back_matter == ()


def test_html_superscript_note_numbers_become_markers_that_prompts_leave_out() -> None:
    paragraph = (
        "<p>The baker was in a mood of gloom when the guests came in,<sup>2</sup> and his "
        'sister sang again<a href="#n3"><sup>3</sup></a> before the evening was over. '
        "Nobody had lived there for years, but the rooms were clean and bright.</p>"
    )
    page = f"<html><body><h1>The Bakery</h1>{paragraph * 12}<p>2. See above.</p></body></html>"
    reading = parse_reading(page.encode(), "bakery.html")
    text = "\n\n".join(s.text for s in reading.sections)
    assert "came in,^2 and" in text
    assert "again^3 before" in text
    quotes = [p.quote for s in reading.prompts for p in s.prompts if p.quote]
    assert quotes
    assert not [q for q in quotes if "^" in q or "in,2" in q]


def test_plain_words_are_what_the_three_patterns_leave() -> None:
    rng = random.Random(11)
    pieces = ["word", "_", "*", "**", "[2]", "[*]", "^3", "²", "¹⁰", " ", "\n", ".", ",", "”", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        every = markup.STAR.sub("", markup.MARKER.sub("", markup.EMPHASIS.sub(r"\2", text)))
        assert plain_words(text) == every, text
