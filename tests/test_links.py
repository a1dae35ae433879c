"""Addresses in Discord, built in one place for messages, events, calendars and DMs."""

from __future__ import annotations

from bot.links import channel_url, event_url


def test_a_channel_and_a_message_in_it_have_their_addresses() -> None:
    assert channel_url(1, 2) == "https://discord.com/channels/1/2"
    assert channel_url(1, 2, 3) == "https://discord.com/channels/1/2/3"


def test_a_scheduled_event_has_its_address() -> None:
    assert event_url(1, 9) == "https://discord.com/events/1/9"
