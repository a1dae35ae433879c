"""Addresses in Discord: a channel, a message in it, a scheduled event.

Plain data, built in one place for every part that shows or sends a link: the Discord side's
messages, an event's description, the calendar feed, a reminder's DM.
"""

from __future__ import annotations

DISCORD = "https://discord.com"


def channel_url(guild_id: int, channel_id: int, message_id: int | None = None) -> str:
    """The address that opens a channel (a thread is one), or a message in it."""
    base = f"{DISCORD}/channels/{guild_id}/{channel_id}"
    return f"{base}/{message_id}" if message_id else base


def event_url(guild_id: int, event_id: int) -> str:
    """The address of a server's scheduled event (where members say they are interested)."""
    return f"{DISCORD}/events/{guild_id}/{event_id}"
