"""The bot's gateway session: intents, identify, and what Discord sends it."""

from __future__ import annotations

import discord

from bot.app import StudyCircleBot
from tests.fakediscord import FakeDiscord


async def test_identifies_with_guilds_intent_only(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    [identify] = fake_discord.identifies
    intents = discord.Intents._from_value(identify["intents"])
    assert intents == discord.Intents(guilds=True)
    assert not intents.members
    assert not intents.message_content
    assert not intents.presences
    assert identify["token"] == fake_discord.token
    assert identify["shard"] == [0, 1]


async def test_guild_create_fills_the_cache(bot: StudyCircleBot, fake_discord: FakeDiscord) -> None:
    world = fake_discord.world
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    assert isinstance(guild.get_channel(world.forum.id), discord.ForumChannel)
    assert isinstance(guild.get_channel(world.reading.id), discord.TextChannel)
    assert guild.get_role(world.facilitator_role.id) is not None
    # Without the members intent Discord sends only the bot's own member.
    assert bot.user is not None
    assert [m.id for m in guild.members] == [bot.user.id]
    assert guild.me.guild_permissions.manage_roles


async def test_allowed_mentions_default_to_none(bot: StudyCircleBot) -> None:
    assert bot.allowed_mentions is not None
    assert dict(bot.allowed_mentions.to_dict()) == {"parse": []}


async def test_heartbeats_are_acknowledged(bot: StudyCircleBot, fake_discord: FakeDiscord) -> None:
    received = [frame for direction, frame in fake_discord.gateway_log if direction == "recv"]
    sent = [frame for direction, frame in fake_discord.gateway_log if direction == "send"]
    assert received[0]["op"] == 1  # discord.py beats once right after HELLO
    assert {"op": 11, "s": None, "t": None} in sent
    assert sent[0]["op"] == 10


async def test_resumes_after_a_dropped_connection(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    session_id = fake_discord.sessions[0].session_id
    await fake_discord.disconnect(code=4000)
    await fake_discord.wait_until(lambda: len(fake_discord.resumes) == 1, what="RESUME")
    await fake_discord.wait_until_connected()

    assert fake_discord.resumes[0]["session_id"] == session_id
    assert len(fake_discord.identifies) == 1
    result = await fake_discord.command("circle about", user=fake_discord.world.member)
    assert result.ephemeral
