"""Which posted section a place means, for every feature that asks: the section whose thread a
command runs in, and the latest section a schedule has posted. `posted_in` is the guild's
posted sections, a query for each question to narrow.

A post of several sections (`sections_per_post` > 1) has one row per section, all with the
same thread: the thread means the first of them, by position, on every database.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Schedule, SectionPost
from bot.db.models.schedules import PostStatus, ScheduleStatus
from bot.errors import NotFound, UserError


def not_posted(schedule_id: int | None = None, position: int | None = None) -> NotFound:
    """What a member is told of a section that has not been posted in their server: the
    section at `position` of schedule `schedule_id` when they named it so."""
    if schedule_id is not None and position is not None:
        return NotFound(f"Section {position} of schedule #{schedule_id} has not been posted.")
    return NotFound("That section has not been posted in this server.")


NOTHING_POSTED = "No section of this schedule has been posted yet."


def nothing_posted() -> UserError:
    """What a member is told of a schedule that has posted no section yet."""
    return UserError(NOTHING_POSTED)


def posted_in(guild_id: int) -> Select[SectionPost]:
    """The guild's posted sections, in its schedules that are not deleted: a query to narrow."""
    return (
        select(SectionPost)
        .join(Schedule, Schedule.id == SectionPost.schedule_id)
        .where(
            Schedule.guild_id == guild_id,
            Schedule.status != ScheduleStatus.DELETED,
            SectionPost.status == PostStatus.POSTED,
        )
    )


async def post_in_thread(
    session: AsyncSession, guild_id: int, channel_id: int
) -> SectionPost | None:
    """The posted section whose thread `channel_id` is, in a live schedule of the guild (the
    first section of a post of several); None if it is no section's thread."""
    return await session.scalar(
        posted_in(guild_id)
        .where(SectionPost.thread_id == channel_id)
        .order_by(SectionPost.position)
        .limit(1)
    )


async def latest_posted(session: AsyncSession, schedule_id: int) -> SectionPost | None:
    """The schedule's posted section furthest along the reading; None before its first post."""
    return await session.scalar(
        select(SectionPost)
        .where(SectionPost.schedule_id == schedule_id, SectionPost.status == PostStatus.POSTED)
        .order_by(SectionPost.position.desc())
        .limit(1)
    )
