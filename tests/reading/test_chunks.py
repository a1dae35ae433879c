"""Section text cut into Discord messages: at paragraph bounds, never inside a word."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reading.chunks import split_messages
from tests.reading.sectioned import sections_of_text


def _words_of(messages: list[str]) -> list[str]:
    return " ".join(messages).split()


def test_every_seed_section_fits_in_messages_cut_between_paragraphs(seed_normalised: str) -> None:
    for section in sections_of_text(seed_normalised):
        messages = split_messages(section.text)
        assert all(len(m) <= 2000 for m in messages)
        assert _words_of(messages) == section.text.split()
        for paragraph in section.text.split("\n\n"):
            if len(paragraph) <= 2000:
                assert any(paragraph in m for m in messages)


def test_a_list_stays_with_its_introduction_when_they_fit() -> None:
    intro = "It is essential to:"
    items = ["be subject to the things,", "know our own strength."]
    filler = "A paragraph of words. " * 80
    text = "\n\n".join([filler.strip(), intro, *items])
    messages = split_messages(text)
    holder = next(m for m in messages if intro in m)
    assert all(item in holder for item in items)


def test_a_heading_is_never_left_alone_at_the_end_of_a_message() -> None:
    body = "Words in a paragraph. " * 85
    text = "\n\n".join([body.strip(), "Our Outlook", body.strip()])
    messages = split_messages(text)
    assert all(not m.endswith("Our Outlook") for m in messages)
    assert any(m.startswith("Our Outlook\n\n") for m in messages)


def test_a_paragraph_longer_than_a_message_is_cut_at_a_sentence_end() -> None:
    sentence = "Self-management grows from practice and from consciousness together. "
    text = (sentence * 60).strip()
    messages = split_messages(text)
    assert len(messages) >= 3
    assert all(len(m) <= 2000 for m in messages)
    assert all(m.endswith("together.") for m in messages)
    assert _words_of(messages) == text.split()


def test_a_sentence_ending_inside_guillemets_keeps_its_closing_mark() -> None:
    sentence = "Elle répondit : « Nous lirons ce chapitre ensemble, lentement, jusqu'au bout. » "
    text = (sentence * 40).strip()
    messages = split_messages(text)
    assert len(messages) >= 2
    assert all(m.endswith("bout. »") for m in messages)
    assert _words_of(messages) == text.split()


@pytest.mark.parametrize("limit", range(12, 60))
def test_french_spaced_marks_stay_with_the_words_they_belong_to(limit: int) -> None:
    text = "Le soir venu, elle dit : « Il a fini. » Et puis « Quoi ? », cria-t-il ; enfin !"
    messages = split_messages(text, limit=limit)
    assert all(len(m) <= limit for m in messages)
    assert not any(m[0] in "»!?:;" or m.endswith("«") for m in messages), messages
    assert _words_of(messages) == text.split()


def test_a_paragraph_without_sentence_ends_is_cut_between_words() -> None:
    text = " ".join(["solidarity"] * 500)
    messages = split_messages(text)
    assert all(len(m) <= 2000 for m in messages)
    assert _words_of(messages) == text.split()


_words = st.lists(st.text("abcdefghij.,;: ", min_size=1, max_size=30), min_size=1, max_size=400)


@settings(max_examples=150, deadline=None)
@given(st.lists(_words.map(" ".join), min_size=1, max_size=12), st.integers(100, 2000))
def test_no_text_is_lost_and_no_message_is_too_long(paragraphs: list[str], limit: int) -> None:
    text = "\n\n".join(p.strip() or "x" for p in paragraphs)
    messages = split_messages(text, limit=limit)
    assert all(0 < len(m) <= limit for m in messages)
    assert _words_of(messages) == text.split()
