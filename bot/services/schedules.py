"""Reading schedules: create, inspect, pause, resume, skip, post now, delete.

A schedule posts its reading's sections in order, `sections_per_post` at a time, at the
occurrences of its cadence. One pending job per schedule carries the next post; its dedupe
key names the schedule and the due time, so a stale job (after skip or pause) does nothing.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Coalescer, Database
from bot.db.models import Membership, Reading, Schedule, SectionPost
from bot.db.models.schedules import MissedPolicy, PostStatus, ScheduleStatus
from bot.errors import NotFound, UserError
from bot.scheduler import Scheduler
from bot.scheduling.cadence import Cadence, CadenceError, CadenceKind, local_to_utc, zone
from bot.scheduling.clock import Clock
from bot.services.features import Kept
from bot.services.member_rows import MemberRows, count_rows, forget_rows
from bot.services.readings import ensure_guild, guild_reading, section_count

if TYPE_CHECKING:
    from bot.services.features import ScheduleWatcher

POST_JOB = "schedule.post"
POST_NOW_JOB = "schedule.post_now"
MISSED_POLICIES = frozenset(MissedPolicy)
MAX_SECTIONS_PER_POST = 5
MAX_START_AHEAD = timedelta(days=731)
# What /forget-me takes the member's name off (`MemberData`).
SCHEDULES = Kept("schedule", "schedules", anonymised=True)


@dataclass(frozen=True)
class ScheduleRequest:
    """What a facilitator asks for in /schedule create."""

    reading_id: int
    channel_id: int
    forum: bool
    first_day: date  # local, in `tz`
    at: time  # local wall-clock time of every post
    tz: str
    cadence: CadenceKind
    every_days: int = 1
    weekdays: frozenset[int] = frozenset()
    sections_per_post: int = 1
    ping_role: bool = False
    missed_policy: MissedPolicy = MissedPolicy.ALL


@dataclass(frozen=True)
class ScheduleInfo:
    id: int
    guild_id: int
    reading_id: int
    reading_title: str
    channel_id: int
    forum: bool
    status: ScheduleStatus
    cadence: str
    next_post_at: datetime | None
    next_position: int
    total_sections: int
    posted_sections: int
    sections_per_post: int
    ping_role: bool
    role_id: int | None
    missed_policy: MissedPolicy
    members: int
    # None once its creator used /forget-me.
    created_by: int | None

    @property
    def sections_left(self) -> int:
        return self.total_sections - self.posted_sections


class ChangeKind(StrEnum):
    """What happened to a schedule: its dates changed, it posted, or it is being deleted."""

    CHANGED = "changed"
    POSTED = "posted"
    DELETING = "deleting"


@dataclass(frozen=True)
class ScheduleChange:
    """What happened to a schedule, told to the features that follow its dates."""

    schedule_id: int
    guild_id: int
    kind: ChangeKind
    posted_sections: tuple[int, ...] = ()


class CadenceFields(Protocol):
    """What a cadence is made of: a schedule, or a row of one."""

    @property
    def cadence_kind(self) -> str: ...
    @property
    def at_time(self) -> time: ...
    @property
    def tz(self) -> str: ...
    @property
    def anchor(self) -> date: ...
    @property
    def every_days(self) -> int: ...
    @property
    def weekdays(self) -> str: ...


def cadence_of(schedule: CadenceFields) -> Cadence:
    """The schedule's cadence as a pure value."""
    return _cadence(
        schedule.cadence_kind,
        schedule.at_time,
        schedule.tz,
        schedule.anchor,
        schedule.every_days,
        schedule.weekdays,
    )


# Every post works out its schedule's next date; the same few cadences come back each time.
@functools.lru_cache(maxsize=4096)
def _cadence(
    kind: str, at_time: time, tz: str, anchor: date, every_days: int, weekdays: str
) -> Cadence:
    return Cadence(
        kind=CadenceKind(kind),
        at=at_time,
        tz_name=tz,
        anchor=anchor,
        every_days=every_days,
        weekdays=frozenset(int(d) for d in weekdays.split(",") if d),
    )


def _next(cadence: Cadence, moment: datetime) -> datetime:
    """The cadence's next time after `moment`; one a calendar cannot hold is the user's to fix."""
    try:
        return cadence.next_after(moment)
    except CadenceError as exc:
        raise UserError(exc.message, quoted=exc.quoted) from None


def post_dedupe_key(schedule_id: int, due_at: datetime) -> str:
    return f"schedule:{schedule_id}:post:{due_at.isoformat()}"


async def info_of(session: AsyncSession, schedule: Schedule) -> ScheduleInfo:
    """The schedule with its reading's title and its counts, in one query."""
    total = section_count(schedule.reading_id).label("total")
    posted = (
        select(func.count())
        .select_from(SectionPost)
        .where(SectionPost.schedule_id == schedule.id, SectionPost.status == PostStatus.POSTED)
        .scalar_subquery()
        .label("posted")
    )
    members = (
        select(func.count())
        .select_from(Membership)
        .where(Membership.schedule_id == schedule.id)
        .scalar_subquery()
        .label("members")
    )
    row = (
        await session.execute(
            select(Reading.title, total, posted, members).where(Reading.id == schedule.reading_id)
        )
    ).one()
    return ScheduleInfo(
        id=schedule.id,
        guild_id=schedule.guild_id,
        reading_id=schedule.reading_id,
        reading_title=row.title,
        channel_id=schedule.channel_id,
        forum=schedule.forum,
        status=ScheduleStatus(schedule.status),
        cadence=cadence_of(schedule).describe(),
        next_post_at=schedule.next_post_at,
        next_position=schedule.next_position,
        total_sections=int(row.total or 0),
        posted_sections=int(row.posted or 0),
        sections_per_post=schedule.sections_per_post,
        ping_role=schedule.ping_role,
        role_id=schedule.role_id,
        missed_policy=MissedPolicy(schedule.missed_policy),
        members=int(row.members or 0),
        created_by=schedule.created_by,
    )


async def guild_schedule(session: AsyncSession, guild_id: int, schedule_id: int) -> Schedule:
    """The guild's schedule `schedule_id`; another guild's id is "not found"."""
    schedule = await session.scalar(
        select(Schedule).where(
            Schedule.id == schedule_id,
            Schedule.guild_id == guild_id,
            Schedule.status != ScheduleStatus.DELETED,
        )
    )
    if schedule is None:
        raise NotFound(f"There is no schedule #{schedule_id} in this server.")
    return schedule


# The answer when a command needs a schedule and the server has none, whichever command
# (members ask too, so it says who can make one).
NO_SCHEDULE = (
    "This server has no reading schedule yet: a facilitator can create one with `/schedule create`."
)
# How to say which schedule is meant, as the command asking can take it.
IN_THE_OPTION = "choose one in the `schedule` option"
BY_SECTION = "give the section with its schedule, as `schedule:section` (`2:3`)"


def several_schedules(live: Sequence[Schedule], how: str) -> UserError:
    """The answer when a guild's schedules are several and none was given; `how` says how the
    asking command names one."""
    numbers = ", ".join(f"#{s.id}" for s in live)
    return UserError(f"This server has several schedules ({numbers}): {how}.")


# Built once: `pick_schedules` runs on every /done and /progress of a burst.
_LIVE_SCHEDULES = (
    select(Schedule)
    .where(Schedule.guild_id == bindparam("guild"), Schedule.status != ScheduleStatus.DELETED)
    .order_by(Schedule.id)
)
_CIRCLES_OF_MEMBERS = select(Membership.user_id, Membership.schedule_id).where(
    Membership.user_id.in_(bindparam("users", expanding=True))
)


async def live_schedules(session: AsyncSession, guild_id: int) -> list[Schedule]:
    """The guild's schedules that are not deleted, oldest first."""
    return list(await session.scalars(_LIVE_SCHEDULES, {"guild": guild_id}))


def _choose(live: list[Schedule], circles: set[int] | None, how: str) -> Schedule:
    """Of a guild's live schedules, the member's only circle (`circles`: the schedules they
    joined, when asked), or else the only one."""
    if circles is not None and len(live) > 1:
        joined = [s for s in live if s.id in circles]
        if len(joined) == 1:
            return joined[0]
    if not live:
        raise NotFound(NO_SCHEDULE)
    if len(live) > 1:
        raise several_schedules(live, how)
    return live[0]


async def pick_schedule(
    session: AsyncSession,
    guild_id: int,
    schedule_id: int | None,
    *,
    user_id: int | None = None,
    how: str = IN_THE_OPTION,
) -> Schedule:
    """The schedule meant: the one given, the member's only circle (with `user_id`), or the
    guild's only one; `how` the member says which when it is none of these. A batch of one of
    `pick_schedules`."""
    [chosen] = await pick_schedules(session, [(guild_id, user_id, schedule_id)], how)
    if isinstance(chosen, UserError):
        raise chosen
    return chosen


async def pick_schedules(
    session: AsyncSession,
    wanted: list[tuple[int, int | None, int | None]],
    how: str = IN_THE_OPTION,
) -> list[Schedule | UserError]:
    """The schedule meant by each (guild, member or None, schedule or None), or the error to
    answer with: one query a guild, and one for the circles of the members whose guild has
    several schedules (a member's only circle there is the one meant)."""
    given: dict[tuple[int, int], Schedule | UserError] = {}
    live: dict[int, list[Schedule]] = {}
    for guild_id, _, schedule_id in wanted:
        if schedule_id is not None:
            if (guild_id, schedule_id) not in given:
                try:
                    given[guild_id, schedule_id] = await guild_schedule(
                        session, guild_id, schedule_id
                    )
                except UserError as exc:
                    given[guild_id, schedule_id] = exc
        elif guild_id not in live:
            live[guild_id] = await live_schedules(session, guild_id)
    asking = {
        user_id
        for guild_id, user_id, schedule_id in wanted
        if schedule_id is None and user_id is not None and len(live[guild_id]) > 1
    }
    circles: defaultdict[int, set[int]] = defaultdict(set)
    if asking:
        for member_id, circle_id in await session.execute(_CIRCLES_OF_MEMBERS, {"users": asking}):
            circles[member_id].add(circle_id)
    chosen: list[Schedule | UserError] = []
    for guild_id, user_id, schedule_id in wanted:
        if schedule_id is not None:
            chosen.append(given[guild_id, schedule_id])
            continue
        try:
            chosen.append(
                _choose(live[guild_id], circles[user_id] if user_id in asking else None, how)
            )
        except UserError as exc:
            chosen.append(exc)
    return chosen


class Schedules:
    """Schedule use-cases, bound to the database, the job scheduler and the clock."""

    def __init__(self, db: Database, *, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock
        # Meetings and reminders follow a schedule's dates without this module knowing them
        # (set by the composition root, `bot.services.root`).
        self.watchers: Sequence[ScheduleWatcher] = ()
        # `status` asked together, as after a post, is read in one session a batch.
        self._statuses: Coalescer[tuple[int, int | None], ScheduleInfo] = Coalescer(
            self._status_together
        )

    async def changed(self, session: AsyncSession, change: ScheduleChange) -> None:
        """Tell the watchers, in the caller's transaction."""
        for watcher in self.watchers:
            await watcher.on_schedule_change(session, change)

    async def enqueue_next(self, session: AsyncSession, schedule: Schedule) -> None:
        """Queue the post due at the schedule's `next_post_at`, in the caller's transaction;
        nothing for a schedule that is not active or has nothing left to post."""
        if schedule.status != ScheduleStatus.ACTIVE or schedule.next_post_at is None:
            return
        await self.enqueue_post(session, schedule.id, schedule.guild_id, schedule.next_post_at)

    async def enqueue_post(
        self, session: AsyncSession, schedule_id: int, guild_id: int, due_at: datetime
    ) -> None:
        """Queue the schedule's post due at `due_at` (once: the job's key names both)."""
        await self.scheduler.enqueue(
            POST_JOB,
            {"schedule_id": schedule_id, "due_at": due_at.isoformat()},
            due_at,
            guild_id=guild_id,
            dedupe_key=post_dedupe_key(schedule_id, due_at),
            session=session,
        )
        await self.changed(session, ScheduleChange(schedule_id, guild_id, ChangeKind.CHANGED))

    async def _cancel_next(self, session: AsyncSession, schedule: Schedule) -> None:
        if schedule.next_post_at is not None:
            await self.scheduler.cancel(
                dedupe_key=post_dedupe_key(schedule.id, schedule.next_post_at), session=session
            )

    async def create(self, guild_id: int, user_id: int, request: ScheduleRequest) -> ScheduleInfo:
        """Check and save a schedule, and queue its first post."""
        if request.missed_policy not in MISSED_POLICIES:
            raise UserError("Missed posts can be: all, latest or skip.")
        if not 1 <= request.sections_per_post <= MAX_SECTIONS_PER_POST:
            raise UserError(f"Sections per post can be 1 to {MAX_SECTIONS_PER_POST}.")
        now = self.clock.now()
        if request.first_day > now.date() + MAX_START_AHEAD:
            raise UserError(
                "The first post can be at most two years from now. Pick an earlier start date."
            )
        try:
            tz = zone(request.tz)
            at = request.at.replace(second=0, microsecond=0, tzinfo=None)
            first_at = local_to_utc(request.first_day, at, tz, strict=True)
            cadence = Cadence(
                kind=request.cadence,
                at=at,
                tz_name=tz.key,
                anchor=request.first_day,
                every_days=request.every_days,
                weekdays=request.weekdays,
            )
        except CadenceError as exc:
            raise UserError(exc.message, quoted=exc.quoted) from None
        if first_at < now - timedelta(minutes=1):
            raise UserError(
                f"The first post time ({request.first_day} {at:%H:%M} {tz.key}) is in the "
                "past. Please pick a time from now on."
            )
        # On a weekly cadence the first post is the first chosen weekday from that date on.
        first_due = _next(cadence, first_at - timedelta(seconds=1))
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)
            await guild_reading(session, guild_id, request.reading_id)
            schedule = Schedule(
                guild_id=guild_id,
                reading_id=request.reading_id,
                channel_id=request.channel_id,
                forum=request.forum,
                cadence_kind=cadence.kind.value,
                at_time=cadence.at,
                tz=tz.key,
                anchor=cadence.anchor,
                every_days=cadence.every_days,
                weekdays=",".join(str(d) for d in sorted(cadence.weekdays)),
                sections_per_post=request.sections_per_post,
                ping_role=request.ping_role,
                missed_policy=request.missed_policy,
                status=ScheduleStatus.ACTIVE,
                next_position=1,
                next_post_at=first_due,
                created_by=user_id,
            )
            session.add(schedule)
            await session.flush()
            await self.enqueue_next(session, schedule)
            return await info_of(session, schedule)

    async def status(self, guild_id: int, schedule_id: int | None) -> ScheduleInfo:
        """The schedule meant (`schedule_id`, or else the guild's only one), as `/schedule
        status` shows it; a deleted one, or another guild's, is "not found". Asked together,
        as after a post, each schedule is read once for everyone asking (one session a
        batch)."""
        return await self._statuses.submit((guild_id, schedule_id))

    async def _status_together(
        self, asked: list[tuple[int, int | None]]
    ) -> list[ScheduleInfo | Exception]:
        found: dict[tuple[int, int | None], ScheduleInfo | Exception] = {}
        unique = list(dict.fromkeys(asked))
        async with self.db.read() as session:
            chosen = await pick_schedules(session, [(g, None, s) for g, s in unique])
            for key, schedule in zip(unique, chosen, strict=True):
                found[key] = (
                    schedule
                    if isinstance(schedule, UserError)
                    else await info_of(session, schedule)
                )
        return [found[key] for key in asked]

    async def only(self, guild_id: int) -> int:
        """The id of the guild's one live schedule (`pick_schedule` with no schedule given);
        refused when it has none or several."""
        async with self.db.read() as session:
            return (await pick_schedule(session, guild_id, None)).id

    async def of_guild(self, guild_id: int) -> list[ScheduleInfo]:
        """The guild's schedules that are not deleted, oldest first."""
        async with self.db.read() as session:
            return [await info_of(session, s) for s in await live_schedules(session, guild_id)]

    async def pause(self, guild_id: int, schedule_id: int) -> ScheduleInfo:
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            if schedule.status != ScheduleStatus.ACTIVE:
                raise UserError(f"Schedule #{schedule_id} is {schedule.status}, not running.")
            schedule.status = ScheduleStatus.PAUSED
            await self._cancel_next(session, schedule)
            await self.changed(session, ScheduleChange(schedule.id, guild_id, ChangeKind.CHANGED))
            return await info_of(session, schedule)

    async def resume(self, guild_id: int, schedule_id: int) -> ScheduleInfo:
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            if schedule.status != ScheduleStatus.PAUSED:
                raise UserError(f"Schedule #{schedule_id} is {schedule.status}, not paused.")
            schedule.status = ScheduleStatus.ACTIVE
            now = self.clock.now()
            if schedule.next_post_at is None or schedule.next_post_at <= now:
                schedule.next_post_at = _next(cadence_of(schedule), now)
            await self.enqueue_next(session, schedule)
            return await info_of(session, schedule)

    async def skip(self, guild_id: int, schedule_id: int) -> ScheduleInfo:
        """Skip the next post date; the next section comes at the date after."""
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            if schedule.status != ScheduleStatus.ACTIVE or schedule.next_post_at is None:
                raise UserError(f"Schedule #{schedule_id} has no upcoming post to skip.")
            await self._cancel_next(session, schedule)
            schedule.next_post_at = _next(cadence_of(schedule), schedule.next_post_at)
            await self.enqueue_next(session, schedule)
            return await info_of(session, schedule)

    async def post_now(self, guild_id: int, schedule_id: int) -> ScheduleInfo:
        """Post the next section now, outside the cadence; the next regular post stays."""
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            if schedule.status == ScheduleStatus.FINISHED:
                raise UserError(f"Schedule #{schedule_id} has posted every section already.")
            now = self.clock.now()
            await self.scheduler.enqueue(
                POST_NOW_JOB,
                {
                    "schedule_id": schedule.id,
                    "due_at": now.isoformat(),
                    "position": schedule.next_position,
                },
                now,
                guild_id=guild_id,
                dedupe_key=f"schedule:{schedule.id}:now:{schedule.next_position}",
                session=session,
            )
            return await info_of(session, schedule)

    async def delete(self, guild_id: int, schedule_id: int) -> ScheduleInfo:
        """Stop a schedule for good. Its posts and threads stay in Discord."""
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            await self._cancel_next(session, schedule)
            await self.changed(session, ScheduleChange(schedule.id, guild_id, ChangeKind.DELETING))
            info = await info_of(session, schedule)
            await session.delete(schedule)
            return info

    def _member_rows(self, guild_id: int, user_id: int) -> list[MemberRows]:
        """What the feature keeps about the member (`MemberData`): the guild's schedules they
        created, which /forget-me makes anonymous (a failing post is then logged instead of
        told by DM)."""
        return [
            MemberRows(
                SCHEDULES,
                Schedule,
                Schedule.guild_id == guild_id,
                Schedule.created_by == user_id,
                anonymise={"created_by": None},
            )
        ]

    async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await count_rows(self.db, self._member_rows(guild_id, user_id))

    async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await forget_rows(self.db, self._member_rows(guild_id, user_id))
