"""Member text echoed in Discord: it never pings, never takes over a message's layout, and
never reorders the bot's own words around it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.exts.text import (
    block,
    channel_mention,
    inline,
    label,
    listed,
    plural,
    role_mention,
    shorten,
    user_mention,
)

USER_ID = 123456789012345678
RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"


def test_block_stops_every_kind_of_ping() -> None:
    safe = block(f"@everyone @here <@{USER_ID}> <@!{USER_ID}> <@&{USER_ID}>")
    assert "@everyone" not in safe
    assert "@here" not in safe
    assert f"<@{USER_ID}>" not in safe
    assert f"<@!{USER_ID}>" not in safe
    assert f"<@&{USER_ID}>" not in safe


def test_block_keeps_headings_and_code_blocks_from_taking_over() -> None:
    safe = block("# Big\n## Bigger\n-# small print\n\n\n\n\ntext\n```py\nopen")
    assert safe.startswith("\\# Big\n\\## Bigger\n\\-# small print\n\ntext")
    assert safe.count("```") == 2


def test_block_keeps_ordinary_emphasis() -> None:
    assert block("I *really* liked it.") == "I *really* liked it."


def test_block_shows_a_masked_links_address_instead_of_hiding_it() -> None:
    safe = block("Read [the summary](http://evil.example/x) first")
    assert "\\[the summary](http://evil.example/x)" in safe


@given(st.text(max_size=5000))
def test_block_fits_its_limit_and_never_pings(text: str) -> None:
    safe = block(text, 300)
    assert len(safe) <= 300
    assert "@everyone" not in safe
    assert "@here" not in safe
    assert safe.count("```") % 2 == 0


def test_inline_flattens_and_escapes() -> None:
    assert inline("What *is*\n  <@&123456789012345678>?", 100) == (
        "What \\*is\\* <@\u200b&123456789012345678>?"
    )
    assert len(inline("word " * 100, 45)) <= 45


@pytest.mark.parametrize(
    "hostile",
    ["```", "Tactics ```py", "[x](http://evil.example)", "# Heading", "> quote", "||spoiler||"],
)
def test_inline_text_cannot_open_markup_that_swallows_the_rest(hostile: str) -> None:
    line = f"**1.** {inline(hostile)} and the bot's own words"
    assert "```" not in line.replace("\\`", "")
    assert "](" not in line or "\\[" in line
    assert not line.startswith(("#", ">"))
    assert "||" not in line.replace("\\|", "")


@pytest.mark.parametrize("render", [block, inline, lambda text: label(text, 100)])
def test_direction_overrides_never_reach_a_message(render: Callable[[str], str]) -> None:
    shown = render(f"{RLO}evil{PDF} {LRI}text{PDI} \u200fmark")
    assert not set(shown) & {RLO, PDF, LRI, PDI}
    assert "evil" in shown
    assert "\u200f" in shown  # a plain right-to-left mark only nudges its neighbours


def test_label_keeps_markdown_as_typed_but_on_one_line() -> None:
    assert label("*Tactics*\nand `history`", 100) == "*Tactics* and `history`"


def test_shorten_cuts_at_a_word_with_an_ellipsis() -> None:
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 12) == "short"


def test_listed_joins_parts_as_a_sentence_lists_them() -> None:
    assert listed([]) == ""
    assert listed(["Monday"]) == "Monday"
    assert listed(["Monday", "Thursday"]) == "Monday and Thursday"
    assert listed(["a", "b", "c"]) == "a, b and c"


def test_plural_gives_a_count_its_noun_in_the_right_number() -> None:
    assert plural(1, "ballot") == "1 ballot"
    assert plural(0, "ballot") == "0 ballots"
    assert plural(1_200, "reflection was", "reflections were") == "1,200 reflections were"


def test_a_member_a_role_and_a_channel_are_named_as_discord_reads_them() -> None:
    assert user_mention(USER_ID) == f"<@{USER_ID}>"
    assert role_mention(USER_ID) == f"<@&{USER_ID}>"
    assert channel_mention(USER_ID) == f"<#{USER_ID}>"
