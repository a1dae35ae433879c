"""Titles as their books print them: chapter titles keep their letters, chapters read together
are named by their range, and a reading is named by the document's own title."""

from __future__ import annotations

from typing import Unpack

import pytest

from bot.parsing import parse_reading
from bot.preview import as_text
from bot.reading.headings import title_case
from bot.reading.importer import ParsedReading, ParseOptions
from tests.reading.book_files import epub, pdf

_EN = (
    "The family walked to the old house in the evening, and the children ran ahead to see "
    "the garden. Nobody had lived there for years, but the rooms were clean and bright. "
)
_FR = (
    "La famille marchait vers la vieille maison le soir, et les enfants couraient devant pour "
    "voir le jardin. Personne n'y avait vécu depuis des années, mais les chambres étaient propres. "
)
_IT = (
    "La famiglia camminava verso la vecchia casa la sera, e i bambini correvano avanti per "
    "vedere il giardino. Nessuno ci aveva abitato per anni, ma le stanze erano pulite. "
)


def _chapter(sentences: str, paragraphs: int = 6, repeat: int = 4) -> str:
    return "\n\n".join([sentences * repeat] * paragraphs)


def _parse(text: str, name: str = "book.txt", **options: Unpack[ParseOptions]) -> ParsedReading:
    options.setdefault("with_prompts", False)
    return parse_reading(text.encode("utf-8"), name, **options)


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        ("LES DEUX LETTRES DE M. D'AUBERVAL FILS", "Les Deux Lettres de M. d'Auberval Fils"),
        ("L'ATELIER DE M. DE VERNANCOURT", "L'Atelier de M. de Vernancourt"),
        ("DON PEDRO AUX CHAMPS", "Don Pedro aux Champs"),
        ("THE BOAT DRIFTED OFF FROM BEHIND A ROCK", "The Boat Drifted Off from Behind a Rock"),
        ("LA CASA DI MARCO", "La Casa di Marco"),
        ("BOOK XIV", "Book XIV"),
        ("On Mr. Arthur Pembroke", "On Mr. Arthur Pembroke"),
    ],
)
def test_titles_printed_in_capitals_keep_their_accents_and_names(printed: str, shown: str) -> None:
    assert title_case(printed) == shown


def test_a_chapter_title_in_capitals_is_shown_with_its_accents_and_names() -> None:
    text = (
        "CHAPITRE PREMIER\nLES DEUX LETTRES DE M. D'AUBERVAL FILS\n\n"
        f"{_chapter(_FR)}\n\nCHAPITRE II\nL'ATELIER DE M. DE VERNANCOURT\n\n{_chapter(_FR)}"
    )
    reading = _parse(text)
    assert [s.title for s in reading.sections] == [
        "Chapitre premier: Les Deux Lettres de M. d'Auberval Fils",
        "Chapitre II: L'Atelier de M. de Vernancourt",
    ]


def test_a_keyword_printed_without_its_accent_in_capitals_gets_it_back() -> None:
    text = f"CAPITULO I\n\n{_chapter(_EN)}\n\nCapitulo II\n\n{_chapter(_EN)}"
    titles = [s.title for s in _parse(text).sections]
    assert titles == ["Capítulo I", "Capitulo II"]  # in lower case, as printed


def test_short_chapters_read_together_are_named_by_their_range_and_each_stays_findable() -> None:
    text = "\n\n".join(f"Chapter {n}\n\n{_chapter(_EN, 1, 3)}" for n in ("I", "II", "III"))
    reading = _parse(text)
    assert [s.title for s in reading.sections] == ["Chapters I–III"]
    assert reading.sections[0].headings == ("Chapter I", "Chapter II", "Chapter III")
    shown = as_text(reading)
    assert all(f"also: Chapter {n}\n" in shown for n in ("I", "II", "III"))


def test_scenes_numbered_in_words_are_named_by_their_range_under_their_act() -> None:
    scenes = ("prima", "seconda", "terza")
    text = "Atto primo\n\n" + "\n\n".join(f"Scena {n}\n\n{_chapter(_IT, 1, 3)}" for n in scenes)
    reading = _parse(text)
    assert [s.title for s in reading.sections] == ["Atto primo · Scene 1–3"]
    assert reading.sections[0].headings == ("Atto primo", *(f"Scena {n}" for n in scenes))


def test_titled_poems_read_together_are_named_first_to_last() -> None:
    poems = ["L'HIRONDELLE", "ÉQUINOXE", "LES LAMPES"]
    verse = (
        "Le soir, quand les pêcheurs reviennent vers la rive,\n"
        "Ils tirent sur le sable un long filet mouillé,"
    )
    text = "\n\n".join(f"{p}\n\n{verse}\n\n{verse}" for p in poems)
    reading = _parse(f"{text}\n\n{_chapter(_FR, 2, 1)}")
    assert reading.sections[0].title == "L'Hirondelle – Les Lampes"
    assert reading.sections[0].headings == ("L'Hirondelle", "Équinoxe", "Les Lampes")


def test_a_markdown_text_is_named_by_its_first_heading() -> None:
    text = f"# The Old House\n\n## Chapter 1\n\n{_chapter(_EN)}"
    assert _parse(text, "old-house.md").title == "The Old House"


def test_an_html_text_is_named_by_its_h1_else_its_title_element() -> None:
    body = "".join(f"<p>{_EN}</p>" for _ in range(4))
    with_h1 = f"<html><head><title>Site</title></head><body><h1>The Old House</h1>{body}</body>"
    without = f"<html><head><title>The Garden</title></head><body>{body}</body></html>"
    assert _parse(with_h1, "a.html").title == "The Old House"
    assert _parse(without, "b.html").title == "The Garden"


def test_an_epub_is_named_by_its_dc_title() -> None:
    book = epub("The Old House", [("The Arrival", [_EN * 3] * 4), ("The Garden", [_EN * 3] * 4)])
    reading = parse_reading(book, "old.epub", with_prompts=False)
    assert reading.title == "The Old House"
    assert [s.title for s in reading.sections] == ["The Arrival", "The Garden"]


def test_a_pdf_is_named_by_its_metadata_title() -> None:
    lines = ["Chapter I", *([_EN[:80], _EN[80:150] + "."] * 3)]
    named = parse_reading(pdf([lines], title="The Old House"), "scan-0042.pdf", with_prompts=False)
    unnamed = parse_reading(pdf([lines], title="Microsoft Word - draft.docx"), "the-old-house.pdf")
    assert named.title == "The Old House"
    assert unnamed.title == "The old house"


def test_a_gutenberg_text_is_named_by_its_header_title_line() -> None:
    header = (
        "The Project Gutenberg eBook of The Old House\n\nTitle: The Old House\n\n"
        "Author: A. Writer\n\n*** START OF THE PROJECT GUTENBERG EBOOK THE OLD HOUSE ***"
    )
    reading = _parse(f"{header}\n\nCHAPTER I\n\n{_chapter(_EN)}", "pg1234.txt")
    assert reading.title == "The Old House"


def test_a_title_given_wins_over_the_documents_own() -> None:
    text = f"# The Old House\n\n## Chapter 1\n\n{_chapter(_EN)}"
    assert _parse(text, "old-house.md", title="Our Autumn Book").title == "Our Autumn Book"


def test_a_plain_text_without_a_title_is_named_by_its_file() -> None:
    assert _parse(_chapter(_EN), "the_old-house.txt").title == "The old house"


def test_a_sections_first_line_is_its_first_prose_however_its_heading_is_printed() -> None:
    text = f"1.\nPrefazione\n\n{_chapter(_IT)}\n\nCAPITULO II\n\n{_chapter(_EN)}"
    first, second = _parse(text).sections
    assert first.first_line.startswith("La famiglia")
    assert second.title == "Capítulo II"
    assert second.first_line.startswith("The family")
