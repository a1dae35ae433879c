"""Discord's limits as a REST proxy in front of Discord reports them (DISCORD_API_BASE):
the bot waits out a bucket the `X-RateLimit-*` headers say is empty, and retries a 429
after its `retry_after`, instead of failing the request."""

from __future__ import annotations

import asyncio

import discord

from bot.app import StudyCircleBot
from tests.fakediscord import FakeDiscord

MESSAGES = "/channels/{id}/messages"


async def _send(bot: StudyCircleBot, fake: FakeDiscord, text: str) -> float:
    channel = bot.get_channel(fake.world.general.id)
    assert isinstance(channel, discord.TextChannel)
    await channel.send(text)
    return asyncio.get_running_loop().time()


async def test_the_bot_waits_out_a_bucket_the_headers_say_is_empty(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    fake_discord.limit_next("POST", MESSAGES, remaining=0, reset_after=1.0)
    mark = fake_discord.mark()

    await asyncio.gather(_send(bot, fake_discord, "one"), _send(bot, fake_discord, "two"))

    first, second = fake_discord.requests_to("POST", MESSAGES, since=mark)
    assert second.at - first.at >= 0.9
    assert [m.content for m in fake_discord.messages_in(fake_discord.world.general)][-2:] == [
        "one",
        "two",
    ]


async def test_a_429_from_the_proxy_is_retried_after_its_retry_after(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail_next("POST", MESSAGES, 429, retry_after=0.4)
    mark = fake_discord.mark()
    loop = asyncio.get_running_loop()
    began = loop.time()

    await _send(bot, fake_discord, "after the limit")

    statuses = [r.status for r in fake_discord.requests_to("POST", MESSAGES, since=mark)]
    assert statuses == [429, 200]
    assert loop.time() - began >= 0.4
    assert fake_discord.messages_in(fake_discord.world.general)[-1].content == "after the limit"


async def test_a_global_429_holds_every_route_until_it_passes(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail_next("POST", MESSAGES, 429, retry_after=0.5, is_global=True)
    mark = fake_discord.mark()

    await _send(bot, fake_discord, "after the global limit")

    statuses = [r.status for r in fake_discord.requests_to("POST", MESSAGES, since=mark)]
    assert statuses == [429, 200]
