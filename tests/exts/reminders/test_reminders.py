"""Reminders by DM through the fake Discord: off until a member asks; when a section is
posted, before a meeting (a day of wall time, an hour), before a vote they have not voted
in closes, and weekly when behind; quiet hours in their own time zone; each at most once,
late ones dropped; and closed DMs stop them, told once, privately, never in a channel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.app import StudyCircleBot
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.meetings.helpers import FIRST_MEETING, create_with_meeting
from tests.fakediscord import FakeDiscord, FakeUser


async def _joined(fake: FakeDiscord, *users: FakeUser) -> None:
    await create_with_meeting(fake)
    for user in users:
        await fake.command("join", user=user)


def _dms(fake: FakeDiscord, user: FakeUser) -> list[str]:
    return [m.content for m in fake.dm_messages(user)]


async def test_nobody_gets_a_reminder_without_asking(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member)
    shown = await fake_discord.command("remind", user=world.member)
    assert shown.ephemeral
    assert "Nothing is on" in shown.text
    await advance_to(bot, clock, FIRST_DUE)
    await advance_to(bot, clock, FIRST_MEETING)
    assert _dms(fake_discord, world.member) == []


async def test_a_member_who_asked_hears_of_each_post_once(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member, world.other_member)
    saved = await fake_discord.command("remind", {"post": True}, user=world.member)
    assert "when a section is posted: **on**" in saved.text

    await advance_to(bot, clock, FIRST_DUE)
    await advance_to(bot, clock, FIRST_DUE + timedelta(minutes=5))
    [dm] = fake_discord.dm_messages(world.member)
    [post] = fake_discord.messages_in(world.reading)
    assert dm.content.startswith("**Mass Organizations**: section 1, Introduction is posted")
    assert f"/{world.reading.id}/{post.id}" in dm.content
    assert dm.allowed_mentions == {"parse": []}
    assert _dms(fake_discord, world.other_member) == []


async def test_meeting_reminders_come_a_day_and_an_hour_before(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member)
    await fake_discord.command("remind", {"meeting": "1d, 1h"}, user=world.member)
    await bot.scheduler.wait_idle()

    day_before = FIRST_MEETING - timedelta(days=1)
    await advance_to(bot, clock, day_before - timedelta(minutes=1))
    assert _dms(fake_discord, world.member) == []
    await advance_to(bot, clock, day_before)
    [first] = _dms(fake_discord, world.member)
    assert "the meeting on section 1, Introduction is" in first
    assert f"<t:{int(FIRST_MEETING.timestamp())}:F>" in first
    assert "https://discord.com/events/" in first

    await advance_to(bot, clock, FIRST_MEETING - timedelta(hours=1))
    await advance_to(bot, clock, FIRST_MEETING - timedelta(minutes=30))
    assert len(_dms(fake_discord, world.member)) == 2


async def test_a_reminder_past_its_moment_is_dropped(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member)
    await fake_discord.command("remind", {"meeting": "1h"}, user=world.member)
    await bot.scheduler.wait_idle()
    # The bot was away from an hour before the meeting until it began.
    await advance_to(bot, clock, FIRST_MEETING + timedelta(minutes=1))
    assert _dms(fake_discord, world.member) == []


async def test_quiet_hours_in_the_members_own_zone_hold_a_reminder(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member)
    zone = await fake_discord.command(
        "settings", {"timezone": "America/New_York"}, user=world.member
    )
    assert "America/New_York" in zone.text
    await fake_discord.command("remind", {"post": True, "quiet": "09:00-13:00"}, user=world.member)
    # The post comes at 17:00 UTC: 12:00 in New York, within the member's quiet hours.
    await advance_to(bot, clock, FIRST_DUE)
    assert _dms(fake_discord, world.member) == []
    await advance_to(bot, clock, datetime(2027, 3, 1, 18, 0, tzinfo=UTC))  # 13:00 in New York
    assert len(_dms(fake_discord, world.member)) == 1


async def test_closed_dms_stop_reminders_and_the_member_is_told_once_privately(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member)
    await fake_discord.command("remind", {"post": True, "meeting": "1h"}, user=world.member)
    world.member.accepts_dms = False
    channels_before = {
        c: len(fake_discord.messages_in(fake_discord.state.channels[c]))
        for c in (world.general.id,)
    }

    await advance_to(bot, clock, FIRST_DUE)
    await advance_to(bot, clock, FIRST_MEETING - timedelta(hours=1))
    tries = fake_discord.requests_to("POST", "/channels/{id}/messages")
    dm_channel = fake_discord.state.dm_channel(world.member)
    failed = [r for r in tries if str(dm_channel.id) in r.path]
    assert len(failed) == 1  # no second try for the meeting
    assert failed[0].status == 403
    assert {
        c: len(fake_discord.messages_in(fake_discord.state.channels[c])) for c in channels_before
    } == channels_before

    first = await fake_discord.command("progress", user=world.member)
    await first.wait_for_followups(1)
    notices = [f for f in first.followups if "reminders have stopped" in (f.content or "")]
    assert len(notices) == 1
    assert notices[0].ephemeral
    again = await fake_discord.command("progress", user=world.member)
    assert not any("reminders have stopped" in (f.content or "") for f in again.followups)
    shown = await fake_discord.command("remind", user=world.member)
    assert "DMs were closed" in shown.text


async def test_a_vote_reminder_goes_only_to_members_who_have_not_voted(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member, world.other_member)
    for user in (world.member, world.other_member):
        await fake_discord.command("remind", {"vote": True}, user=user)
    opened = await fake_discord.command(
        "vote open",
        {
            "question": "Which chapter next?",
            "options": "One; Two",
            "closes": "1d",
            "schedule": "1",
            "reminder": "none",
        },
        user=world.facilitator,
    )
    assert "is open" in opened.text, opened.text
    vote = fake_discord.messages_in(world.general)[-1]
    menu = next(c for c in vote.custom_ids if c.startswith("sc:vote:1:"))
    await fake_discord.choose(vote, menu, ["0"], user=world.other_member)

    await advance_to(bot, clock, clock.now() + timedelta(hours=22))
    [dm] = _dms(fake_discord, world.member)
    assert "“Which chapter next?” closes" in dm
    assert "you have not voted yet" in dm
    assert _dms(fake_discord, world.other_member) == []


async def test_the_weekly_nudge_counts_the_sections_behind(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member)
    await fake_discord.command("remind", {"behind": True}, user=world.member)
    await advance_to(bot, clock, FIRST_DUE)
    # Sundays at 10:00 (UTC until the member sets a zone), spread over the hour by member.
    sunday = datetime(2027, 3, 7, 10, 0, tzinfo=UTC)
    await advance_to(bot, clock, sunday - timedelta(minutes=1))
    assert _dms(fake_discord, world.member) == []
    await advance_to(bot, clock, sunday + timedelta(seconds=world.member.id % 3600))
    [dm] = _dms(fake_discord, world.member)
    assert dm.startswith("You are 1 section behind in your circles.")


async def test_the_timezone_setting_suggests_iana_names(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.autocomplete(
        "settings", {"timezone": "rome"}, focused="timezone", user=fake_discord.world.member
    )
    assert result.choices is not None
    assert "Europe/Rome" in [c["value"] for c in result.choices]
    refused = await fake_discord.command(
        "settings", {"timezone": "Mars/Olympus"}, user=fake_discord.world.member
    )
    assert refused.ephemeral
    assert "not a time zone I know" in refused.text


async def test_a_facilitators_suggestion_opts_nobody_in_until_a_member_takes_it(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await _joined(fake_discord, world.member)
    suggested = await fake_discord.command(
        "schedule reminders", {"post": True, "meeting": "1d"}, user=world.facilitator
    )
    assert suggested.text.startswith(
        "Suggested to the circle of schedule #1: when a section is posted; 1 day before each "
        "meeting."
    )
    assert "nobody is opted in" in suggested.text
    shown = await fake_discord.command("remind", user=world.member)
    assert "when a section is posted: **off**" in shown.text
    assert "schedule #1: when a section is posted; 1 day before each meeting" in shown.text

    await advance_to(bot, clock, FIRST_DUE)
    assert _dms(fake_discord, world.member) == []
    taken = await fake_discord.command("remind", {"suggested": True}, user=world.member)
    assert "when a section is posted: **on**" in taken.text
    assert "before a meeting: **1 day**" in taken.text
