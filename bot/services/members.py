"""Members of a circle: join, leave, mark sections read, see progress and what to catch up."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Membership, Progress, Schedule, Section, SectionPost
from bot.errors import NotFound, UserError
from bot.scheduling.clock import Clock
from bot.services.schedules import guild_schedule


@dataclass(frozen=True)
class PostedSection:
    schedule_id: int
    section_id: int
    position: int
    title: str
    words: int
    channel_id: int | None
    message_id: int | None
    thread_id: int | None
    read: bool


@dataclass(frozen=True)
class JoinResult:
    schedule_id: int
    reading_id: int
    role_id: int | None
    current_thread_id: int | None
    already_member: bool


@dataclass(frozen=True)
class ProgressReport:
    schedule_id: int
    total_sections: int
    sections: tuple[PostedSection, ...]  # posted so far, in order

    @property
    def behind(self) -> int:
        return sum(1 for s in self.sections if not s.read)

    @property
    def unread(self) -> list[PostedSection]:
        return [s for s in self.sections if not s.read]


async def pick_schedule(
    session: AsyncSession, guild_id: int, schedule_id: int | None, *, user_id: int | None = None
) -> Schedule:
    """The schedule meant: the one given, the member's only circle, or the guild's only one."""
    if schedule_id is not None:
        return await guild_schedule(session, guild_id, schedule_id)
    live = list(
        await session.scalars(
            select(Schedule)
            .where(Schedule.guild_id == guild_id, Schedule.status != "deleted")
            .order_by(Schedule.id)
        )
    )
    if user_id is not None and len(live) > 1:
        mine = set(
            await session.scalars(
                select(Membership.schedule_id).where(Membership.user_id == user_id)
            )
        )
        joined = [s for s in live if s.id in mine]
        if len(joined) == 1:
            return joined[0]
    if not live:
        raise NotFound("This server has no reading schedule yet.")
    if len(live) > 1:
        numbers = ", ".join(f"#{s.id}" for s in live)
        raise UserError(f"This server has several schedules ({numbers}): please choose one.")
    return live[0]


class Members:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def join(self, guild_id: int, user_id: int, schedule_id: int | None) -> JoinResult:
        async with self.db.session() as session:
            schedule = await pick_schedule(session, guild_id, schedule_id)
            existing = await session.scalar(
                select(Membership).where(
                    Membership.schedule_id == schedule.id, Membership.user_id == user_id
                )
            )
            if existing is None:
                session.add(Membership(schedule_id=schedule.id, user_id=user_id))
            current = await session.scalar(
                select(SectionPost.thread_id)
                .where(SectionPost.schedule_id == schedule.id, SectionPost.status == "posted")
                .order_by(SectionPost.position.desc())
                .limit(1)
            )
            return JoinResult(
                schedule.id, schedule.reading_id, schedule.role_id, current, existing is not None
            )

    async def leave(self, guild_id: int, user_id: int, schedule_id: int | None) -> JoinResult:
        async with self.db.session() as session:
            schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id)
            result = await session.execute(
                delete(Membership).where(
                    Membership.schedule_id == schedule.id, Membership.user_id == user_id
                )
            )
            if not result.rowcount:
                raise UserError(f"You are not in schedule #{schedule.id}'s circle.")
            return JoinResult(schedule.id, schedule.reading_id, schedule.role_id, None, True)

    async def set_role(self, guild_id: int, schedule_id: int, role_id: int) -> None:
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            schedule.role_id = role_id

    async def _posted(
        self, session: AsyncSession, schedule: Schedule, user_id: int
    ) -> list[PostedSection]:
        read = set(
            await session.scalars(select(Progress.section_id).where(Progress.user_id == user_id))
        )
        rows = await session.execute(
            select(SectionPost, Section)
            .join(Section, Section.id == SectionPost.section_id)
            .where(SectionPost.schedule_id == schedule.id, SectionPost.status == "posted")
            .order_by(SectionPost.position)
        )
        return [
            PostedSection(
                schedule.id,
                section.id,
                section.position,
                section.title,
                section.word_count,
                post.channel_id,
                post.message_id,
                post.thread_id,
                section.id in read,
            )
            for post, section in rows
        ]

    async def mark_done(
        self,
        guild_id: int,
        user_id: int,
        *,
        schedule_id: int | None = None,
        position: int | None = None,
        section_id: int | None = None,
    ) -> tuple[PostedSection, bool]:
        """Mark a posted section read (default: the latest; by `section_id`, every section of
        that post). Returns the section and whether anything was newly marked."""
        async with self.db.session() as session:
            if section_id is not None:
                post = await session.scalar(
                    select(SectionPost)
                    .join(Schedule, Schedule.id == SectionPost.schedule_id)
                    .where(SectionPost.section_id == section_id, Schedule.guild_id == guild_id)
                    .limit(1)
                )
                if post is None:
                    raise NotFound("That section has not been posted in this server.")
                schedule = await session.get_one(Schedule, post.schedule_id)
            else:
                schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id)
            posted = await self._posted(session, schedule, user_id)
            if not posted:
                raise UserError("No section of this schedule has been posted yet.")
            if section_id is not None:
                found_post = next((s for s in posted if s.section_id == section_id), None)
                if found_post is None:
                    raise UserError("That section is still being posted; try again in a moment.")
                chosen = found_post
                batch = [s for s in posted if s.message_id == chosen.message_id]
                return batch[-1], await self._mark(session, guild_id, user_id, batch)
            elif position is not None:
                found = [s for s in posted if s.position == position]
                if not found:
                    raise UserError(
                        f"Section {position} has not been posted yet; "
                        f"sections 1–{posted[-1].position} have."
                    )
                chosen = found[0]
            else:
                chosen = posted[-1]
            return chosen, await self._mark(session, guild_id, user_id, [chosen])

    async def _mark(
        self, session: AsyncSession, guild_id: int, user_id: int, sections: list[PostedSection]
    ) -> bool:
        unread = [s for s in sections if not s.read]
        for s in unread:
            session.add(
                Progress(
                    guild_id=guild_id,
                    user_id=user_id,
                    section_id=s.section_id,
                    done_at=self.clock.now(),
                )
            )
        return bool(unread)

    async def progress(
        self, guild_id: int, user_id: int, schedule_id: int | None = None
    ) -> ProgressReport:
        async with self.db.session() as session:
            schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id)
            posted = await self._posted(session, schedule, user_id)
            total = len(
                list(
                    await session.scalars(
                        select(Section.id).where(Section.reading_id == schedule.reading_id)
                    )
                )
            )
            return ProgressReport(schedule.id, total, tuple(posted))
