"""Discussion meetings: one per post, each announced by a Discord Scheduled Event.

A schedule with a meeting plan has a meeting for its next post (once the date is known) and
for each post whose meeting is still ahead. Whenever the schedule changes (a post, a skip, a
pause, a resume, a new plan) a `meeting.sync` job compares the meetings the schedule calls
for with the `meetings` rows and brings Discord in line: it creates, moves, relinks or
cancels events. The job is durable and idempotent, so a restart or a crash only delays it:

- a meeting row is saved "creating" before its event is asked for; a sync that finds a row
  still "creating" first looks among the guild's events for its reference (in the event's
  description) and adopts the event an earlier, interrupted run made;
- one row per (schedule, section), so there is never a second meeting for a post, and
  `generation` tells the event of a resumed meeting from the one cancelled at the pause.

Deleting a schedule deletes its rows, so it first queues a `meeting.cancel` job holding the
events to cancel.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import bindparam, exists, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Coalescer, Database
from bot.db.models import (
    CalendarSequence,
    Meeting,
    MeetingPlan,
    Prompt,
    Reading,
    Schedule,
    Section,
    SectionPost,
)
from bot.db.models.meetings import MeetingStatus
from bot.db.models.schedules import PostStatus, ScheduleStatus
from bot.errors import UserError
from bot.links import channel_url
from bot.locks import KeyedLocks
from bot.scheduler import JobContext, Scheduler
from bot.scheduling.cadence import CadenceError
from bot.scheduling.clock import Clock
from bot.scheduling.meetings import (
    MAX_DAYS_AFTER,
    MAX_MINUTES,
    MIN_MINUTES,
    MeetingRule,
    parse_rule,
    rule_fields,
    rule_from_fields,
)
from bot.services.features import Kept
from bot.services.member_rows import MemberRows, count_rows, forget_rows
from bot.services.schedules import ChangeKind, ScheduleChange, guild_schedule

if TYPE_CHECKING:
    from bot.services.features import MeetingWatcher

log = logging.getLogger(__name__)

SYNC_JOB = "meeting.sync"
CANCEL_JOB = "meeting.cancel"
_SYNC_QUEUED = "meetings.sync_queued"  # a session.info key
# Posts older than this cannot have a meeting still ahead (the latest is 13 days after).
LOOKBACK = timedelta(days=MAX_DAYS_AFTER + 2)
# What /forget-me takes the member's name off (`MemberData`).
PLANS = Kept("plan for meetings", "plans for meetings", anonymised=True)


# The meetings still ahead of :schedules, soonest first (built once: it runs on every
# `/schedule status`).
_UPCOMING = (
    select(Meeting)
    .where(
        Meeting.schedule_id.in_(bindparam("schedules", expanding=True)),
        Meeting.status != MeetingStatus.CANCELLED,
        Meeting.ends_at > bindparam("now"),
    )
    .order_by(Meeting.starts_at, Meeting.id)
)


@dataclass(frozen=True)
class Where:
    """A meeting's place: a voice or stage channel, or a place or link outside Discord."""

    channel_id: int | None = None
    stage: bool = False
    place: str | None = None


@dataclass(frozen=True)
class EventSpec:
    """Everything a meeting's event says. The Discord side writes its text from these."""

    guild_id: int
    schedule_id: int
    reference: str
    reading_title: str
    position: int
    total_sections: int
    section_title: str
    opening_prompt: str | None
    starts_at: datetime
    ends_at: datetime
    where: Where
    post_url: str | None
    forum: bool = False

    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()


@dataclass(frozen=True)
class PostLink:
    """The section post to link a meeting's event in."""

    guild_id: int
    channel_id: int
    message_id: int
    event_id: int
    starts_at: datetime


class EventGateway(Protocol):
    """The Discord side of meetings."""

    async def create(self, spec: EventSpec) -> int:
        """Create the event; its id."""
        ...

    async def find(self, guild_id: int, reference: str) -> int | None:
        """The live event this bot made with `reference` in its description, if any."""
        ...

    async def update(self, event_id: int, spec: EventSpec) -> bool:
        """Make the event say `spec`; False when the event is gone (deleted in Discord)."""
        ...

    async def cancel(self, guild_id: int, event_id: int) -> None:
        """Cancel the event; an event already gone or over is left as it is."""
        ...

    async def link_post(self, link: PostLink) -> None:
        """Show the meeting on its section post (idempotent)."""
        ...

    async def interested(self, guild_id: int, event_id: int) -> int | None:
        """How many members are interested in the event; None when it is gone."""
        ...


@dataclass(frozen=True)
class PlanInfo:
    rule: MeetingRule
    minutes: int
    where: Where

    def describe(self) -> str:
        return f"{self.rule.describe()}, {self.minutes} minutes"


@dataclass(frozen=True)
class MeetingInfo:
    """A meeting as facilitators and calendars see it."""

    id: int
    schedule_id: int
    section_id: int
    position: int
    starts_at: datetime
    ends_at: datetime
    status: MeetingStatus
    event_id: int | None
    guild_id: int


def plan_info(plan: MeetingPlan, tz: str) -> PlanInfo:
    rule = rule_from_fields(plan.rule_kind, plan.at_time, tz, plan.days_after, plan.weekday)
    return PlanInfo(rule, plan.minutes, Where(plan.channel_id, plan.stage, plan.place))


def _new_meeting(schedule: Schedule, section_id: int, spec: EventSpec) -> Meeting:
    """A meeting row for `spec`, to be created in Discord."""
    return Meeting(
        schedule_id=schedule.id,
        section_id=section_id,
        guild_id=schedule.guild_id,
        position=spec.position,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        status=MeetingStatus.CREATING,
        generation=1,
        post_linked=False,
    )


def _follow(row: Meeting, spec: EventSpec) -> None:
    """Move a meeting row to `spec`; a cancelled one comes back as a new event."""
    if row.status == MeetingStatus.CANCELLED:
        row.generation += 1
        row.status, row.event_id, row.fingerprint = MeetingStatus.CREATING, None, None
        row.post_linked = False
    if row.starts_at != spec.starts_at and row.status != MeetingStatus.CREATING:
        row.post_linked = False  # the post shows the start time
    row.starts_at, row.ends_at, row.position = spec.starts_at, spec.ends_at, spec.position


def _reference(meeting: Meeting) -> str:
    return f"ref {meeting.id}.{meeting.generation}"


class PostedPlace(Protocol):
    """Where a section post went: a `SectionPost`, or a row of its columns."""

    @property
    def channel_id(self) -> int | None: ...

    @property
    def thread_id(self) -> int | None: ...


def post_channel(post: PostedPlace, forum: bool) -> int:
    """Where a section post's message is: a forum post's first message lives in its thread,
    an announcement in the channel."""
    return int((post.thread_id if forum else post.channel_id) or 0)


# Run at every post: Core statements built once (see bot/services/post_statements.py).
_BUMP = (
    update(CalendarSequence)
    .where(CalendarSequence.schedule_id == bindparam("schedule"))
    .values(sequence=CalendarSequence.sequence + 1)
)
_FIRST_BUMP = insert(CalendarSequence).values(schedule_id=bindparam("schedule"), sequence=1)
_HAS_MEETINGS = select(
    or_(
        exists().where(MeetingPlan.schedule_id == bindparam("schedule")),
        exists().where(Meeting.schedule_id == bindparam("schedule")),
    )
)
_CHANGED = "meetings.changed"  # a session.info key


async def bump_calendar(session: AsyncSession, schedule_id: int) -> None:
    """One more change to the schedule's dates: its calendar entries get a newer SEQUENCE."""
    conn = await session.connection()
    bumped = await conn.execute(_BUMP, {"schedule": schedule_id})
    if not bumped.rowcount:
        await conn.execute(_FIRST_BUMP, {"schedule": schedule_id})


class Meetings:
    """Meeting plans, and the jobs that keep each meeting's event true."""

    def __init__(self, db: Database, *, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock
        self.gateway: EventGateway | None = None
        # Told each meeting that is announced (or still is) after a sync: reminders queue theirs
        # (set by the composition root, `bot.services.root`).
        self.watchers: Sequence[MeetingWatcher] = ()
        self._locks: KeyedLocks[int] = KeyedLocks()
        self._upcoming: Coalescer[tuple[int, int], list[MeetingInfo]] = Coalescer(
            self._upcoming_together
        )

    # -- plans ------------------------------------------------------------------------------

    async def set_plan(
        self,
        guild_id: int,
        schedule_id: int,
        user_id: int,
        when: str,
        where: Where,
        minutes: int = 60,
    ) -> PlanInfo:
        """Save when and where the circle meets, and queue the events' update."""
        if not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise UserError(f"A meeting lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.")
        if where.channel_id is None and not (where.place or "").strip():
            raise UserError("Say where the circle meets: a voice or stage channel, or a place.")
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            try:
                rule = parse_rule(when, schedule.tz)
            except CadenceError as exc:
                raise UserError(exc.message, quoted=exc.quoted) from None
            kind, at, days_after, weekday = rule_fields(rule)
            plan = await session.get(MeetingPlan, schedule.id)
            if plan is None:
                plan = MeetingPlan(schedule_id=schedule.id)
                session.add(plan)
            plan.rule_kind, plan.at_time, plan.days_after, plan.weekday = (
                kind,
                at,
                days_after,
                weekday,
            )
            plan.minutes = minutes
            plan.channel_id = where.channel_id
            plan.stage = where.stage
            plan.place = None if where.channel_id else (where.place or "").strip()[:100]
            plan.updated_by = user_id
            plan.updated_at = self.clock.now()
            await bump_calendar(session, schedule.id)
            await self.queue_sync(session, schedule.id, guild_id)
            return plan_info(plan, schedule.tz)

    async def remove_plan(self, guild_id: int, schedule_id: int) -> bool:
        """No more meetings; the events of those ahead are cancelled. False if there was none."""
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            plan = await session.get(MeetingPlan, schedule.id)
            if plan is None:
                return False
            await session.delete(plan)
            await bump_calendar(session, schedule.id)
            await self.queue_sync(session, schedule.id, guild_id)
            return True

    def _member_rows(self, guild_id: int, user_id: int) -> list[MemberRows]:
        """What the feature keeps about the member (`MemberData`): the meeting plans of the
        guild's circles they changed last, which /forget-me makes anonymous."""
        in_guild = select(Schedule.id).where(Schedule.guild_id == guild_id)
        return [
            MemberRows(
                PLANS,
                MeetingPlan,
                MeetingPlan.schedule_id.in_(in_guild),
                MeetingPlan.updated_by == user_id,
                anonymise={"updated_by": None},
            )
        ]

    async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await count_rows(self.db, self._member_rows(guild_id, user_id))

    async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await forget_rows(self.db, self._member_rows(guild_id, user_id))

    async def plan(self, guild_id: int, schedule_id: int) -> PlanInfo | None:
        """The guild's schedule's meeting plan, or None when it has none; another guild's
        schedule is "not found"."""
        async with self.db.read() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            plan = await session.get(MeetingPlan, schedule.id)
            return None if plan is None else plan_info(plan, schedule.tz)

    async def upcoming(self, guild_id: int, schedule_id: int) -> list[MeetingInfo]:
        """The schedule's meetings still ahead, soonest first. Asked together (a server's
        `/schedule status` after a post), they are read together: one session a batch, each
        schedule read once and the meetings of all of them in one query."""
        return await self._upcoming.submit((guild_id, schedule_id))

    async def _upcoming_together(
        self, asked: list[tuple[int, int]]
    ) -> list[list[MeetingInfo] | Exception]:
        found: dict[tuple[int, int], int | Exception] = {}
        async with self.db.read() as session:
            for guild_id, schedule_id in dict.fromkeys(asked):
                try:
                    found[guild_id, schedule_id] = (
                        await guild_schedule(session, guild_id, schedule_id)
                    ).id
                except UserError as exc:
                    found[guild_id, schedule_id] = exc
            ids = {entry for entry in found.values() if isinstance(entry, int)}
            ahead: defaultdict[int, list[MeetingInfo]] = defaultdict(list)
            if ids:
                rows = await session.scalars(_UPCOMING, {"schedules": ids, "now": self.clock.now()})
                for row in rows:
                    ahead[row.schedule_id].append(_info(row))
        results: list[list[MeetingInfo] | Exception] = []
        for key in asked:
            entry = found[key]
            results.append(entry if isinstance(entry, Exception) else list(ahead[entry]))
        return results

    async def for_section(self, schedule_id: int, section_id: int) -> MeetingInfo | None:
        """The live meeting about a section, if it has one."""
        async with self.db.read() as session:
            row = await session.scalar(
                select(Meeting).where(
                    Meeting.schedule_id == schedule_id,
                    Meeting.section_id == section_id,
                    Meeting.status != MeetingStatus.CANCELLED,
                )
            )
            return None if row is None else _info(row)

    # -- following the schedule -------------------------------------------------------------

    async def on_schedule_change(self, session: AsyncSession, change: ScheduleChange) -> None:
        """The `Schedules` hook: queue a sync, or the cancelling of a deleted schedule's events."""
        if change.kind == ChangeKind.DELETING:
            await self._queue_cancel_all(session, change.schedule_id, change.guild_id)
            return
        seen: set[int] = session.info.setdefault(_CHANGED, set())
        if change.schedule_id in seen:
            return  # a post tells twice (posted, next date queued): once is enough
        seen.add(change.schedule_id)
        await bump_calendar(session, change.schedule_id)
        conn = await session.connection()
        if await conn.scalar(_HAS_MEETINGS, {"schedule": change.schedule_id}):
            await self.queue_sync(session, change.schedule_id, change.guild_id)

    async def queue_sync(self, session: AsyncSession, schedule_id: int, guild_id: int) -> None:
        """Queue one sync of the schedule's meetings, to run once this transaction commits."""
        queued: set[int] = session.info.setdefault(_SYNC_QUEUED, set())
        if schedule_id in queued:
            return
        queued.add(schedule_id)
        await self.scheduler.enqueue(
            SYNC_JOB,
            {"schedule_id": schedule_id},
            self.clock.now(),
            guild_id=guild_id,
            session=session,
        )

    async def _queue_cancel_all(
        self, session: AsyncSession, schedule_id: int, guild_id: int
    ) -> None:
        rows = list(
            await session.scalars(
                select(Meeting).where(
                    Meeting.schedule_id == schedule_id,
                    Meeting.status != MeetingStatus.CANCELLED,
                    Meeting.starts_at > self.clock.now(),
                )
            )
        )
        if not rows:
            return
        await self.scheduler.enqueue(
            CANCEL_JOB,
            {
                "guild_id": guild_id,
                "events": [r.event_id for r in rows if r.event_id is not None],
                "references": [_reference(r) for r in rows if r.event_id is None],
            },
            self.clock.now(),
            guild_id=guild_id,
            session=session,
        )

    # -- jobs -------------------------------------------------------------------------------

    async def handle_sync(self, job: JobContext) -> None:
        schedule_id = int(job.payload["schedule_id"])
        async with self._locks[schedule_id]:
            await self.sync(schedule_id)

    async def handle_cancel(self, job: JobContext) -> None:
        gateway = self._gateway()
        guild_id = int(job.payload["guild_id"])
        for event_id in job.payload.get("events", []):
            await gateway.cancel(guild_id, int(event_id))
        for reference in job.payload.get("references", []):
            found = await gateway.find(guild_id, str(reference))
            if found is not None:
                await gateway.cancel(guild_id, found)

    def _gateway(self) -> EventGateway:
        if self.gateway is None:
            raise RuntimeError("meetings have no Discord side yet")
        return self.gateway

    async def sync(self, schedule_id: int) -> None:
        """Bring the schedule's meetings and their events in line with its dates."""
        gateway = self._gateway()
        now = self.clock.now()
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            if schedule is None:
                return
            wanted = await self._wanted(session, schedule, now)
            rows = {
                row.section_id: row
                for row in await session.scalars(
                    select(Meeting).where(Meeting.schedule_id == schedule_id)
                )
            }
            interrupted = {row.id for row in rows.values() if row.status == MeetingStatus.CREATING}
            to_cancel = [
                row
                for section_id, row in rows.items()
                if section_id not in wanted
                and row.status != MeetingStatus.CANCELLED
                and row.starts_at > now
            ]
            to_keep: list[tuple[Meeting, EventSpec]] = []
            for section_id, spec in wanted.items():
                row = rows.get(section_id)
                if row is None:
                    row = _new_meeting(schedule, section_id, spec)
                    session.add(row)
                else:
                    _follow(row, spec)
                to_keep.append((row, spec))
            await session.flush()
            work = [
                (
                    row.id,
                    row.status,
                    row.event_id,
                    row.fingerprint,
                    row.post_linked,
                    replace(spec, reference=_reference(row)),
                )
                for row, spec in to_keep
            ]
            cancels = [(row.id, row.event_id, _reference(row)) for row in to_cancel]
            links = {
                row.id: await self._post_of(session, schedule_id, row.section_id)
                for row, _ in to_keep
            }
        for meeting_id, event_id, reference in cancels:
            if event_id is None:
                event_id = await gateway.find(schedule.guild_id, reference)
            if event_id is not None:
                await gateway.cancel(schedule.guild_id, event_id)
            await self._set(meeting_id, status=MeetingStatus.CANCELLED)
        for meeting_id, status, event_id, fingerprint, linked, spec in work:
            await self._keep(
                gateway,
                meeting_id,
                status,
                event_id,
                fingerprint,
                linked,
                spec,
                links[meeting_id],
                meeting_id in interrupted,
            )

    async def _keep(
        self,
        gateway: EventGateway,
        meeting_id: int,
        status: str,
        event_id: int | None,
        fingerprint: str | None,
        linked: bool,
        spec: EventSpec,
        post: SectionPost | None,
        interrupted: bool,
    ) -> None:
        print_ = spec.fingerprint()
        if status == MeetingStatus.CREATING:
            found = await gateway.find(spec.guild_id, spec.reference) if interrupted else None
            if found is not None:
                log.info("Meeting %s already had its event %s", meeting_id, found)
                event_id, fingerprint = found, None
            else:
                event_id, fingerprint = await gateway.create(spec), print_
            await self._set(
                meeting_id,
                status=MeetingStatus.SCHEDULED,
                event_id=event_id,
                fingerprint=fingerprint,
            )
        assert event_id is not None
        if fingerprint != print_:
            if not await gateway.update(event_id, spec):
                log.info("The event of meeting %s was deleted in Discord", meeting_id)
                await self._set(meeting_id, status=MeetingStatus.CANCELLED)
                return
            await self._set(meeting_id, fingerprint=print_)
        if post is not None and not linked and post.message_id is not None:
            await gateway.link_post(
                PostLink(
                    spec.guild_id,
                    post_channel(post, spec.forum),
                    post.message_id,
                    event_id,
                    spec.starts_at,
                )
            )
            await self._set(meeting_id, post_linked=True)
        for watcher in self.watchers:
            await watcher.on_meeting_set(meeting_id)

    async def _set(self, meeting_id: int, **values: Any) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(Meeting)
                .where(Meeting.id == meeting_id)
                .values(updated_at=self.clock.now(), **values)
            )

    @staticmethod
    async def _post_of(
        session: AsyncSession, schedule_id: int, section_id: int
    ) -> SectionPost | None:
        return await session.scalar(
            select(SectionPost).where(
                SectionPost.schedule_id == schedule_id,
                SectionPost.section_id == section_id,
                SectionPost.status == PostStatus.POSTED,
            )
        )

    async def _wanted(
        self, session: AsyncSession, schedule: Schedule, now: datetime
    ) -> dict[int, EventSpec]:
        """The meetings the schedule calls for now, by section: those of its posts whose
        meeting is ahead, and its next post's while it runs."""
        plan = await session.get(MeetingPlan, schedule.id)
        if plan is None or schedule.status not in (ScheduleStatus.ACTIVE, ScheduleStatus.FINISHED):
            return {}
        planned = plan_info(plan, schedule.tz)
        reading = await session.get(Reading, schedule.reading_id)
        total = await session.scalar(
            select(Section.position)
            .where(Section.reading_id == schedule.reading_id)
            .order_by(Section.position.desc())
            .limit(1)
        )
        posts = await session.execute(
            select(SectionPost, Section)
            .join(Section, Section.id == SectionPost.section_id)
            .where(
                SectionPost.schedule_id == schedule.id,
                SectionPost.status == PostStatus.POSTED,
                SectionPost.due_at > now - LOOKBACK,
            )
            .order_by(SectionPost.position)
        )
        # A post of several sections has one meeting, about its first section.
        firsts: dict[datetime, tuple[SectionPost, Section]] = {}
        for posted, posted_section in posts.all():
            firsts.setdefault(posted.due_at, (posted, posted_section))
        found: list[tuple[Section, datetime, SectionPost | None]] = [
            (first_section, first.due_at, first) for first, first_section in firsts.values()
        ]
        if schedule.status == ScheduleStatus.ACTIVE and schedule.next_post_at is not None:
            upcoming = await session.scalar(
                select(Section).where(
                    Section.reading_id == schedule.reading_id,
                    Section.position == schedule.next_position,
                )
            )
            if upcoming is not None:
                found.append((upcoming, schedule.next_post_at, None))
        wanted: dict[int, EventSpec] = {}
        for section, posted_at, post in found:
            starts = planned.rule.start_for(posted_at)
            if starts <= now:
                continue
            prompt = await session.scalar(
                select(Prompt.text)
                .where(Prompt.section_id == section.id, Prompt.hidden.is_(False))
                .order_by(Prompt.position)
                .limit(1)
            )
            wanted[section.id] = EventSpec(
                guild_id=schedule.guild_id,
                schedule_id=schedule.id,
                reference="",
                reading_title=reading.title if reading else "",
                position=section.position,
                total_sections=int(total or 0),
                section_title=section.title,
                opening_prompt=prompt,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=planned.minutes),
                where=planned.where,
                forum=schedule.forum,
                post_url=(
                    channel_url(
                        schedule.guild_id, post_channel(post, schedule.forum), post.message_id
                    )
                    if post is not None and post.message_id
                    else None
                ),
            )
        return wanted


def _info(row: Meeting) -> MeetingInfo:
    return MeetingInfo(
        id=row.id,
        schedule_id=row.schedule_id,
        section_id=row.section_id,
        position=row.position,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=MeetingStatus(row.status),
        event_id=row.event_id,
        guild_id=row.guild_id,
    )
