"""A section post's focus: the latest winning topic of its schedule not shown on a post yet."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Vote
from bot.db.models.votes import VoteStatus


def unused_winners(schedule_id: int | ColumnElement[int]) -> Select[int, str | None]:
    """The latest winning topic of the schedule not yet shown on a post: (vote id, text)."""
    return (
        select(Vote.id, Vote.winner_text)
        .where(
            Vote.schedule_id == schedule_id,
            Vote.status == VoteStatus.CLOSED,
            Vote.winner_topic_id.is_not(None),
            Vote.winner_text.is_not(None),
            Vote.focus_used_at.is_(None),
        )
        .order_by(Vote.closed_at.desc(), Vote.id.desc())
        .limit(1)
    )


async def mark_focus_used(session: AsyncSession, vote_id: int, when: datetime) -> None:
    await session.execute(
        update(Vote)
        .where(Vote.id == vote_id, Vote.focus_used_at.is_(None))
        .values(focus_used_at=when.astimezone(UTC))
    )
