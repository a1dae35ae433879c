"""`/schedule calendar` through the fake Discord: an .ics file any calendar can import, with
every upcoming post and meeting, stable UIDs, a SEQUENCE that grows when dates change, the
schedule's time zone, and links back to Discord."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event, vInt

from bot.app import StudyCircleBot
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, ROME, advance_to
from tests.exts.meetings.helpers import create_with_meeting
from tests.fakediscord import FakeDiscord


async def _calendar(fake: FakeDiscord) -> Calendar:
    result = await fake.command("schedule calendar", user=fake.world.member)
    assert result.ephemeral
    assert result.answer is not None
    [file] = result.answer.attachments
    assert file.filename == "study-circle-schedule-1.ics"
    return Calendar.from_ical(file.data)


def _events(calendar: Calendar) -> dict[str, Event]:
    return {str(e["UID"]): e for e in calendar.events}


def _start(event: Event) -> datetime:
    """When `event` starts: a date and a time, not a whole day."""
    start = event.start
    assert isinstance(start, datetime), start
    return start


def _sequence(event: Event) -> int:
    """`event`'s SEQUENCE, which grows each time it changes."""
    sequence = event["SEQUENCE"]
    assert isinstance(sequence, vInt), sequence
    return int(sequence)


async def test_the_calendar_holds_every_upcoming_post_and_meeting_in_rome_time(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_with_meeting(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    calendar = await _calendar(fake_discord)

    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Rome"
    events = _events(calendar)
    posts = sorted(uid for uid in events if "-post-" in uid)
    meetings = sorted(uid for uid in events if "-meeting-" in uid)
    # Sections 2 to 10 are still to come, each with its meeting; section 1's meeting too.
    assert len(posts) == 9
    assert len(meetings) == 10
    second = events["schedule-1-post-2@study-circle"]
    assert _start(second) == datetime(2027, 3, 8, 18, 0, tzinfo=ROME)
    assert second["DTSTART"].params["TZID"] == "Europe/Rome"
    # After the spring change the post stays at 18:00 in Rome.
    fifth = _start(events["schedule-1-post-5@study-circle"])
    assert (fifth.hour, fifth.minute, fifth.tzname()) == (18, 0, "CEST")

    [event] = [
        e for e in fake_discord.scheduled_events(world.guild) if e.name.startswith("Section 1")
    ]
    first_meeting = next(
        e for uid, e in events.items() if "-meeting-" in uid and f"/{event.id}" in str(e["URL"])
    )
    assert "Read it: https://discord.com/channels/" in str(first_meeting["DESCRIPTION"])
    assert str(first_meeting["LOCATION"]) == "Café Roma, Via Po 3"


async def test_importing_again_updates_the_same_entries(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    await create_with_meeting(fake_discord)
    await bot.scheduler.wait_idle()
    before = _events(await _calendar(fake_discord))
    again = _events(await _calendar(fake_discord))
    assert before.keys() == again.keys()
    assert {u: _sequence(e) for u, e in before.items()} == {
        u: _sequence(e) for u, e in again.items()
    }

    await fake_discord.command("schedule skip", user=fake_discord.world.facilitator)
    await bot.scheduler.wait_idle()
    after = _events(await _calendar(fake_discord))
    assert before.keys() == after.keys()
    uid = "schedule-1-post-1@study-circle"
    assert _sequence(after[uid]) > _sequence(before[uid])
    moved = _start(after[uid]) - _start(before[uid])
    assert moved.days == 7
