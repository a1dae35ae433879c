"""What the vote modules share: kinds and states, job names and keys, and look-ups over a
session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Membership, Schedule, Topic, Vote
from bot.errors import NotFound
from bot.services.schedules import (
    IN_THE_OPTION,
    guild_schedule,
    live_schedules,
    several_schedules,
)
from bot.services.section_posts import latest_posted, post_in_thread

CLOSE_JOB = "vote.close"
REMIND_JOB = "vote.remind"
WAL_JOB = "vote.empty_wal"
# A vote or topic may also name its schedule by where it is made.
IN_THE_OPTION_OR_A_THREAD = f"{IN_THE_OPTION}, or run the command in a section's thread"


def close_key(vote_id: int) -> str:
    return f"vote:{vote_id}:close"


def remind_key(vote_id: int) -> str:
    return f"vote:{vote_id}:remind"


def wal_key(vote_id: int, attempt: int) -> str:
    return f"vote:{vote_id}:wal:{attempt}"


# -- helpers over a session ---------------------------------------------------------------


async def circle_of(
    session: AsyncSession, guild_id: int, schedule_id: int | None, channel_id: int
) -> tuple[Schedule | None, int | None]:
    """The schedule a vote or topic belongs to, and its section: see the package's docstring."""
    post = await post_in_thread(session, guild_id, channel_id)
    if post is not None and schedule_id in (None, post.schedule_id):
        return await session.get_one(Schedule, post.schedule_id), post.section_id
    if schedule_id is not None:
        schedule = await guild_schedule(session, guild_id, schedule_id)
    else:
        live = await live_schedules(session, guild_id)
        if not live:
            return None, None
        here = [s for s in live if s.channel_id == channel_id]
        if len(live) == 1:
            schedule = live[0]
        elif len(here) == 1:
            schedule = here[0]
        else:
            raise several_schedules(live, IN_THE_OPTION_OR_A_THREAD)
    latest = await latest_posted(session, schedule.id)
    return schedule, None if latest is None else latest.section_id


async def circle_members(session: AsyncSession, schedule_id: int) -> list[int]:
    """The user ids of the schedule's circle."""
    return list(
        await session.scalars(
            select(Membership.user_id).where(Membership.schedule_id == schedule_id)
        )
    )


async def in_circle(session: AsyncSession, schedule_id: int, user_id: int) -> bool:
    """Whether the user is in the schedule's circle."""
    found = await session.scalar(
        select(Membership.id).where(
            Membership.schedule_id == schedule_id, Membership.user_id == user_id
        )
    )
    return found is not None


async def guild_vote(session: AsyncSession, guild_id: int, vote_id: int) -> Vote:
    """The vote, if it belongs to this guild; NotFound otherwise."""
    vote = await session.get(Vote, vote_id, populate_existing=True)
    if vote is None or vote.guild_id != guild_id:
        raise NotFound(f"There is no vote #{vote_id} in this server.")
    return vote


async def guild_topic(session: AsyncSession, guild_id: int, topic_id: int) -> Topic:
    """The topic, if it belongs to this guild; NotFound otherwise."""
    topic = await session.get(Topic, topic_id)
    if topic is None or topic.guild_id != guild_id:
        raise NotFound(f"There is no topic #{topic_id} in this server.")
    return topic
