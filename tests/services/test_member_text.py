"""The one check of member text: a line or a block, visible, within its limit, refused in the
same words whatever the text."""

from __future__ import annotations

from typing import Protocol

import pytest

from bot.errors import UserError
from bot.services.member_text import clean_block, clean_line
from bot.services.prompts import MAX_PROMPT_CHARS, clean_prompt_text
from bot.services.reflections.writing import MAX_TEXT_CHARS, clean_text


class Check(Protocol):
    """`clean_line` or `clean_block`."""

    def __call__(self, text: str, *, what: str, limit: int, empty: str | None = None) -> str: ...


def test_a_line_is_one_line_and_a_block_keeps_its_lines() -> None:
    text = "  A first thought,\r\n\r\n  then\ta second.\r"
    assert clean_line(text, what="topic", limit=100) == "A first thought, then a second."
    assert clean_block(text, what="note", limit=100) == "A first thought,\n\n  then\ta second."


@pytest.mark.parametrize("check", [clean_line, clean_block])
def test_nothing_visible_is_refused_in_the_default_words_or_the_callers(check: Check) -> None:
    unseen = " \u200b\u202e\u3164\n"
    with pytest.raises(UserError) as default:
        check(unseen, what="topic", limit=10)
    assert str(default.value) == "Write the topic: it has no visible characters yet."
    with pytest.raises(UserError) as own:
        check(unseen, what="topic", limit=10, empty="Write a topic.")
    assert str(own.value) == "Write a topic."


@pytest.mark.parametrize("check", [clean_line, clean_block])
def test_too_long_is_told_with_the_limit_and_the_length(check: Check) -> None:
    assert check("x" * 1000, what="topic", limit=1000) == "x" * 1000
    with pytest.raises(UserError) as long:
        check("x" * 1001, what="topic", limit=1000)
    assert str(long.value) == "The topic can be at most 1,000 characters (this one has 1,001)."


def test_a_block_too_long_may_say_what_to_do_instead() -> None:
    with pytest.raises(UserError) as long:
        clean_block("x" * 11, what="note", limit=10, hint="Split it.")
    assert str(long.value) == "The note can be at most 10 characters (this one has 11). Split it."


def test_a_reflection_and_a_prompt_are_checked_by_the_same_rule() -> None:
    with pytest.raises(UserError) as reflection:
        clean_text("x" * (MAX_TEXT_CHARS + 1))
    assert str(reflection.value) == (
        "The reflection can be at most 4,000 characters (this one has 4,001). "
        "Shorten it, or split it into two."
    )
    assert clean_text("\r\n Line one,\r\nline two. \n") == "Line one,\nline two."
    with pytest.raises(UserError) as prompt:
        clean_prompt_text("Why? " * MAX_PROMPT_CHARS)
    assert str(prompt.value).startswith(f"The prompt can be at most {MAX_PROMPT_CHARS} characters")
    assert clean_prompt_text(" What does\n the river  keep? ") == "What does the river keep?"
