"""The one way to find a channel: the gateway's cache first, Discord only when it misses."""

from __future__ import annotations

from typing import cast

import discord

from bot.exts.discord_limits import find_channel


class _Client:
    def __init__(self, cached: dict[int, str]) -> None:
        self.cached = cached
        self.fetched: list[int] = []

    def get_channel(self, channel_id: int) -> str | None:
        return self.cached.get(channel_id)

    async def fetch_channel(self, channel_id: int) -> str:
        self.fetched.append(channel_id)
        return f"fetched {channel_id}"


async def test_a_cached_channel_is_found_without_asking_discord() -> None:
    client = _Client({1: "cached 1"})
    assert await find_channel(cast(discord.Client, client), 1) == "cached 1"
    assert client.fetched == []


async def test_a_channel_the_cache_lacks_is_asked_of_discord() -> None:
    client = _Client({})
    assert await find_channel(cast(discord.Client, client), 2) == "fetched 2"
    assert client.fetched == [2]


class _Guild:
    def __init__(self, cached: dict[int, str]) -> None:
        self.cached = cached

    def get_channel_or_thread(self, channel_id: int) -> str | None:
        return self.cached.get(channel_id)


async def test_given_its_guild_a_thread_is_read_from_that_guilds_cache_alone() -> None:
    client = _Client({})  # the bot-wide look-up, which goes through every guild, is not used
    guild = cast(discord.Guild, _Guild({3: "thread 3"}))
    assert await find_channel(cast(discord.Client, client), 3, guild=guild) == "thread 3"
    assert await find_channel(cast(discord.Client, client), 4, guild=guild) == "fetched 4"
    assert client.fetched == [4]
