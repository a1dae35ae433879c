"""The fake's guild scheduled events answer discord.py as Discord does: what it keeps, the
checks it makes, the errors it answers with, and the "Interested" count."""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot.app import StudyCircleBot
from tests.fakediscord import ChannelType, FakeDiscord, Perm


def _guild(bot: StudyCircleBot, fake: FakeDiscord) -> discord.Guild:
    guild = bot.get_guild(fake.world.guild.id)
    assert guild is not None
    return guild


async def test_an_external_event_is_made_listed_counted_and_cancelled(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    guild = _guild(bot, fake_discord)
    start = discord.utils.utcnow() + timedelta(days=1)
    event = await guild.create_scheduled_event(
        name="Section 1: Introduction",
        start_time=start,
        end_time=start + timedelta(hours=1),
        entity_type=discord.EntityType.external,
        location="Library",
        privacy_level=discord.PrivacyLevel.guild_only,
        description="Read it first.",
    )
    assert event.location == "Library"
    assert bot.user is not None
    assert event.creator_id == bot.user.id
    [stored] = fake_discord.scheduled_events(fake_discord.world.guild)
    await fake_discord.mark_interested(stored, fake_discord.world.member)
    counted = await guild.fetch_scheduled_event(event.id, with_counts=True)
    assert counted.user_count == 1

    cancelled = await counted.cancel()
    assert cancelled.status is discord.EventStatus.cancelled
    assert await guild.fetch_scheduled_events() == []
    with pytest.raises(discord.HTTPException) as finished:
        await cancelled.edit(name="Again")
    assert finished.value.code == 180000


async def test_bad_events_are_refused_with_discords_errors(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    guild = _guild(bot, fake_discord)
    past = discord.utils.utcnow() - timedelta(minutes=1)
    with pytest.raises(discord.HTTPException) as in_the_past:
        await guild.create_scheduled_event(
            name="Late",
            start_time=past,
            end_time=past + timedelta(hours=1),
            entity_type=discord.EntityType.external,
            location="Library",
            privacy_level=discord.PrivacyLevel.guild_only,
        )
    assert in_the_past.value.code == 50035
    assert "scheduled_start_time" in str(in_the_past.value)
    text = guild.get_channel(fake_discord.world.general.id)
    assert text is not None
    with pytest.raises(discord.HTTPException) as not_a_voice_channel:
        await guild.create_scheduled_event(
            name="Here",
            start_time=discord.utils.utcnow() + timedelta(hours=1),
            entity_type=discord.EntityType.voice,
            channel=discord.Object(text.id),
            privacy_level=discord.PrivacyLevel.guild_only,
        )
    assert not_a_voice_channel.value.code == 50035
    with pytest.raises(discord.NotFound) as unknown:
        await guild.fetch_scheduled_event(12345)
    assert unknown.value.code == 10070


async def test_a_voice_event_needs_connect_there_and_events_need_manage_events(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    voice = await fake_discord.add_channel("Voice", type=ChannelType.GUILD_VOICE)
    guild = _guild(bot, fake_discord)
    start = discord.utils.utcnow() + timedelta(hours=2)
    event = await guild.create_scheduled_event(
        name="Talk",
        start_time=start,
        entity_type=discord.EntityType.voice,
        channel=discord.Object(voice.id),
        privacy_level=discord.PrivacyLevel.guild_only,
    )
    assert event.channel_id == voice.id
    world.bot_role.permissions &= ~Perm.MANAGE_EVENTS
    with pytest.raises(discord.Forbidden) as forbidden:
        await event.edit(name="Talk again")
    assert forbidden.value.code == 50013
