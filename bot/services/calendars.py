"""A schedule's calendar: every upcoming post and meeting as an iCalendar file (RFC 5545).

Each entry has a UID made of the schedule and the post's first section (or the meeting's
section), so it is the same in every file; its SEQUENCE is the number of times the
schedule's dates changed, so a calendar that imports a newer file updates the entries it
has. A meeting cancelled since is sent as cancelled, so it leaves the calendar. Times carry
the schedule's time zone, defined in the file (VTIMEZONE).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import func, select

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
from bot.scheduling.clock import Clock
from bot.services.meetings import event_url, plan_view, post_url
from bot.services.schedules import cadence_of, guild_schedule

PRODID = "-//Study Circle//Reading schedule//EN"
UID_DOMAIN = "study-circle"
POST_MINUTES = 30  # a post is a moment; a calendar shows it as a short entry
MAX_ENTRIES = 400


def post_uid(schedule_id: int, position: int) -> str:
    return f"schedule-{schedule_id}-post-{position}@{UID_DOMAIN}"


def meeting_uid(schedule_id: int, section_id: int) -> str:
    return f"schedule-{schedule_id}-meeting-{section_id}@{UID_DOMAIN}"


def channel_url(guild_id: int, channel_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}"


async def schedule_calendar(
    db: Database, clock: Clock, guild_id: int, schedule_id: int
) -> tuple[bytes, int]:
    """The schedule's .ics file, and how many entries it holds."""
    now = clock.now()
    async with db.read() as session:
        schedule: Schedule = await guild_schedule(session, guild_id, schedule_id)
        reading = await session.get_one(Reading, schedule.reading_id)
        sections = {
            s.position: s
            for s in await session.scalars(
                select(Section).where(Section.reading_id == schedule.reading_id)
            )
        }
        sequence = await session.scalar(
            select(func.coalesce(CalendarSequence.sequence, 0)).where(
                CalendarSequence.schedule_id == schedule.id
            )
        )
        plan = await session.get(MeetingPlan, schedule.id)
        meetings = {
            m.section_id: m
            for m in await session.scalars(
                select(Meeting).where(Meeting.schedule_id == schedule.id, Meeting.starts_at > now)
            )
        }
        posts = await session.execute(
            select(
                SectionPost.section_id,
                SectionPost.channel_id,
                SectionPost.message_id,
                SectionPost.thread_id,
            ).where(SectionPost.schedule_id == schedule.id)
        )
        links = {
            row.section_id: post_url(
                guild_id, int(row.thread_id if schedule.forum else row.channel_id), row.message_id
            )
            for row in posts
            if row.message_id
        }
        tz = ZoneInfo(schedule.tz)
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", f"{reading.title} (Study Circle)")
        calendar.add("x-wr-timezone", schedule.tz)
        seq = int(sequence or 0)
        where = channel_url(guild_id, schedule.channel_id)
        entries = 0

        def entry(
            uid: str, summary: str, start: datetime, end: datetime, url: str, text: str
        ) -> Event:
            event = Event()
            event.add("uid", uid)
            event.add("dtstamp", now)
            event.add("sequence", seq)
            event.add("summary", summary)
            event.add("dtstart", start.astimezone(tz))
            event.add("dtend", end.astimezone(tz))
            event.add("url", url)
            event.add("description", text)
            return event

        rule = None if plan is None else plan_view(plan, schedule.tz)
        upcoming: list[tuple[int, datetime]] = []
        if schedule.status == "active" and schedule.next_post_at is not None:
            cadence, moment = cadence_of(schedule), schedule.next_post_at
            for position in range(
                schedule.next_position, len(sections) + 1, schedule.sections_per_post
            ):
                if len(upcoming) >= MAX_ENTRIES:
                    break
                upcoming.append((position, moment))
                moment = cadence.next_after(moment)
        for position, moment in upcoming:
            section = sections.get(position)
            if section is None:
                continue
            calendar.add_component(
                entry(
                    post_uid(schedule.id, position),
                    f"{reading.title}: section {position}, {section.title}",
                    moment,
                    moment + timedelta(minutes=POST_MINUTES),
                    where,
                    f"Section {position} of {len(sections)} is posted in Discord: {where}",
                )
            )
            entries += 1
            if rule is not None and section.id not in meetings:
                start = rule.rule.start_for(moment)
                calendar.add_component(
                    entry(
                        meeting_uid(schedule.id, section.id),
                        f"{reading.title}: meeting on section {position}",
                        start,
                        start + timedelta(minutes=rule.minutes),
                        where,
                        f"The circle meets about section {position}, {section.title}.",
                    )
                )
                entries += 1
        for meeting in sorted(meetings.values(), key=lambda m: m.starts_at):
            section = sections.get(meeting.position)
            title = section.title if section else ""
            url = event_url(guild_id, meeting.event_id) if meeting.event_id else where
            lines = [f"The circle meets about section {meeting.position}, {title}."]
            if meeting.section_id in links:
                lines.append(f"Read it: {links[meeting.section_id]}")
            if meeting.event_id:
                lines.append(f"Event: {url}")
            event = entry(
                meeting_uid(schedule.id, meeting.section_id),
                f"{reading.title}: meeting on section {meeting.position}",
                meeting.starts_at,
                meeting.ends_at,
                url,
                "\n".join(lines),
            )
            if meeting.status == "cancelled":
                event.add("status", "CANCELLED")
            elif plan is not None and plan.place:
                event.add("location", plan.place)
            calendar.add_component(event)
            entries += 1
        calendar.add_missing_timezones()
        return calendar.to_ical(), entries
