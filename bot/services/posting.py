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

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Membership, Progress, Prompt, Reading, Schedule, Section, SectionPost
from bot.reading.text import reading_minutes
from bot.scheduler import JobContext
from bot.scheduling.clock import Clock
from bot.services.schedules import POST_JOB, Schedules, cadence_of
from bot.services.votes import mark_focus_used, next_focus

log = logging.getLogger(__name__)
LATE_AFTER = timedelta(minutes=5)
# Queued when a section closes (the next one is posted, or the schedule ends): the
# reflections feature posts its digest then.
SECTION_CLOSED_JOB = "section.closed"


@dataclass(frozen=True)
class PlannedPrompt:
    kind: str
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


@dataclass(frozen=True)
class _Planned:
    """A post planned, and the rows still to add that mark its sections "posting"."""

    plan: PostPlan
    new_rows: list[SectionPost]


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
        self, db: Database, clock: Clock, schedules: Schedules, poster: SectionPoster
    ) -> None:
        self.db = db
        self.clock = clock
        self.schedules = schedules
        self.poster = poster
        # Posts of one schedule never overlap (a regular post and a post-now, say).
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def handle(self, job: JobContext) -> None:
        schedule_id = int(job.payload["schedule_id"])
        async with self._locks[schedule_id]:
            if job.kind == POST_JOB:
                await self._regular(schedule_id, datetime.fromisoformat(job.payload["due_at"]))
            else:
                await self._post_now(schedule_id, job.payload.get("position"))

    async def give_up(self, job: JobContext, error: BaseException) -> None:
        """After the last failed attempt: tell the facilitators, and keep the schedule going."""
        schedule_id = int(job.payload["schedule_id"])
        log.error("Giving up on %s for schedule %s: %r", job.kind, schedule_id, error)
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            if schedule is None:
                return
            guild_id = schedule.guild_id
            if job.kind == POST_JOB and schedule.status == "active":
                # The section waits for the next date rather than stopping the schedule.
                schedule.next_post_at = cadence_of(schedule).next_after(self.clock.now())
                await self.schedules.enqueue_next(session, schedule)
        reason = str(error) or type(error).__name__
        await self.poster.report_failure(guild_id, schedule_id, reason)

    # Each post is two transactions: one checks the job is current and plans the post (its
    # rows marked "posting"), the other records it, plans the next post of a catch-up, or
    # queues the schedule's next date. Fewer transactions, because on SQLite they take turns.

    async def _regular(self, schedule_id: int, due_at: datetime) -> None:
        now = self.clock.now()
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            if schedule is None or schedule.status != "active" or schedule.next_post_at != due_at:
                return  # paused, deleted, skipped or already handled: a stale job
            # Posts already made for this due time, by an earlier run of this job.
            already = await session.scalar(
                select(func.count(func.distinct(SectionPost.message_id))).where(
                    SectionPost.schedule_id == schedule_id,
                    SectionPost.due_at == due_at,
                    SectionPost.status == "posted",
                )
            )
            posts = self._posts_due(schedule, due_at, now) - int(already or 0)
            planned = await self._begin(session, schedule, due_at, now) if posts > 0 else None
            if planned is None:
                await self._after_posts(session, schedule, due_at, now, remaining=None)
                return
            session.add_all(planned.new_rows)
        while planned is not None:
            receipt = await self.poster.publish(planned.plan)
            posts -= 1
            async with self.db.session() as session:
                schedule = await session.get_one(Schedule, schedule_id)
                await self._record(session, schedule, planned, receipt, now)
                catching_up = posts > 0 and schedule.status == "active"
                done = planned
                planned = await self._begin(session, schedule, due_at, now) if catching_up else None
                if planned is None:
                    remaining = done.plan.total_sections - done.plan.sections[-1].position
                    await self._after_posts(session, schedule, due_at, now, remaining=remaining)
                else:
                    session.add_all(planned.new_rows)

    def _posts_due(self, schedule: Schedule, due_at: datetime, now: datetime) -> int:
        """How many posts this due time makes, by the schedule's policy for missed posts."""
        if now - due_at <= LATE_AFTER:
            return 1
        if schedule.missed_policy == "all":
            cadence, posts, moment = cadence_of(schedule), 1, due_at
            while (moment := cadence.next_after(moment)) <= now:
                posts += 1
            return posts
        return 1 if schedule.missed_policy == "latest" else 0

    async def _after_posts(
        self,
        session: AsyncSession,
        schedule: Schedule,
        due_at: datetime,
        now: datetime,
        *,
        remaining: int | None,
    ) -> None:
        """Queue the schedule's next post, or finish it when no section is left."""
        if schedule.status != "active":
            return
        schedule.next_post_at = cadence_of(schedule).next_after(max(now, due_at))
        if remaining is None:
            remaining = await self._remaining(session, schedule)
        if remaining == 0:
            # The last post closes when the next one would have come.
            await self._close_latest(session, schedule, schedule.next_post_at)
            schedule.status, schedule.next_post_at = "finished", None
        await self.schedules.enqueue_next(session, schedule)

    async def _remaining(self, session: AsyncSession, schedule: Schedule) -> int:
        total = await session.scalar(
            select(func.count())
            .select_from(Section)
            .where(
                Section.reading_id == schedule.reading_id,
                Section.position >= schedule.next_position,
            )
        )
        return int(total or 0)

    async def _post_now(self, schedule_id: int, position: int | None) -> bool:
        """Publish the next sections at once. False when none are left, or when the section
        a "post now" was queued for (`position`) has been posted since."""
        now = self.clock.now()
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            if schedule is None:
                return False
            if position is not None and schedule.next_position > int(position):
                return False
            planned = await self._begin(session, schedule, now, now)
            if planned is None:
                return False
            session.add_all(planned.new_rows)
        receipt = await self.poster.publish(planned.plan)
        async with self.db.session() as session:
            schedule = await session.get_one(Schedule, schedule_id)
            await self._record(session, schedule, planned, receipt, now)
        return True

    async def _begin(
        self, session: AsyncSession, schedule: Schedule, due_at: datetime, now: datetime
    ) -> _Planned | None:
        """Plan the post of the next `sections_per_post` sections, with the rows that mark
        them "posting" (for the caller to add); None when no section is left."""
        sections = list(
            await session.scalars(
                select(Section)
                .where(
                    Section.reading_id == schedule.reading_id,
                    Section.position >= schedule.next_position,
                    Section.position < schedule.next_position + schedule.sections_per_post,
                )
                .order_by(Section.position)
            )
        )
        if not sections:
            return None
        rows = {
            row.section_id: row
            for row in await session.scalars(
                select(SectionPost).where(
                    SectionPost.schedule_id == schedule.id,
                    SectionPost.section_id.in_([s.id for s in sections]),
                )
            )
        }
        late_by = now - due_at if now - due_at > LATE_AFTER else None
        recovering = bool(rows)
        new_rows = [
            SectionPost(
                schedule_id=schedule.id,
                section_id=section.id,
                position=section.position,
                status="posting",
                due_at=due_at,
                late=late_by is not None,
            )
            for section in sections
            if section.id not in rows
        ]
        rows.update((row.section_id, row) for row in new_rows)
        plan = await self._plan(session, schedule, sections, rows, late_by, now)
        return _Planned(replace(plan, recovering=recovering), new_rows)

    async def _record(
        self,
        session: AsyncSession,
        schedule: Schedule,
        planned: _Planned,
        receipt: PostReceipt,
        now: datetime,
    ) -> None:
        """Mark the sections posted, queue the closing of the post before, move on."""
        sections = planned.plan.sections
        await session.execute(
            update(SectionPost)
            .where(
                SectionPost.schedule_id == schedule.id,
                SectionPost.section_id.in_([s.section_id for s in sections]),
            )
            .values(
                status="posted",
                posted_at=now,
                channel_id=receipt.channel_id,
                message_id=receipt.message_id,
                thread_id=receipt.thread_id,
            )
            .execution_options(synchronize_session=False)
        )
        await self._close_latest(session, schedule, now, before=sections[0].position)
        schedule.next_position = sections[-1].position + 1
        if planned.plan.focus_vote_id is not None:
            await mark_focus_used(session, planned.plan.focus_vote_id, now)

    async def _close_latest(
        self,
        session: AsyncSession,
        schedule: Schedule,
        when: datetime,
        *,
        before: int | None = None,
    ) -> None:
        """Queue the closing of the latest post's sections (before position `before`)."""
        query = select(SectionPost.section_id, SectionPost.message_id).where(
            SectionPost.schedule_id == schedule.id, SectionPost.status == "posted"
        )
        if before is not None:
            query = query.where(SectionPost.position < before)
        posted = (await session.execute(query.order_by(SectionPost.position.desc()))).all()
        if not posted:
            return
        latest = [row.section_id for row in posted if row.message_id == posted[0].message_id]
        for section_id in latest:
            await self.schedules.scheduler.enqueue(
                SECTION_CLOSED_JOB,
                {"schedule_id": schedule.id, "section_id": section_id},
                when,
                guild_id=schedule.guild_id,
                dedupe_key=closed_dedupe_key(schedule.id, section_id),
                session=session,
            )

    async def _plan(
        self,
        session: AsyncSession,
        schedule: Schedule,
        sections: list[Section],
        rows: dict[int, SectionPost],
        late_by: timedelta | None,
        now: datetime,
    ) -> PostPlan:
        count = (
            select(func.count())
            .select_from(Section)
            .where(Section.reading_id == schedule.reading_id)
            .scalar_subquery()
        )
        title, total = (
            await session.execute(
                select(Reading.title, count).where(Reading.id == schedule.reading_id)
            )
        ).one()
        prompts = await session.scalars(
            select(Prompt)
            .where(Prompt.section_id.in_([s.id for s in sections]), Prompt.hidden.is_(False))
            .order_by(Prompt.section_id, Prompt.position)
        )
        by_section: defaultdict[int, list[PlannedPrompt]] = defaultdict(list)
        for p in prompts:
            by_section[p.section_id].append(PlannedPrompt(p.kind, p.text, p.quote))
        members, caught_up = await caught_up_counts(session, schedule.id)
        last = sections[-1].position
        next_at = None
        if last < int(total or 0):
            next_at = schedule.next_post_at
            if next_at is None or next_at <= now:
                next_at = cadence_of(schedule).next_after(now)
        first_row = rows[sections[0].id]
        focus = await next_focus(session, schedule.id)
        return PostPlan(
            schedule_id=schedule.id,
            guild_id=schedule.guild_id,
            channel_id=schedule.channel_id,
            forum=schedule.forum,
            role_id=schedule.role_id,
            ping_role=schedule.ping_role,
            reading_title=title,
            total_sections=int(total or 0),
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
            due_at=first_row.due_at,
            next_post_at=next_at,
            late_by=late_by,
            caught_up=caught_up,
            members=members,
            nonce=post_nonce(schedule.id, sections[0].position),
            message_id=first_row.message_id,
            thread_id=first_row.thread_id,
            focus=focus[1] if focus else None,
            focus_vote_id=focus[0] if focus else None,
        )


async def caught_up_counts(session: AsyncSession, schedule_id: int) -> tuple[int, int]:
    """(members, members who marked every section posted so far as read). Never names.
    One query: it runs for every post."""
    is_posted = (SectionPost.schedule_id == schedule_id, SectionPost.status == "posted")
    posted = select(SectionPost.section_id).where(*is_posted)
    posted_count = select(func.count()).select_from(SectionPost).where(*is_posted)
    done = (
        select(func.count())
        .select_from(Progress)
        .where(Progress.user_id == Membership.user_id, Progress.section_id.in_(posted))
        .scalar_subquery()
    )
    members = (
        select(func.count())
        .select_from(Membership)
        .where(Membership.schedule_id == schedule_id)
        .scalar_subquery()
    )
    caught_up = (
        select(func.count())
        .select_from(Membership)
        .where(Membership.schedule_id == schedule_id, done >= posted_count.scalar_subquery())
        .scalar_subquery()
    )
    row = (await session.execute(select(members, caught_up))).one()
    return int(row[0] or 0), int(row[1] or 0)
