"""The digest that closes a section: counts, revealed reflections, top prompts (the votes and
the meeting are the Discord side's, see below).

A section closes when the next one is posted or the schedule ends (posting queues a
`SECTION_CLOSED_JOB`), or when a facilitator runs `/digest`, which queues the same job with
the same dedupe key due now: whichever comes first posts it, and only once.

Posting once, even across restarts: the handler writes the digest row ("posting") and marks
the reflections it reveals in one transaction, asks the poster (the Discord side) to publish
with deterministic nonces, then records the messages. Run again after a crash, it finds the
row still "posting", plans the same messages and tells the poster it is `recovering`, so the
poster can find what it already sent. The row's unique (schedule, section) keeps a second
digest out for good.

The lines about the section's votes and meeting are the Discord side's: the poster asks every
`DigestContributor` (`bot.exts.features`) for them as it publishes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import (
    Digest,
    Job,
    Membership,
    Progress,
    Prompt,
    Reading,
    Reflection,
    Schedule,
    Section,
    SectionPost,
)
from bot.db.models.jobs import JobStatus
from bot.db.models.reflections import DigestStatus
from bot.db.models.schedules import PostStatus
from bot.locks import KeyedLocks
from bot.scheduler import JobContext, Scheduler
from bot.scheduling.clock import Clock
from bot.services.posting import SECTION_CLOSED_JOB, closed_dedupe_key
from bot.services.readings import count_sections
from bot.services.reflections import (
    SHARED,
    WAITING,
    PostedRef,
    ReflectionInfo,
    find_section,
    is_shared,
    queried_reflection,
    reflection_query,
)

log = logging.getLogger(__name__)

TOP_PROMPTS = 3


@dataclass(frozen=True)
class PromptTally:
    position: int
    text: str
    reflections: int


@dataclass(frozen=True)
class DigestPlan:
    """What the service knows of one digest, for the Discord side to publish; the poster adds
    the features' own lines (votes, the meeting) as it publishes."""

    digest_id: int
    guild_id: int
    schedule_id: int
    section_id: int
    position: int
    total_sections: int
    section_title: str
    reading_title: str
    channel_id: int  # the section's thread (or the schedule's channel without one)
    reflections: int
    authors: int
    shared_before: int
    revealed: tuple[ReflectionInfo, ...]
    top_prompts: tuple[PromptTally, ...]
    members: int
    read: int
    nonce: str
    recovering: bool = False
    # When the first attempt began: an earlier attempt's messages are all posted after it.
    started_at: datetime | None = None


@dataclass(frozen=True)
class DigestReceipt:
    channel_id: int
    message_id: int
    # Where each revealed reflection was posted: reflection id → message id.
    placements: Mapping[int, int]


class DigestPoster(Protocol):
    async def publish(self, plan: DigestPlan) -> DigestReceipt:
        """Post the digest and its revealed reflections; idempotent for the same plan.nonce."""
        ...

    async def refresh(self, guild_id: int, refs: Sequence[PostedRef]) -> None:
        """Show again what these messages hold now (or delete them when nothing is left)."""
        ...


class DigestState(StrEnum):
    """Where a section's digest stands when `/digest` asks for it."""

    QUEUED = "queued"
    POSTING = "posting"
    POSTED = "posted"


@dataclass(frozen=True)
class DigestRequest:
    """The answer to `/digest`: queued now, being posted, or posted already."""

    state: DigestState
    schedule_id: int
    position: int
    section_title: str
    channel_id: int | None
    message_id: int | None


def digest_nonce(digest_id: int) -> str:
    """Stable per digest; parts add a suffix. Discord allows 25 characters."""
    return f"scd{digest_id}"[:20]


class Digests:
    """The handler of section-closed jobs, and `/digest`."""

    def __init__(
        self,
        db: Database,
        *,
        scheduler: Scheduler,
        clock: Clock,
    ) -> None:
        self.db = db
        self.clock = clock
        self.scheduler = scheduler
        # The Discord side, attached by the reflections extension.
        self.poster: DigestPoster | None = None
        self._locks: KeyedLocks[tuple[int, int]] = KeyedLocks()

    def _poster(self) -> DigestPoster:
        if self.poster is None:
            raise RuntimeError("digests have no Discord side yet")
        return self.poster

    async def handle(self, job: JobContext) -> None:
        await self.post(int(job.payload["schedule_id"]), int(job.payload["section_id"]))

    async def post(self, schedule_id: int, section_id: int) -> bool:
        """Post the section's digest unless it was posted. True when this call posted it."""
        async with self._locks[(schedule_id, section_id)]:
            plan = await self._plan(schedule_id, section_id)
            if plan is None:
                return False
            receipt = await self._poster().publish(plan)
            stale = await self._finish(plan, receipt)
        if stale:
            await self._poster().refresh(plan.guild_id, stale)
        return True

    async def _plan(self, schedule_id: int, section_id: int) -> DigestPlan | None:
        now = self.clock.now()
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            post = await session.scalar(
                select(SectionPost).where(
                    SectionPost.schedule_id == schedule_id,
                    SectionPost.section_id == section_id,
                    SectionPost.status == PostStatus.POSTED,
                )
            )
            if schedule is None or post is None:
                return None  # deleted, or never posted: nothing to close
            digest = await session.scalar(
                select(Digest).where(
                    Digest.schedule_id == schedule_id, Digest.section_id == section_id
                )
            )
            if digest is not None and digest.status == DigestStatus.POSTED:
                return None
            recovering = digest is not None
            if digest is None:
                digest = Digest(
                    guild_id=schedule.guild_id,
                    schedule_id=schedule_id,
                    section_id=section_id,
                    status=DigestStatus.POSTING,
                    created_at=now,
                )
                session.add(digest)
                await session.flush()
                await self._reveal(session, schedule_id, section_id, now)
            revealed = await self._revealed(session, schedule.guild_id, schedule_id, section_id)
            counts = await self._counts(session, schedule_id, section_id)
            section = await session.get_one(Section, section_id)
            reading = await session.get_one(Reading, section.reading_id)
            total = await count_sections(session, reading.id)
            members, read = await _readers(session, schedule_id, section_id)
            return DigestPlan(
                digest_id=digest.id,
                guild_id=schedule.guild_id,
                schedule_id=schedule_id,
                section_id=section_id,
                position=section.position,
                total_sections=total,
                section_title=section.title,
                reading_title=reading.title,
                channel_id=post.thread_id or schedule.channel_id,
                reflections=counts[0],
                authors=counts[1],
                shared_before=counts[2],
                revealed=tuple(revealed),
                top_prompts=await _top_prompts(session, schedule_id, section_id),
                members=members,
                read=read,
                nonce=digest_nonce(digest.id),
                recovering=recovering,
                started_at=digest.created_at,
            )

    async def _reveal(
        self, session: AsyncSession, schedule_id: int, section_id: int, now: datetime
    ) -> None:
        rows = await session.scalars(
            select(Reflection).where(
                Reflection.schedule_id == schedule_id,
                Reflection.section_id == section_id,
                WAITING,
            )
        )
        for row in rows:
            row.revealed_at = now

    async def _revealed(
        self, session: AsyncSession, guild_id: int, schedule_id: int, section_id: int
    ) -> list[ReflectionInfo]:
        """Shared reflections not yet in any message: revealed at the close, or meant for
        "now" and neither posted nor being posted."""
        rows = await session.execute(
            reflection_query()
            .where(
                Reflection.guild_id == guild_id,
                Reflection.schedule_id == schedule_id,
                Reflection.section_id == section_id,
                Reflection.message_id.is_(None),
                # Being posted as its own message: the settle job finishes that.
                Reflection.post_started_at.is_(None),
                SHARED,
            )
            .order_by(Reflection.created_at, Reflection.id)
        )
        return [queried_reflection(row) for row in rows]

    async def _counts(
        self, session: AsyncSession, schedule_id: int, section_id: int
    ) -> tuple[int, int, int]:
        """(reflections, members who wrote one, already shared in the thread)."""
        rows = list(
            await session.execute(
                select(Reflection.user_id, Reflection.message_id).where(
                    Reflection.schedule_id == schedule_id, Reflection.section_id == section_id
                )
            )
        )
        return (
            len(rows),
            len({r.user_id for r in rows}),
            sum(1 for r in rows if r.message_id is not None),
        )

    async def _finish(self, plan: DigestPlan, receipt: DigestReceipt) -> list[PostedRef]:
        """Record what was posted. Returns messages that show a reflection its author deleted
        or made private while the digest was being posted: they need a refresh."""
        async with self.db.session() as session:
            digest = await session.get_one(Digest, plan.digest_id)
            digest.status = DigestStatus.POSTED
            digest.channel_id, digest.message_id = receipt.channel_id, receipt.message_id
            digest.posted_at = self.clock.now()
            rows = {
                row.id: row
                for row in await session.scalars(
                    select(Reflection).where(Reflection.id.in_(list(receipt.placements)))
                )
            }
            stale: set[PostedRef] = set()
            for reflection_id, message_id in receipt.placements.items():
                row = rows.get(reflection_id)
                ref = PostedRef(receipt.channel_id, message_id)
                if row is None or row.message_id is not None:
                    stale.add(ref)
                    continue
                if is_shared(row.visibility, row.revealed_at):
                    row.channel_id, row.message_id = receipt.channel_id, message_id
                else:
                    stale.add(ref)
            return sorted(stale, key=lambda r: r.message_id)

    # -- /digest ----------------------------------------------------------------------------

    async def request(
        self,
        guild_id: int,
        *,
        user_id: int | None = None,
        schedule_id: int | None = None,
        position: int | None = None,
        channel_id: int | None = None,
    ) -> DigestRequest:
        """Close a posted section now: queue its digest (once), or say where it already is."""
        now = self.clock.now()
        async with self.db.session() as session:
            post = await find_section(
                session,
                guild_id,
                user_id=user_id,
                schedule_id=schedule_id,
                position=position,
                channel_id=channel_id,
            )
            section = await session.get_one(Section, post.section_id)
            digest = await session.scalar(
                select(Digest).where(
                    Digest.schedule_id == post.schedule_id, Digest.section_id == post.section_id
                )
            )

            def status(state: DigestState) -> DigestRequest:
                return DigestRequest(
                    state,
                    post.schedule_id,
                    section.position,
                    section.title,
                    digest.channel_id if digest else post.thread_id,
                    digest.message_id if digest else None,
                )

            if digest is not None:
                return status(
                    DigestState.POSTED
                    if digest.status == DigestStatus.POSTED
                    else DigestState.POSTING
                )
            key = closed_dedupe_key(post.schedule_id, post.section_id)
            payload = {"schedule_id": post.schedule_id, "section_id": post.section_id}
            job = await session.scalar(select(Job).where(Job.dedupe_key == key))
            if job is None:
                await self.scheduler.enqueue(
                    SECTION_CLOSED_JOB,
                    payload,
                    now,
                    guild_id=guild_id,
                    dedupe_key=key,
                    session=session,
                )
            elif job.status == JobStatus.PENDING:
                await self.scheduler.reschedule(now, dedupe_key=key, session=session)
            elif job.status == JobStatus.RUNNING:
                return status(DigestState.POSTING)
            else:
                # The job ran and gave up (or ran before the post was recorded): try again.
                await self.scheduler.enqueue(
                    SECTION_CLOSED_JOB,
                    payload,
                    now,
                    guild_id=guild_id,
                    dedupe_key=f"{key}:again:{now.isoformat()}",
                    session=session,
                )
            return status(DigestState.QUEUED)


async def _readers(session: AsyncSession, schedule_id: int, section_id: int) -> tuple[int, int]:
    """(members of the circle, members who marked the section read). Never names."""
    members = await session.scalar(
        select(func.count()).select_from(Membership).where(Membership.schedule_id == schedule_id)
    )
    read = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(Progress, Progress.user_id == Membership.user_id)
        .where(Membership.schedule_id == schedule_id, Progress.section_id == section_id)
    )
    return int(members or 0), int(read or 0)


async def _top_prompts(
    session: AsyncSession, schedule_id: int, section_id: int
) -> tuple[PromptTally, ...]:
    rows = await session.execute(
        select(Prompt.position, Prompt.text, func.count(Reflection.id))
        .join(Prompt, Prompt.id == Reflection.prompt_id)
        .where(Reflection.schedule_id == schedule_id, Reflection.section_id == section_id)
        .group_by(Prompt.id, Prompt.position, Prompt.text)
        .order_by(func.count(Reflection.id).desc(), Prompt.position)
        .limit(TOP_PROMPTS)
    )
    return tuple(PromptTally(position, text, int(count)) for position, text, count in rows)
