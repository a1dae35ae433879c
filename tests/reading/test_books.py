"""Books as groups read them: languages, chapter headings in their printed forms, front and
back matter, verse, drama, numbered paragraphs, and texts without paragraph breaks."""

from __future__ import annotations

from typing import Unpack

import pytest

from bot.parsing import parse_reading
from bot.reading.headings import recognise
from bot.reading.importer import ParsedReading, ParseOptions
from bot.reading.language import has_templates
from bot.reading.sections import DEFAULT_TARGET_WORDS, MAX_UNIT_WORDS

# The most words a section holds: twice the target, or one paragraph (at most 1,000 words:
# longer ones are cut when the text is normalised) with its list.
MOST_SECTION_WORDS = max(2 * DEFAULT_TARGET_WORDS, 2 * MAX_UNIT_WORDS)

_EN = (
    "The family walked to the old house in the evening, and the children ran ahead to see "
    "the garden. Nobody had lived there for years, but the rooms were clean and bright. "
)
_IT = (
    "La famiglia camminava verso la vecchia casa la sera, e i bambini correvano avanti per "
    "vedere il giardino. Nessuno ci aveva abitato per anni, ma le stanze erano pulite. "
)
_ES = (
    "La familia caminaba hacia la casa vieja por la tarde, y los niños corrían delante para "
    "ver el jardín. Nadie había vivido allí durante años, pero las habitaciones estaban limpias. "
)
_FR = (
    "La famille marchait vers la vieille maison le soir, et les enfants couraient devant pour "
    "voir le jardin. Personne n'y avait vécu depuis des années, mais les chambres étaient propres. "
)
_DE = (
    "Die Familie ging am Abend zu dem alten Haus, und die Kinder liefen voraus, um den Garten "
    "zu sehen. Niemand hatte dort seit Jahren gewohnt, aber die Zimmer waren sauber und hell. "
)
_PT = (
    "A família caminhava para a casa velha ao fim da tarde, e as crianças corriam à frente para "
    "ver o jardim. Ninguém tinha vivido ali durante anos, mas os quartos estavam limpos. "
)


def _chapter(sentences: str, paragraphs: int = 6, repeat: int = 4) -> str:
    return "\n\n".join([sentences * repeat] * paragraphs)


def _parse(text: str, name: str = "book.txt", **options: Unpack[ParseOptions]) -> ParsedReading:
    options.setdefault("with_prompts", False)
    return parse_reading(text.encode("utf-8"), name, **options)


@pytest.mark.parametrize(
    ("sample", "code"),
    [(_EN, "en"), (_IT, "it"), (_ES, "es"), (_FR, "fr"), (_DE, "de"), (_PT, "pt")],
)
def test_the_language_is_detected_from_the_text(sample: str, code: str) -> None:
    reading = _parse(_chapter(sample))
    assert reading.language == reading.detected_language == code


def test_a_language_given_overrides_the_one_detected() -> None:
    reading = _parse(_chapter(_FR), language="it")
    assert reading.language == "it"
    assert reading.detected_language == "fr"
    assert reading.has_templates


def test_a_language_without_templates_is_known_as_such() -> None:
    assert _parse(_chapter(_FR)).has_templates
    assert not has_templates("nl")


@pytest.mark.parametrize(
    ("line", "label", "subtitle"),
    [
        ("I.", "I", None),
        ("CHAPITRE PREMIER", "Chapitre premier", None),
        ("CHAPITRE II", "Chapitre II", None),
        ("Capítulo primero. Que trata de la llegada del joven boticario don Anselmo al "
         "pueblo de Villaseca", "Capítulo primero", "Que trata de la llegada del joven "
         "boticario don Anselmo al pueblo de Villaseca"),
        ("Capitolo 3", "Capitolo 3", None),
        ("Kapitel IV", "Kapitel IV", None),
        ("Livro I", "Livro I", None),
        ("Zweites Hauptstück:", "Zweites Hauptstück", None),
        ("Atto primo", "Atto primo", None),
        ("Scene 2", "Scene 2", None),
        ("§ 12", "§ 12", None),
        ("Part Two", "Part Two", None),
        ("I. Regreso", "I", "Regreso"),
        ("14 de Abril", "14 de Abril", None),
        ("Vorrede.", "Vorrede", None),
    ],
)  # fmt: skip
def test_chapter_headings_in_the_forms_books_print(
    line: str, label: str, subtitle: str | None
) -> None:
    heading = recognise(line)
    assert heading is not None, line
    assert (heading.label, heading.subtitle) == (label, subtitle)


@pytest.mark.parametrize(
    "line",
    ["I went home.", "1. Moral philosophy is the science of conduct.", "In the morning", "Mix"],
)
def test_prose_and_numbered_paragraphs_are_not_headings(line: str) -> None:
    assert recognise(line) is None


def test_chapters_with_numerals_and_title_lines_become_sections() -> None:
    text = "\n\n".join(
        f"{numeral}\n{title}\n\n{_chapter(_EN)}"
        for numeral, title in [("I", "The Arrival"), ("II", "The Garden"), ("III", "The Storm")]
    )
    reading = _parse(text)
    assert [s.title for s in reading.sections] == [
        "I. The Arrival",
        "II. The Garden",
        "III. The Storm",
    ]


def test_bare_numerals_are_named_as_chapters_in_the_texts_language() -> None:
    text = "\n\n".join(f"{n}.\n\n{_chapter(_DE, 10)}" for n in ("I", "II"))
    reading = _parse(text)
    assert [s.title for s in reading.sections] == ["Kapitel I", "Kapitel II"]


def test_short_chapters_are_read_together_and_long_ones_cut_at_paragraph_bounds() -> None:
    short = "\n\n".join(f"Chapter {n}\n\n{_chapter(_EN, 2, 3)}" for n in (1, 2, 3))
    long = f"Chapter 4\n\n{_chapter(_EN, 30, 3)}"
    reading = _parse(f"{short}\n\n{long}")
    titles = [s.title for s in reading.sections]
    assert titles[0] == "Chapters 1–3"
    assert titles[1:] == ["Chapter 4 (1/2)", "Chapter 4 (2/2)"]


def test_heading_levels_make_a_path() -> None:
    part = _chapter(_EN, 10)
    text = f"## Section IV\n\n### Part I\n\n{part}\n\n### Part II\n\n{part}"
    reading = _parse(text, "guide.md")
    assert [s.title for s in reading.sections] == ["Section IV · Part I", "Section IV · Part II"]


def test_front_matter_is_kept_out_of_the_sections_but_never_lost() -> None:
    front = "THE OLD HOUSE\n\nby\n\nA. WRITER\n\nTranslated by B. Translator\n\nTo my mother"
    contents = "Contents\n\nI. The Arrival\nII. The Garden"
    body = f"I. The Arrival\n\n{_chapter(_EN)}\n\nII. The Garden\n\n{_chapter(_EN)}"
    reading = _parse(f"{front}\n\n{contents}\n\n{body}")
    assert [s.title for s in reading.sections] == ["I. The Arrival", "II. The Garden"]
    assert [m.kind for m in reading.front_matter] == ["front matter"]
    assert "Translated by" in reading.front_matter[0].text
    assert "\n\n".join(reading.pieces()) == reading.text


def test_an_untitled_opening_is_read_but_an_epigraph_is_not() -> None:
    text = f"Semper ad lucem.\n\n{_chapter(_ES, 3)}\n\nI. Recuerdos\n\n{_chapter(_ES)}"
    reading = _parse(text)
    assert reading.front_matter[0].text == "Semper ad lucem."
    assert reading.sections[0].title == "Part 1"
    assert reading.sections[1].title == "I. Recuerdos"


def test_project_gutenberg_header_and_licence_are_left_out() -> None:
    header = (
        "The Project Gutenberg eBook of The Old House\n\nTitle: The Old House\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK THE OLD HOUSE ***"
    )
    licence = (
        "*** END OF THE PROJECT GUTENBERG EBOOK THE OLD HOUSE ***\n\n"
        "Updated editions will replace the previous one."
    )
    body = f"CHAPTER I\n\n{_chapter(_EN)}\n\nCHAPTER II\n\n{_chapter(_EN)}"
    reading = _parse(f"{header}\n\n{body}\n\n{licence}")
    assert [m.label for m in reading.left_out] == [
        "Project Gutenberg header",
        "Project Gutenberg licence",
    ]
    assert [s.title for s in reading.sections] == ["Chapter I", "Chapter II"]


def test_notes_at_the_end_are_back_matter() -> None:
    body = f"# Chapter 1\n\n{_chapter(_EN)}\n\n# Chapter 2\n\n{_chapter(_EN)}"
    notes = "# Notes\n\n[1] See the first edition.\n\n[2] Voyez la page XLII."
    reading = _parse(f"{body}\n\n{notes}", "book.md")
    assert [m.kind for m in reading.back_matter] == ["back matter"]
    assert "Voyez la page XLII" not in "".join(s.text for s in reading.sections)


def test_a_latin1_file_with_crlf_is_read() -> None:
    text = "CAPITULO I\r\n\r\n" + _chapter(_PT).replace("\n", "\r\n")
    reading = parse_reading(text.encode("latin-1"), "casa.txt", with_prompts=False)
    assert reading.sections[0].title == "Capítulo I"  # capitals drop the accent
    assert "família" in reading.sections[0].text


def test_verse_keeps_its_lines() -> None:
    poem = "  The lamp is low tonight,\n  The hearth is warm, the cat lies still\n  Upon the mat."
    reading = _parse(f"THE QUIET ROOM\n\n{poem}\n\n{poem}")
    assert "The lamp is low tonight,\nThe hearth is warm" in reading.sections[0].text


def test_a_plays_speakers_stay_with_their_speeches() -> None:
    scene = "ROSAURA\nMi scusino i signori.\n\nCONTE\nVoi pensate di comprarmi."
    text = f"Atto primo\n\nScena prima\n\n{scene}\n\nScena seconda\n\n{scene}"
    reading = _parse(text)
    assert "ROSAURA\nMi scusino i signori." in reading.sections[0].text


def test_numbered_paragraphs_are_paragraphs() -> None:
    paragraphs = [f"{n}. {_EN * 3}" for n in range(1, 40)]
    reading = _parse("\n\n".join(paragraphs))
    assert len(reading.sections) > 1
    assert all(s.word_count <= MOST_SECTION_WORDS for s in reading.sections)


def test_one_word_lines_without_paragraph_breaks_make_bounded_sections() -> None:
    text = "word\n" * 200_000
    reading = _parse(text)
    assert max(s.word_count for s in reading.sections) <= MOST_SECTION_WORDS
    assert sum(s.word_count for s in reading.sections) == 200_000
    assert "".join("".join(reading.pieces()).split()) == "word" * 200_000


def test_a_two_megabyte_paragraph_makes_bounded_sections_cut_at_sentence_ends() -> None:
    sentence = "Self-management grows from practice and from consciousness together. "
    text = (sentence * (1_900_000 // len(sentence))).strip()
    reading = _parse(text)
    assert max(s.word_count for s in reading.sections) <= MOST_SECTION_WORDS
    assert all(s.text.endswith("together.") for s in reading.sections)
    assert "".join("".join(reading.pieces()).split()) == "".join(text.split())
