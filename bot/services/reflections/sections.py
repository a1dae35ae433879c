"""The posted sections a member can reflect on: finding the one meant, with its prompts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Digest, Prompt, Reading, Schedule, Section, SectionPost
from bot.db.models.schedules import PostStatus, ScheduleStatus
from bot.reading.prompts import PromptKind
from bot.services.schedules import BY_SECTION, pick_schedule
from bot.services.section_posts import (
    latest_posted,
    not_posted,
    nothing_posted,
    post_in_thread,
    posted_in,
)


@dataclass(frozen=True)
class PromptChoice:
    id: int
    position: int
    kind: PromptKind
    text: str


def prompt_choice(prompt: Prompt) -> PromptChoice:
    """The prompt as a member picks it; the row stores its kind as a plain string."""
    return PromptChoice(prompt.id, prompt.position, PromptKind(prompt.kind), prompt.text)


@dataclass(frozen=True)
class Target:
    """A posted section of a schedule that a member can reflect on."""

    guild_id: int
    schedule_id: int
    section_id: int
    position: int
    section_title: str
    reading_title: str
    thread_id: int | None
    closed: bool
    prompts: tuple[PromptChoice, ...]

    def prompt(self, prompt_id: int | None) -> PromptChoice | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


@dataclass(frozen=True)
class ListedSection:
    """A posted section, for choosing one by name."""

    schedule_id: int
    position: int
    title: str
    reading_title: str


async def section_closed(session: AsyncSession, schedule_id: int | None, section_id: int) -> bool:
    """Whether the section's digest has been posted (or is being posted)."""
    if schedule_id is None:
        return False
    found = await session.scalar(
        select(Digest.id).where(Digest.schedule_id == schedule_id, Digest.section_id == section_id)
    )
    return found is not None


async def posted_section(
    session: AsyncSession, guild_id: int, schedule_id: int, section_id: int
) -> tuple[SectionPost, Section, Reading]:
    """A section the guild's schedule has posted; anything else is "not found"."""
    row = (
        await session.execute(
            select(SectionPost, Section, Reading)
            .join(Schedule, Schedule.id == SectionPost.schedule_id)
            .join(Section, Section.id == SectionPost.section_id)
            .join(Reading, Reading.id == Section.reading_id)
            .where(
                SectionPost.schedule_id == schedule_id,
                SectionPost.section_id == section_id,
                SectionPost.status == PostStatus.POSTED,
                Schedule.guild_id == guild_id,
                Schedule.status != ScheduleStatus.DELETED,
            )
        )
    ).first()
    if row is None:
        raise not_posted()
    post, section, reading = row
    return post, section, reading


async def find_section(
    session: AsyncSession,
    guild_id: int,
    *,
    user_id: int | None = None,
    section_id: int | None = None,
    schedule_id: int | None = None,
    position: int | None = None,
    channel_id: int | None = None,
    message_id: int | None = None,
) -> SectionPost:
    """The posted section meant, in this order:

    - `section_id` (a button): the post of that section holding `message_id`/`channel_id`,
      else the latest post of it in the guild;
    - `position` (typed or chosen): that section of `schedule_id`, or of the member's circle;
    - `channel_id` being a section's thread: that thread's (first) section;
    - else the latest section posted by the member's circle (or the guild's only schedule).
    """
    posted = posted_in(guild_id)
    if section_id is not None:
        rows = list(
            await session.scalars(
                posted.where(SectionPost.section_id == section_id).order_by(
                    SectionPost.posted_at.desc(), SectionPost.id.desc()
                )
            )
        )
        for row in rows:
            if message_id is not None and row.message_id == message_id:
                return row
            if channel_id is not None and row.thread_id == channel_id:
                return row
        if rows:
            return rows[0]
        raise not_posted()
    if position is None and channel_id is not None:
        in_thread = await post_in_thread(session, guild_id, channel_id)
        if in_thread is not None:
            return in_thread
    schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id, how=BY_SECTION)
    query = posted.where(SectionPost.schedule_id == schedule.id)
    if position is not None:
        found = await session.scalar(query.where(SectionPost.position == position))
        if found is None:
            raise not_posted(schedule.id, position)
        return found
    latest = await latest_posted(session, schedule.id)
    if latest is None:
        raise nothing_posted()
    return latest


async def find_target(session: AsyncSession, guild_id: int, **meant: int | None) -> Target:
    """The section meant (`find_section`'s keywords) with its prompts."""
    return await _target(session, guild_id, await find_section(session, guild_id, **meant))


class Targets:
    """Choosing what to reflect on."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def target(
        self,
        guild_id: int,
        *,
        user_id: int | None = None,
        section_id: int | None = None,
        schedule_id: int | None = None,
        position: int | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
    ) -> Target:
        """The section to reflect on (see `find_section`) with its prompts."""
        async with self.db.read() as session:
            return await find_target(
                session,
                guild_id,
                user_id=user_id,
                section_id=section_id,
                schedule_id=schedule_id,
                position=position,
                channel_id=channel_id,
                message_id=message_id,
            )

    async def posted_sections(self, guild_id: int, needle: str = "") -> list[ListedSection]:
        """Sections posted in the guild, newest first, whose title contains `needle`."""
        async with self.db.read() as session:
            rows = await session.execute(
                select(
                    SectionPost.schedule_id,
                    Section.position,
                    Section.title,
                    Reading.title.label("reading_title"),
                )
                .join(Schedule, Schedule.id == SectionPost.schedule_id)
                .join(Section, Section.id == SectionPost.section_id)
                .join(Reading, Reading.id == Section.reading_id)
                .where(
                    Schedule.guild_id == guild_id,
                    Schedule.status != ScheduleStatus.DELETED,
                    SectionPost.status == PostStatus.POSTED,
                )
                .order_by(SectionPost.posted_at.desc(), SectionPost.position.desc())
            )
            found = [
                ListedSection(
                    schedule_id=row.schedule_id,
                    position=row.position,
                    title=row.title,
                    reading_title=row.reading_title,
                )
                for row in rows
            ]
        words = needle.strip().lower()
        return [
            s
            for s in found
            if not words or words in f"{s.position}. {s.title} {s.reading_title}".lower()
        ]


async def _target(session: AsyncSession, guild_id: int, post: SectionPost) -> Target:
    section = await session.get_one(Section, post.section_id)
    reading = await session.get_one(Reading, section.reading_id)
    prompts = await session.scalars(
        select(Prompt)
        .where(Prompt.section_id == section.id, Prompt.hidden.is_(False))
        .order_by(Prompt.position, Prompt.id)
    )
    return Target(
        guild_id=guild_id,
        schedule_id=post.schedule_id,
        section_id=section.id,
        position=section.position,
        section_title=section.title,
        reading_title=reading.title,
        thread_id=post.thread_id,
        closed=await section_closed(session, post.schedule_id, section.id),
        prompts=tuple(prompt_choice(p) for p in prompts),
    )
