"""Parsing uploads into readings: titles, hashes, refusals."""

from __future__ import annotations

import inspect
from typing import get_type_hints

import pytest

from bot.parsing import parse_reading
from bot.reading import importer
from bot.reading.text import TextFormatError
from bot.seeds import default_seed


def test_the_bundled_seed_parses_with_its_metadata() -> None:
    seed = default_seed()
    reading = parse_reading(seed.read_bytes(), seed.path.name, title=seed.title)
    assert seed.title == "Mass Organizations"
    assert seed.language == "en"
    assert reading.title == "Mass Organizations"
    assert reading.source_name == "mass-organizations.txt"
    assert len(reading.sections) == 10
    assert all(s.minutes >= 1 for s in reading.sections)


def test_the_parse_options_are_the_keywords_a_caller_chooses() -> None:
    parameters = inspect.signature(importer.parse_reading).parameters
    hints = get_type_hints(importer.parse_reading)
    supplied = {"language_classifier", "executor"}  # by `bot.parsing` and `bot.drafting`
    chosen = {
        name: hints[name]
        for name, parameter in parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY and name not in supplied
    }
    assert get_type_hints(importer.ParseOptions) == chosen


FRENCH = (
    "Le livre\n\n" + " ".join(["Nous lisons ensemble et nous parlons du livre."] * 40)
).encode()


def test_a_given_language_is_checked_against_the_text_unless_told_not_to() -> None:
    checked = parse_reading(FRENCH, "livre.txt", language="en")
    assert (checked.language, checked.detected_language) == ("en", "fr")
    trusted = parse_reading(FRENCH, "livre.txt", language="en", detect_given_language=False)
    assert (trusted.language, trusted.detected_language) == ("en", None)


def test_without_a_given_language_the_text_is_detected_anyway() -> None:
    reading = parse_reading(FRENCH, "livre.txt", detect_given_language=False)
    assert reading.language == reading.detected_language == "fr"


class _Says:
    """A classifier that gives one language to every text, and keeps the texts it is asked
    about."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.asked: list[str] = []

    def classify(self, text: str) -> tuple[str, float]:
        self.asked.append(text)
        return self.code, 1.0


def test_the_language_is_the_one_the_handed_classifier_detects() -> None:
    says_german = _Says("de")
    reading = importer.parse_reading(
        FRENCH, "livre.txt", language_classifier=says_german, with_prompts=False
    )
    assert reading.language == reading.detected_language == "de"
    assert len(says_german.asked) == 1


def test_a_trusted_language_leaves_the_classifier_unasked() -> None:
    says_german = _Says("de")
    reading = importer.parse_reading(
        FRENCH,
        "livre.txt",
        language_classifier=says_german,
        language="fr",
        detect_given_language=False,
        with_prompts=False,
    )
    assert (reading.language, reading.detected_language, says_german.asked) == ("fr", None, [])


def test_without_a_classifier_the_language_is_the_given_one_else_english() -> None:
    given = importer.parse_reading(
        FRENCH, "livre.txt", language_classifier=None, language="fr", with_prompts=False
    )
    assert (given.language, given.detected_language) == ("fr", None)
    unnamed = importer.parse_reading(FRENCH, "livre.txt", language_classifier=None)
    assert (unnamed.language, unnamed.detected_language) == ("en", None)


def test_the_same_text_with_other_whitespace_has_the_same_hash() -> None:
    a = parse_reading(b"Title\n\nSome text here.", "a.txt")
    b = parse_reading(b"\xef\xbb\xbf  Title \r\n\r\n\r\n Some   text here.\r\n", "b.txt")
    c = parse_reading(b"Title\n\nOther text here.", "c.txt")
    assert a.content_hash == b.content_hash != c.content_hash


def test_title_defaults_to_a_tidy_file_name() -> None:
    assert parse_reading(b"Some words.", "the_conquest-of-bread.md").title == (
        "The conquest of bread"
    )


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"%PDF-1.7\x00\x01", "paper.pdf", "could not be read as a PDF"),
        (b"PK\x03\x04", "paper.docx", "not a format Study Circle can read"),
        (b"<html>", "book.epub", "not an EPUB"),
        (b"\x00\x01\x02", "paper.txt", "binary"),
        (b"", "empty.txt", "no text"),
        (b"... --- !!!", "dots.txt", "no words"),
    ],
)
def test_unreadable_uploads_are_refused_with_a_reason(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(TextFormatError, match=reason):
        parse_reading(data, name)
