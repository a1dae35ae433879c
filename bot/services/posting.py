"""Posting a schedule's sections: exactly once, on time or plainly late.

The job handler plans a post in the database ("posting"), asks the poster (the Discord side)
to publish it with a deterministic nonce, then records what was posted and queues the next
post. If the process dies between Discord's answer and the commit, the job's lease runs out,
the handler runs again, finds the "posting" rows and publishes with the same nonce: Discord
answers with the first message instead of a second one. If it dies after the post was
recorded, the job running again finds it recorded (a regular post by its due time, a "post
now" by the position it was queued for) and does not post the following section.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.db import Database
from bot.db.models import Schedule
from bot.db.models.schedules import MissedPolicy, PostStatus, ScheduleStatus
from bot.locks import KeyedLocks
from bot.reading.prompts import PromptKind
from bot.reading.text import reading_minutes
from bot.scheduler import JobContext, Scheduler
from bot.scheduling.clock import Clock
from bot.services import post_statements as sql
from bot.services.schedules import POST_JOB, ChangeKind, ScheduleChange, Schedules, cadence_of
from bot.services.votes import mark_focus_used

log = logging.getLogger(__name__)
LATE_AFTER = timedelta(minutes=5)
# A row of one of the post's Core statements (`post_statements`): the schedule, or a section
# to post: untyped Core rows, whose columns are read as `Any`.
_StatementRow = Row[*tuple[Any, ...]]
# Queued when a section closes (the next one is posted, or the schedule ends): the
# reflections feature posts its digest then.
SECTION_CLOSED_JOB = "section.closed"


@dataclass(frozen=True)
class PlannedPrompt:
    kind: PromptKind
    text: str
    quote: str | None


@dataclass(frozen=True)
class PlannedSection:
    section_id: int
    position: int
    title: str
    words: int
    minutes: int
    text: str
    prompts: tuple[PlannedPrompt, ...]


@dataclass(frozen=True)
class PostPlan:
    """Everything the Discord side needs to publish one post, and nothing it must look up."""

    schedule_id: int
    guild_id: int
    channel_id: int
    forum: bool
    role_id: int | None
    ping_role: bool
    reading_title: str
    total_sections: int
    sections: tuple[PlannedSection, ...]
    due_at: datetime
    next_post_at: datetime | None
    late_by: timedelta | None
    caught_up: int
    members: int
    nonce: str
    # An earlier attempt began this post: publish looks for what it already published.
    recovering: bool = False
    message_id: int | None = None
    thread_id: int | None = None
    # The topic a vote chose for this session, and that vote (marked used once posted).
    focus: str | None = None
    focus_vote_id: int | None = None


@dataclass(frozen=True)
class PostReceipt:
    channel_id: int
    message_id: int
    thread_id: int


class SectionPoster(Protocol):
    async def publish(self, plan: PostPlan) -> PostReceipt:
        """Post the announcement and its thread; idempotent for the same plan.nonce."""
        ...

    async def report_failure(self, guild_id: int, schedule_id: int, error: str) -> None:
        """Tell the schedule's facilitators that posting keeps failing."""
        ...


def closed_dedupe_key(schedule_id: int, section_id: int) -> str:
    return f"schedule:{schedule_id}:closed:{section_id}"


def post_nonce(schedule_id: int, first_position: int) -> str:
    """Stable per post, at most 25 characters as Discord requires."""
    return f"sc{schedule_id}p{first_position}"[:25]


class SectionPosting:
    """The handler of schedule post jobs."""

    def __init__(
        self, db: Database, schedules: Schedules, *, scheduler: Scheduler, clock: Clock
    ) -> None:
        self.db = db
        self.clock = clock
        self.scheduler = scheduler
        # The schedule's own use-cases, run in a post's transaction: queueing its next post,
        # and telling its watchers that it posted.
        self.schedules = schedules
        # The Discord side, attached by the schedules extension.
        self.poster: SectionPoster | None = None
        # Posts of one schedule never overlap (a regular post and a post-now, say).
        self._locks: KeyedLocks[int] = KeyedLocks()

    def _poster(self) -> SectionPoster:
        if self.poster is None:
            raise RuntimeError("section posts have no Discord side yet")
        return self.poster

    async def handle(self, job: JobContext) -> None:
        schedule_id = int(job.payload["schedule_id"])
        async with self._locks[schedule_id]:
            if job.kind == POST_JOB:
                await self._regular(job, schedule_id, datetime.fromisoformat(job.payload["due_at"]))
            else:
                await self._post_now(job, schedule_id, job.payload.get("position"))

    async def give_up(self, job: JobContext, error: BaseException) -> None:
        """After the last failed attempt: tell the facilitators, and keep the schedule going."""
        schedule_id = int(job.payload["schedule_id"])
        log.error("Giving up on %s for schedule %s: %r", job.kind, schedule_id, error)
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            if schedule is None:
                return
            guild_id = schedule.guild_id
            if job.kind == POST_JOB and schedule.status == ScheduleStatus.ACTIVE:
                # The section waits for the next date rather than stopping the schedule.
                schedule.next_post_at = cadence_of(schedule).next_after(self.clock.now())
                await self.schedules.enqueue_next(session, schedule)
        reason = str(error) or type(error).__name__
        await self._poster().report_failure(guild_id, schedule_id, reason)

    # Each post is two transactions: one checks the job is current and plans the post (its
    # rows marked "posting"), the other records it, plans the next post of a catch-up, or
    # queues the schedule's next date. Fewer transactions, because on SQLite they take turns;
    # and Core statements built once (`post_statements`), because the post handler's Python
    # is what limits how many posts a second one process starts. The last transaction also
    # records the job done.

    async def _regular(self, job: JobContext, schedule_id: int, due_at: datetime) -> None:
        now = self.clock.now()
        async with self.db.session() as session:
            conn = await session.connection()
            schedule = (
                await conn.execute(
                    sql.SCHEDULE_AND_POSTS_MADE, {"schedule": schedule_id, "due_at": due_at}
                )
            ).first()
            if (
                schedule is None
                or schedule.status != ScheduleStatus.ACTIVE
                or schedule.next_post_at != due_at
            ):
                await self._finish(session, job)
                return  # paused, deleted, skipped or already handled: a stale job
            position = schedule.next_position
            posts = self._posts_due(schedule, due_at, now) - int(schedule.posts_made or 0)
            plan = await self._begin(conn, schedule, position, due_at, now) if posts > 0 else None
            if plan is None:
                await self._after_posts(session, schedule, position, due_at, now, remaining=None)
                await self._finish(session, job)
                return
        while plan is not None:
            receipt = await self._poster().publish(plan)
            posts -= 1
            async with self.db.session() as session:
                conn = await session.connection()
                schedule = (await conn.execute(sql.SCHEDULE, {"schedule": schedule_id})).one()
                position = await self._record(session, schedule, plan, receipt, now)
                catching_up = posts > 0 and schedule.status == ScheduleStatus.ACTIVE
                done = plan
                plan = None
                if catching_up:
                    plan = await self._begin(conn, schedule, position, due_at, now)
                if plan is None:
                    remaining = done.total_sections - done.sections[-1].position
                    await self._after_posts(
                        session, schedule, position, due_at, now, remaining=remaining
                    )
                    await self._finish(session, job)
                else:
                    await self._move_on(
                        conn,
                        schedule,
                        position,
                        status=ScheduleStatus.ACTIVE,
                        next_at=schedule.next_post_at,
                    )

    def _posts_due(self, schedule: _StatementRow, due_at: datetime, now: datetime) -> int:
        """How many posts this due time makes, by the schedule's policy for missed posts."""
        if now - due_at <= LATE_AFTER:
            return 1
        if schedule.missed_policy == MissedPolicy.ALL:
            cadence, posts, moment = cadence_of(schedule), 1, due_at
            while (moment := cadence.next_after(moment)) <= now:
                posts += 1
            return posts
        return 1 if schedule.missed_policy == MissedPolicy.LATEST else 0

    async def _after_posts(
        self,
        session: AsyncSession,
        schedule: _StatementRow,
        position: int,
        due_at: datetime,
        now: datetime,
        *,
        remaining: int | None,
    ) -> None:
        """Save the schedule's next position and queue its next post, or finish it when no
        section is left."""
        status, next_at = schedule.status, schedule.next_post_at
        conn = await session.connection()
        if status == ScheduleStatus.ACTIVE:
            next_at = cadence_of(schedule).next_after(max(now, due_at))
            if remaining is None:
                remaining = await conn.scalar(
                    sql.SECTIONS_LEFT, {"reading_id": schedule.reading_id, "first": position}
                )
            if remaining == 0:
                # The last post closes when the next one would have come.
                await self._close_latest(session, schedule, next_at)
                status, next_at = ScheduleStatus.FINISHED, None
            else:
                await self.schedules.enqueue_post(session, schedule.id, schedule.guild_id, next_at)
        await self._move_on(conn, schedule, position, status=status, next_at=next_at)

    @staticmethod
    async def _move_on(
        conn: AsyncConnection,
        schedule: _StatementRow,
        position: int,
        *,
        status: str,
        next_at: datetime | None,
    ) -> None:
        if (position, status, next_at) == (
            schedule.next_position,
            schedule.status,
            schedule.next_post_at,
        ):
            return
        await conn.execute(
            sql.MOVE_ON,
            {
                "schedule": schedule.id,
                "position": position,
                "new_status": status,
                "next_at": next_at,
            },
        )

    async def _post_now(self, job: JobContext, schedule_id: int, position: int | None) -> bool:
        """Publish the next sections at once. False when none are left, or when the section
        a "post now" was queued for (`position`) has been posted since."""
        now = self.clock.now()
        async with self.db.session() as session:
            conn = await session.connection()
            schedule = (await conn.execute(sql.SCHEDULE, {"schedule": schedule_id})).first()
            if schedule is None:
                return False
            if position is not None and schedule.next_position > int(position):
                return False
            plan = await self._begin(conn, schedule, schedule.next_position, now, now)
            if plan is None:
                return False
        receipt = await self._poster().publish(plan)
        async with self.db.session() as session:
            conn = await session.connection()
            schedule = (await conn.execute(sql.SCHEDULE, {"schedule": schedule_id})).one()
            moved_to = await self._record(session, schedule, plan, receipt, now)
            await self._move_on(
                conn, schedule, moved_to, status=schedule.status, next_at=schedule.next_post_at
            )
            await self._finish(session, job)
        return True

    async def _finish(self, session: AsyncSession, job: JobContext) -> None:
        await self.scheduler.finish_in(session, job)

    async def _begin(
        self,
        conn: AsyncConnection,
        schedule: _StatementRow,
        position: int,
        due_at: datetime,
        now: datetime,
    ) -> PostPlan | None:
        """Plan the post of the `sections_per_post` sections from `position` on, marking them
        "posting"; None when no section is left."""
        sections = (
            await conn.execute(
                sql.SECTIONS_TO_POST,
                {
                    "schedule": schedule.id,
                    "reading_id": schedule.reading_id,
                    "first": position,
                    "end": position + schedule.sections_per_post,
                },
            )
        ).all()
        if not sections:
            return None
        late_by = now - due_at if now - due_at > LATE_AFTER else None
        new_rows = [
            {
                "schedule_id": schedule.id,
                "section_id": section.id,
                "position": section.position,
                "status": PostStatus.POSTING,
                "due_at": due_at,
                "late": late_by is not None,
            }
            for section in sections
            if section.post_id is None
        ]
        if new_rows:
            await conn.execute(sql.ADD_POSTING_ROWS, new_rows)
        return await self._plan(conn, schedule, sections, due_at, late_by, now)

    async def _record(
        self,
        session: AsyncSession,
        schedule: _StatementRow,
        plan: PostPlan,
        receipt: PostReceipt,
        now: datetime,
    ) -> int:
        """Mark the sections posted and queue the closing of the post before; returns the
        schedule's next position."""
        sections = plan.sections
        conn = await session.connection()
        await conn.execute(
            sql.MARK_POSTED,
            {
                "schedule": schedule.id,
                "section_ids": [s.section_id for s in sections],
                "when": now,
                "channel": receipt.channel_id,
                "message": receipt.message_id,
                "thread": receipt.thread_id,
            },
        )
        await self._close_latest(session, schedule, now, before=sections[0].position)
        posted = tuple(s.section_id for s in sections)
        await self.schedules.changed(
            session, ScheduleChange(schedule.id, schedule.guild_id, ChangeKind.POSTED, posted)
        )
        if plan.focus_vote_id is not None:
            await mark_focus_used(session, plan.focus_vote_id, now)
        return sections[-1].position + 1

    async def _close_latest(
        self,
        session: AsyncSession,
        schedule: _StatementRow,
        when: datetime,
        *,
        before: int | None = None,
    ) -> None:
        """Queue the closing of the latest post's sections (before position `before`)."""
        conn = await session.connection()
        if before is None:
            latest = await conn.scalars(sql.LATEST_POSTED, {"schedule": schedule.id})
        else:
            latest = await conn.scalars(
                sql.LATEST_POSTED_BEFORE, {"schedule": schedule.id, "before": before}
            )
        for section_id in latest.all():
            await self.scheduler.enqueue(
                SECTION_CLOSED_JOB,
                {"schedule_id": schedule.id, "section_id": section_id},
                when,
                guild_id=schedule.guild_id,
                dedupe_key=closed_dedupe_key(schedule.id, section_id),
                session=session,
            )

    async def _plan(
        self,
        conn: AsyncConnection,
        schedule: _StatementRow,
        sections: Sequence[_StatementRow],
        due_at: datetime,
        late_by: timedelta | None,
        now: datetime,
    ) -> PostPlan:
        facts = (
            await conn.execute(
                sql.POST_FACTS, {"reading_id": schedule.reading_id, "schedule": schedule.id}
            )
        ).one()
        by_section: defaultdict[int, list[PlannedPrompt]] = defaultdict(list)
        for p in await conn.execute(sql.SHOWN_PROMPTS, {"section_ids": [s.id for s in sections]}):
            by_section[p.section_id].append(PlannedPrompt(PromptKind(p.kind), p.text, p.quote))
        total = int(facts.total or 0)
        next_at = None
        if sections[-1].position < total:
            next_at = schedule.next_post_at
            if next_at is None or next_at <= now:
                next_at = cadence_of(schedule).next_after(now)
        first = sections[0]
        return PostPlan(
            schedule_id=schedule.id,
            guild_id=schedule.guild_id,
            channel_id=schedule.channel_id,
            forum=schedule.forum,
            role_id=schedule.role_id,
            ping_role=schedule.ping_role,
            reading_title=facts.title,
            total_sections=total,
            sections=tuple(
                PlannedSection(
                    section_id=s.id,
                    position=s.position,
                    title=s.title,
                    words=s.word_count,
                    minutes=reading_minutes(s.word_count),
                    text=s.text,
                    prompts=tuple(by_section[s.id]),
                )
                for s in sections
            ),
            due_at=due_at if first.post_id is None else first.due_at,
            next_post_at=next_at,
            late_by=late_by,
            caught_up=int(facts.caught_up or 0),
            members=int(facts.members or 0),
            nonce=post_nonce(schedule.id, first.position),
            recovering=any(s.post_id is not None for s in sections),
            message_id=first.message_id,
            thread_id=first.thread_id,
            focus=facts.focus,
            focus_vote_id=facts.focus_id,
        )
