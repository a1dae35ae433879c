"""Decoding uploads and normalising their whitespace."""

from __future__ import annotations

import random
import re

import pytest

from bot.reading.text import (
    MAX_BLOCK_WORDS,
    TextFormatError,
    collapse_spaces,
    count_words,
    decode,
    has_words,
    normalise,
    reading_minutes,
)


def test_utf8_with_and_without_bom_decode_the_same() -> None:
    assert decode(b"\xef\xbb\xbfHello there") == decode(b"Hello there") == "Hello there"


def test_latin1_and_windows_1252_bytes_are_read_as_what_they_are() -> None:
    assert decode("café".encode("latin-1"), source="notes.txt") == "café"
    assert decode("“perché” – è così".encode("cp1252")) == "“perché” – è così"


def test_an_old_cjk_encoding_is_detected() -> None:
    text = "読書会のテキストです。みんなで一緒に読みましょう。" * 4
    assert decode(text.encode("shift_jis")) == text


def test_bytes_that_are_text_in_no_encoding_are_refused_naming_the_byte() -> None:
    with pytest.raises(TextFormatError) as caught:
        decode(bytes(range(0x80, 0x100)) * 4 + b"\x01\x02", source="notes.txt")
    message = str(caught.value)
    assert "notes.txt is not text" in message
    assert "0x80" in message


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
    assert normalise(raw) == "Title\n\nFirst line\nwrapped here.\n\nSecond."


def test_every_run_of_horizontal_space_in_a_line_becomes_one_plain_space() -> None:
    spaces = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    pieces = list(" \t\f\v\u00a0\u2003\u202f\u3000\u200baé.")
    rng = random.Random(7)
    for _ in range(3000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert collapse_spaces(line) == spaces.sub(" ", line).strip(), repr(line)


def test_hard_wrapped_prose_is_joined_and_short_lines_keep_their_breaks() -> None:
    prose = (
        "When the family came to the house the storm had already begun, and the\n"
        "rain fell so heavily on the old roof that nobody could hear the clock in\n"
        "the hall strike nine, nor the steps of the housekeeper on the stairs.\n"
    )
    verse = "  The sea is calm tonight,\n  The tide is full, the moon lies fair\n"
    address = "Chapter One\nThe Arrival\n"
    raw = "\n".join([prose] * 6 + [verse, address, prose])
    blocks = normalise(raw).split("\n\n")
    assert blocks[0] == " ".join(line for line in prose.splitlines())
    assert blocks[6] == "The sea is calm tonight,\nThe tide is full, the moon lies fair"
    assert blocks[7] == "Chapter One\nThe Arrival"


def test_normalise_keeps_list_items_on_their_own_lines() -> None:
    raw = "We need:\n- bread\n- roses\n1. first\n2) second"
    assert normalise(raw) == "We need:\n- bread\n- roses\n1. first\n2) second"


def test_normalise_is_idempotent_on_the_seed(seed_text: str) -> None:
    once = normalise(seed_text)
    assert normalise(once) == once
    assert "\n\n\n" not in once


def test_words_count_hyphens_and_apostrophes_in_and_a_reading_takes_a_minute_at_least() -> None:
    assert count_words("Self-management isn't automatic — it’s built.") == 5
    assert reading_minutes(0) == 1
    assert reading_minutes(1000) == 5


@pytest.mark.parametrize("text", ["", "   \n\n", "— … !", "’-’", "a", " x-y ", "\n\n1936."])
def test_a_text_has_words_when_it_counts_some(text: str) -> None:
    assert has_words(text) == (count_words(text) > 0)


def test_a_word_and_the_break_after_it_take_two_characters_at_least() -> None:
    rng = random.Random(5)
    pieces = ["a", "é", "1", "_", "'", "’", "-", " ", "\n", ".", "—", "x-y", "l’a"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert count_words(text) <= (len(text) + 1) // 2, text


def test_a_long_paragraph_without_sentence_ends_is_never_cut_before_a_closer() -> None:
    # 2,007 words in three blocks: a cut by word count alone would fall just before a "»".
    paragraph = ("a b c d e f g " + "la route « longue » nous mène encore plus loin " * 250).strip()
    blocks = normalise(paragraph).split("\n\n")
    assert len(blocks) > 1
    assert all(count_words(b) <= MAX_BLOCK_WORDS for b in blocks)
    assert not any(b.startswith("»") or b.endswith("«") for b in blocks), [b[:20] for b in blocks]
    assert " ".join(blocks).split() == paragraph.split()
