"""Discussion meetings through the fake Discord: each post's meeting is a Scheduled Event,
linked in the post, moved by a skip, cancelled by a pause or a delete, made again on resume,
never twice; and the bot names the permission it lacks before saving anything."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import StudyCircleBot
from bot.db.models import Meeting
from bot.errors import NotFound
from bot.links import event_url
from bot.scheduling.clock import FakeClock
from bot.settings import Settings
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.meetings.helpers import FIRST_MEETING, create_with_meeting
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import running_bot
from tests.fakediscord.model import ChannelType, EventStatus, FakeScheduledEvent, Perm
from tests.statements import watching


async def first_event(bot: StudyCircleBot, fake: FakeDiscord) -> FakeScheduledEvent:
    """A schedule with meetings made, and the one event it announces at once."""
    await create_with_meeting(fake)
    await bot.scheduler.wait_idle()
    [event] = fake.scheduled_events(fake.world.guild)
    return event


def starts(event: FakeScheduledEvent) -> datetime:
    return datetime.fromisoformat(event.scheduled_start_time).astimezone(UTC)


async def test_a_schedule_with_meetings_announces_the_first_as_an_event(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    created = await create_with_meeting(fake_discord)
    assert created.ephemeral
    fields = {f["name"]: f["value"] for f in created.embeds[0]["fields"]}
    assert fields["Meetings"].startswith("the day after each post at 19:00 (Europe/Rome)")
    await bot.scheduler.wait_idle()

    [event] = fake_discord.scheduled_events(fake_discord.world.guild)
    assert event.name == "Section 1: Introduction"
    assert starts(event) == FIRST_MEETING
    assert event.entity_type == 3
    assert event.location == "Café Roma, Via Po 3"
    assert event.creator_id == fake_discord.state.bot.id
    assert "Mass Organizations, section 1 of 10." in (event.description or "")
    assert "Opening question:" in (event.description or "")
    assert "The section is posted before the meeting." in (event.description or "")


async def test_the_post_links_its_meeting_and_the_event_links_the_post(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_with_meeting(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    await bot.scheduler.wait_idle()

    [post] = fake_discord.messages_in(world.reading)
    first, second = fake_discord.scheduled_events(world.guild)
    meeting = next(f for f in post.embeds[0]["fields"] if f["name"] == "Meeting")
    assert f"https://discord.com/events/{world.guild.id}/{first.id}" in meeting["value"]
    assert f"<t:{int(FIRST_MEETING.timestamp())}:F>" in meeting["value"]
    post_link = f"https://discord.com/channels/{world.guild.id}/{world.reading.id}/{post.id}"
    assert f"Read it: {post_link}" in (first.description or "")
    # The next post's meeting is announced as soon as its date is known.
    assert second.name.startswith("Section 2: ")
    assert starts(second) == FIRST_MEETING + timedelta(days=7)
    assert [e.status for e in (first, second)] == [EventStatus.SCHEDULED] * 2


async def test_skip_moves_the_next_meeting_and_pause_and_resume_cancel_and_remake_it(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    event = await first_event(bot, fake_discord)

    await fake_discord.command("schedule skip", user=world.facilitator)
    await bot.scheduler.wait_idle()
    assert fake_discord.scheduled_events(world.guild) == [event]
    assert starts(event) == FIRST_MEETING + timedelta(days=7)
    assert fake_discord.requests_to("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")

    await fake_discord.command("schedule pause", user=world.facilitator)
    await bot.scheduler.wait_idle()
    assert event.status == EventStatus.CANCELED

    await fake_discord.command("schedule resume", user=world.facilitator)
    await bot.scheduler.wait_idle()
    [live] = fake_discord.scheduled_events(world.guild, live_only=True)
    assert live.id != event.id
    assert live.name == "Section 1: Introduction"
    assert starts(live) == FIRST_MEETING + timedelta(days=7)


async def test_deleting_a_schedule_cancels_its_meetings_ahead(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_with_meeting(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    assert len(fake_discord.scheduled_events(world.guild, live_only=True)) == 2

    await fake_discord.command("schedule delete", user=world.facilitator)
    await bot.scheduler.wait_idle()
    assert fake_discord.scheduled_events(world.guild, live_only=True) == []


async def test_a_voice_channel_meeting_and_a_restart_make_no_second_event(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    voice = await fake_discord.add_channel("Reading Room Voice", type=ChannelType.GUILD_VOICE)
    async with running_bot(bot_settings, fake_discord, clock=clock) as first:
        await create_with_meeting(fake_discord, meeting_channel=voice)
        await first.scheduler.wait_idle()
    async with running_bot(bot_settings, fake_discord, clock=clock) as second:
        await advance_to(second, clock, FIRST_DUE)
        await second.scheduler.wait_idle()
    events = fake_discord.scheduled_events(world.guild)
    assert [e.name.split(":")[0] for e in events] == ["Section 1", "Section 2"]
    assert events[0].entity_type == 2
    assert events[0].channel_id == voice.id


async def test_without_manage_events_the_schedule_is_refused_and_the_permission_named(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    world.bot_role.permissions &= ~Perm.MANAGE_EVENTS
    await fake_discord.dispatch(
        "GUILD_ROLE_UPDATE",
        {"guild_id": str(world.guild.id), "role": world.bot_role.payload()},
        guild_id=world.guild.id,
    )
    result = await create_with_meeting(fake_discord)
    assert result.ephemeral
    assert "Manage Events" in result.text
    listed = await fake_discord.command("schedule list", user=world.facilitator)
    assert "no reading schedule" in listed.text


async def test_schedule_meeting_changes_the_time_and_status_counts_the_interested(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    event = await first_event(bot, fake_discord)
    await fake_discord.mark_interested(event, world.member)
    await fake_discord.mark_interested(event, world.other_member)

    status = await fake_discord.command("schedule status", user=world.member)
    fields = {f["name"]: f["value"] for f in status.embeds[0]["fields"]}
    assert fields["Next meeting"] == (
        f"Section 1, <t:{int(FIRST_MEETING.timestamp())}:F>, 2 members interested: "
        f"{event_url(world.guild.id, event.id)}"
    )

    changed = await fake_discord.command(
        "schedule meeting", {"when": "thursday 18:30"}, user=world.facilitator
    )
    assert "every Thursday at 18:30 (Europe/Rome)" in changed.text
    await bot.scheduler.wait_idle()
    assert fake_discord.scheduled_events(world.guild) == [event]
    assert starts(event) == datetime(2027, 3, 4, 17, 30, tzinfo=UTC)
    assert event.location == "Café Roma, Via Po 3"


async def test_meetings_asked_together_are_read_together_and_another_servers_schedule_is_refused(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_with_meeting(fake_discord)
    await bot.scheduler.wait_idle()
    meetings = bot.services.meetings
    schedule_id = await bot.services.schedules.only(world.guild.id)

    asks = [meetings.upcoming(world.guild.id, schedule_id) for _ in range(30)]
    asks.append(meetings.upcoming(world.guild.id + 1, schedule_id))
    asks.append(meetings.upcoming(world.guild.id, schedule_id + 99))
    with watching(meetings.db) as seen:
        results = await asyncio.gather(*asks, return_exceptions=True)

    assert seen.transactions < len(asks) // 5
    for ahead in results[:30]:
        assert not isinstance(ahead, BaseException), ahead
        assert [(m.position, m.starts_at) for m in ahead] == [(1, FIRST_MEETING)]
    assert isinstance(results[-2], NotFound)
    assert isinstance(results[-1], NotFound)


async def test_the_digest_of_a_section_mentions_its_meeting(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_with_meeting(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    first = next(
        e for e in fake_discord.scheduled_events(world.guild) if e.name.startswith("Section 1")
    )
    await fake_discord.mark_interested(first, world.member)

    await advance_to(bot, clock, FIRST_DUE + timedelta(days=7))
    [thread, _] = fake_discord.threads_in(world.reading)
    [digest] = [
        m
        for m in fake_discord.messages_in(thread)
        if m.embeds and any(f["name"] == "Meeting" for f in m.embeds[0].get("fields", []))
    ]
    meeting = next(f for f in digest.embeds[0]["fields"] if f["name"] == "Meeting")
    # The same words as `/schedule status`: the address stays whole in the digest's line.
    assert meeting["value"] == (
        f"The circle met <t:{int(FIRST_MEETING.timestamp())}:F>, 1 member interested: "
        f"{event_url(world.guild.id, first.id)}"
    )


async def test_the_next_meeting_is_shown_without_its_count_when_discord_refuses_it(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    event = await first_event(bot, fake_discord)
    await fake_discord.mark_interested(event, world.member)
    fake_discord.fail_next("GET", "/guilds/{guild_id}/scheduled-events/{event_id}", 403)

    status = await fake_discord.command("schedule status", user=world.member)

    fields = {f["name"]: f["value"] for f in status.embeds[0]["fields"]}
    assert fields["Next meeting"] == (
        f"Section 1, <t:{int(FIRST_MEETING.timestamp())}:F>: {event_url(world.guild.id, event.id)}"
    )


@pytest.mark.usefixtures("quick_server_error_retries")
async def test_an_event_made_twice_when_discords_answer_was_lost_is_kept_once(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    # Discord makes the event, then fails to answer; discord.py asks again.
    fake_discord.fail_next("POST", "/guilds/{guild_id}/scheduled-events", 500, after_handling=True)
    await create_with_meeting(fake_discord)
    await bot.scheduler.wait_idle()
    for _ in range(30):
        if len(fake_discord.requests_to("POST", "/guilds/{guild_id}/scheduled-events")) >= 2:
            break
        await asyncio.sleep(0.1)
    await bot.scheduler.wait_idle()
    made = fake_discord.scheduled_events(world.guild)
    assert len(made) == 2
    [live] = fake_discord.scheduled_events(world.guild, live_only=True)
    async with bot.database.session() as session:
        [meeting] = list(await session.scalars(select(Meeting)))
    assert meeting.event_id == live.id
