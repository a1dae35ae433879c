"""A schedule's calendar: every upcoming post and meeting as an iCalendar file (RFC 5545).

Each entry has a UID made of the schedule and the post's first section (or the meeting's
section), so it is the same in every file; its SEQUENCE is the number of times the
schedule's dates changed, so a calendar that imports a newer file updates the entries it
has. A meeting cancelled since is sent as cancelled, so it leaves the calendar. Times carry
the schedule's time zone, defined in the file (VTIMEZONE).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import (
    CalendarSequence,
    Meeting,
    MeetingPlan,
    Reading,
    Schedule,
    Section,
    SectionPost,
)
from bot.db.models.meetings import MeetingStatus
from bot.db.models.schedules import ScheduleStatus
from bot.links import channel_url, event_url
from bot.scheduling.clock import Clock
from bot.services.meetings import plan_info, post_channel
from bot.services.schedules import cadence_of, guild_schedule

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODID = "-//Study Circle//Reading schedule//EN"
UID_DOMAIN = "study-circle"
POST_MINUTES = 30  # a post is a moment; a calendar shows it as a short entry
MAX_ENTRIES = 400


def post_uid(schedule_id: int, position: int) -> str:
    return f"schedule-{schedule_id}-post-{position}@{UID_DOMAIN}"


def meeting_uid(schedule_id: int, section_id: int) -> str:
    return f"schedule-{schedule_id}-meeting-{section_id}@{UID_DOMAIN}"


@dataclass(frozen=True)
class _Facts:
    """What a schedule's calendar is made of, read in one session."""

    schedule: Schedule
    reading_title: str
    sections: dict[int, Section]  # by position
    sequence: int
    plan: MeetingPlan | None
    meetings: dict[int, Meeting]  # upcoming, by section id
    links: dict[int, str]  # section id → its post's link


class _Entries:
    """The calendar being written, and how many entries it holds."""

    def __init__(self, facts: _Facts, now: datetime, where: str) -> None:
        # Imported when a calendar is asked for: its 90 modules are three hundredths of a
        # second of CPU at every start of the bot otherwise.
        from icalendar import Calendar

        self.calendar: Calendar = Calendar()
        self.count = 0
        self.facts = facts
        self.now = now
        self.where = where
        self.tz = ZoneInfo(facts.schedule.tz)
        for key, value in (
            ("prodid", PRODID),
            ("version", "2.0"),
            ("calscale", "GREGORIAN"),
            ("method", "PUBLISH"),
            ("x-wr-calname", f"{facts.reading_title} (Study Circle)"),
            ("x-wr-timezone", facts.schedule.tz),
        ):
            self.calendar.add(key, value)

    def add(
        self, uid: str, summary: str, start: datetime, end: datetime, url: str, text: str
    ) -> Event:
        from icalendar import Event

        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", self.now)
        event.add("sequence", self.facts.sequence)
        event.add("summary", summary)
        event.add("dtstart", start.astimezone(self.tz))
        event.add("dtend", end.astimezone(self.tz))
        event.add("url", url)
        event.add("description", text)
        self.calendar.add_component(event)
        self.count += 1
        return event


class Calendars:
    """Calendar files of schedules."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def schedule_calendar(self, guild_id: int, schedule_id: int) -> tuple[bytes, int]:
        """The schedule's .ics file, and how many entries it holds."""
        now = self.clock.now()
        # Rows are read in the session: a read session ends in a rollback, which expires them.
        async with self.db.read() as session:
            facts = await _facts(session, guild_id, schedule_id, now)
            entries = _Entries(facts, now, channel_url(guild_id, facts.schedule.channel_id))
            _add_posts(entries)
            _add_meetings(entries, guild_id)
        entries.calendar.add_missing_timezones()
        return entries.calendar.to_ical(), entries.count


async def _facts(session: AsyncSession, guild_id: int, schedule_id: int, now: datetime) -> _Facts:
    schedule: Schedule = await guild_schedule(session, guild_id, schedule_id)
    reading = await session.get_one(Reading, schedule.reading_id)
    sections = await session.scalars(
        select(Section).where(Section.reading_id == schedule.reading_id)
    )
    sequence = await session.scalar(
        select(func.coalesce(CalendarSequence.sequence, 0)).where(
            CalendarSequence.schedule_id == schedule.id
        )
    )
    meetings = await session.scalars(
        select(Meeting).where(Meeting.schedule_id == schedule.id, Meeting.starts_at > now)
    )
    posts = await session.execute(
        select(
            SectionPost.section_id,
            SectionPost.channel_id,
            SectionPost.message_id,
            SectionPost.thread_id,
        ).where(SectionPost.schedule_id == schedule.id)
    )
    return _Facts(
        schedule=schedule,
        reading_title=reading.title,
        sections={s.position: s for s in sections},
        sequence=int(sequence or 0),
        plan=await session.get(MeetingPlan, schedule.id),
        meetings={m.section_id: m for m in meetings},
        links={
            row.section_id: channel_url(guild_id, post_channel(row, schedule.forum), row.message_id)
            for row in posts
            if row.message_id
        },
    )


def _upcoming_posts(schedule: Schedule, section_count: int) -> list[tuple[int, datetime]]:
    """(first section's position, when) of the posts ahead, at most MAX_ENTRIES."""
    if schedule.status != ScheduleStatus.ACTIVE or schedule.next_post_at is None:
        return []
    upcoming: list[tuple[int, datetime]] = []
    cadence, moment = cadence_of(schedule), schedule.next_post_at
    for position in range(schedule.next_position, section_count + 1, schedule.sections_per_post):
        if len(upcoming) >= MAX_ENTRIES:
            break
        upcoming.append((position, moment))
        moment = cadence.next_after(moment)
    return upcoming


def _add_posts(entries: _Entries) -> None:
    """Each post ahead, and the meeting the plan would hold about it (not yet announced)."""
    facts = entries.facts
    schedule, title, sections = facts.schedule, facts.reading_title, facts.sections
    rule = None if facts.plan is None else plan_info(facts.plan, schedule.tz)
    for position, moment in _upcoming_posts(schedule, len(sections)):
        section = sections.get(position)
        if section is None:
            continue
        entries.add(
            post_uid(schedule.id, position),
            f"{title}: section {position}, {section.title}",
            moment,
            moment + timedelta(minutes=POST_MINUTES),
            entries.where,
            f"Section {position} of {len(sections)} is posted in Discord: {entries.where}",
        )
        if rule is not None and section.id not in facts.meetings:
            start = rule.rule.start_for(moment)
            entries.add(
                meeting_uid(schedule.id, section.id),
                f"{title}: meeting on section {position}",
                start,
                start + timedelta(minutes=rule.minutes),
                entries.where,
                f"The circle meets about section {position}, {section.title}.",
            )


def _add_meetings(entries: _Entries, guild_id: int) -> None:
    """The meetings announced ahead (a cancelled one as cancelled, so it leaves calendars)."""
    facts = entries.facts
    for meeting in sorted(facts.meetings.values(), key=lambda m: m.starts_at):
        section = facts.sections.get(meeting.position)
        title = section.title if section else ""
        url = event_url(guild_id, meeting.event_id) if meeting.event_id else entries.where
        lines = [f"The circle meets about section {meeting.position}, {title}."]
        if meeting.section_id in facts.links:
            lines.append(f"Read it: {facts.links[meeting.section_id]}")
        if meeting.event_id:
            lines.append(f"Event: {url}")
        event = entries.add(
            meeting_uid(facts.schedule.id, meeting.section_id),
            f"{facts.reading_title}: meeting on section {meeting.position}",
            meeting.starts_at,
            meeting.ends_at,
            url,
            "\n".join(lines),
        )
        if meeting.status == MeetingStatus.CANCELLED:
            event.add("status", "CANCELLED")
        elif facts.plan is not None and facts.plan.place:
            event.add("location", facts.plan.place)
