"""The pager's turns: Previous and Next for a page, dimmed at the ends, none for one page; and
the pages numbered beneath."""

from __future__ import annotations

from typing import Any

import discord

from bot.exts.pages import numbered, turns


class Turn(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=r"test:(?P<n>\d+)"):
    def __init__(self, page: int, tag: str, *, label: str, disabled: bool) -> None:
        super().__init__(
            discord.ui.Button(label=label, disabled=disabled, custom_id=f"test:{page}:{tag}")
        )

    @classmethod
    async def from_custom_id(cls, *_: Any) -> Turn:
        raise NotImplementedError


def _shown(page: int, count: int) -> list[tuple[str | None, bool, str | None]]:
    buttons = [turn.item for turn in turns(Turn, page, count)]
    assert all(isinstance(b, discord.ui.Button) for b in buttons)
    return [(b.label, b.disabled, b.custom_id) for b in buttons if isinstance(b, discord.ui.Button)]


def test_a_single_page_has_no_turns() -> None:
    assert _shown(0, 1) == []


def test_the_first_page_dims_previous_and_the_last_dims_next() -> None:
    assert _shown(0, 3) == [("Previous", True, "test:0:prev"), ("Next", False, "test:1:next")]
    assert _shown(1, 3) == [("Previous", False, "test:0:prev"), ("Next", False, "test:2:next")]
    assert _shown(2, 3) == [("Previous", False, "test:1:prev"), ("Next", True, "test:2:next")]


def test_several_pages_are_numbered_and_a_single_one_is_not() -> None:
    pages = numbered([discord.Embed(title=str(n)) for n in (1, 2)])
    assert [p.footer.text for p in pages] == ["Page 1 of 2", "Page 2 of 2"]
    assert numbered([discord.Embed(title="alone")])[0].footer.text is None
