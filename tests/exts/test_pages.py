"""The pager's own state next to what discord.py keeps of a view."""

from __future__ import annotations

import discord
from discord.ui.view import ViewStore

from bot.exts.pages import Pager


async def test_a_pager_takes_discordpys_refresh_when_its_message_is_edited() -> None:
    # discord.py brings a view tracked for a message up to date from the message's edited
    # components (a MESSAGE_UPDATE) through the view's `_refresh(components)`; a pager must
    # not take that name for its own use.
    pager = Pager([discord.Embed(title=str(n)) for n in (1, 2, 3)], owner_id=7)
    store = ViewStore(None)  # type: ignore[arg-type]  # the buttons are built without a state
    store.add_view(pager, message_id=42)
    try:
        edited = pager.to_components()
        # discord.py types the components a view gives as plain dicts, and the ones a message
        # brings back as TypedDicts: the same payload.
        store.update_from_message(42, edited)  # type: ignore[arg-type]  # to_components' own
    finally:
        pager.stop()

    assert pager.previous.disabled
    assert not pager.next.disabled
