"""Previous / Next over a long private answer: buttons that work after a restart and however
long the member waits, since each carries the page it turns to and its feature makes that page
again from the database when it is pressed (a reading's sections, one's reflections).

A feature's page button is a `DynamicItem` taking `(page, tag, *, label, disabled)` after its
own ids; `turns` makes the pair for a page, and `numbered` writes "Page 2 of 3" under each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import discord

TurnButton = Callable[..., discord.ui.DynamicItem[Any]]


def turns(button: TurnButton, page: int, count: int) -> list[discord.ui.DynamicItem[Any]]:
    """Previous and Next for page `page` (from 0) of `count`, each dimmed at its end; none for
    a single page. The tags keep the two custom_ids apart when both point at the same page."""
    if count <= 1:
        return []
    last = count - 1
    return [
        button(max(page - 1, 0), "prev", label="Previous", disabled=page == 0),
        button(min(page + 1, last), "next", label="Next", disabled=page >= last),
    ]


def numbered(pages: list[discord.Embed]) -> list[discord.Embed]:
    """`pages`, each with "Page n of m" as its footer when there are several."""
    if len(pages) > 1:
        for number, page in enumerate(pages, 1):
            page.set_footer(text=f"Page {number} of {len(pages)}")
    return pages
