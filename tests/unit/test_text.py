"""Decoding uploads and normalising their whitespace."""

from __future__ import annotations

import pytest

from bot.reading.text import TextFormatError, count_words, decode, normalise, reading_minutes


def test_utf8_with_and_without_bom_decode_the_same() -> None:
    assert decode(b"\xef\xbb\xbfHello there") == decode(b"Hello there") == "Hello there"


def test_latin1_bytes_are_refused_naming_the_byte_and_the_fix() -> None:
    with pytest.raises(TextFormatError) as caught:
        decode("café".encode("latin-1"), source="notes.txt")
    message = str(caught.value)
    assert "notes.txt is not UTF-8" in message
    assert "0xe9" in message
    assert "save it as UTF-8" in message


def test_utf16_is_refused_with_its_name() -> None:
    with pytest.raises(TextFormatError, match="UTF-16"):
        decode("hello".encode("utf-16"))


def test_binary_and_empty_uploads_are_refused() -> None:
    with pytest.raises(TextFormatError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(TextFormatError, match="no text"):
        decode(b" \n\t\n ")


def test_normalise_collapses_blank_runs_and_stray_spaces() -> None:
    raw = "  Title  \r\n\r\n\n\t\n   First   line\nwrapped here.\n\n\n      \n\nSecond.\t \n"
    assert normalise(raw) == "Title\n\nFirst line wrapped here.\n\nSecond."


def test_normalise_keeps_list_items_on_their_own_lines() -> None:
    raw = "We need:\n- bread\n- roses\n1. first\n2) second"
    assert normalise(raw) == "We need:\n- bread\n- roses\n1. first\n2) second"


def test_normalise_is_idempotent_on_the_seed(seed_text: str) -> None:
    once = normalise(seed_text)
    assert normalise(once) == once
    assert "\n\n\n" not in once


def test_words_and_minutes() -> None:
    assert count_words("Self-management isn't automatic — it’s built.") == 5
    assert reading_minutes(0) == 1
    assert reading_minutes(1000) == 5
