"""What the reflection modules share: who may read a reflection, and the service's base."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models.reflections import Visibility
from bot.errors import UserError
from bot.scheduler import Scheduler
from bot.scheduling.clock import Clock

PRIVATE = Visibility.PRIVATE
AFTER_CLOSE = Visibility.AFTER_CLOSE
NOW = Visibility.NOW
VISIBILITIES = (PRIVATE, AFTER_CLOSE, NOW)
DEFAULT_VISIBILITY = PRIVATE
# The job that settles reflections' own messages after a crash (see `settling`), due long
# after a message is normally sent and recorded.
SETTLE_JOB = "reflection.settle"
SETTLE_AFTER = timedelta(minutes=1)


def check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise UserError("Choose who may read it: only you, the circle after the close, or now.")
    return visibility


class ReflectionsBase:
    """What each part of `Reflections` is bound to: the database, the clock, and the job
    queue that settles reflections' messages after a crash."""

    def __init__(self, db: Database, clock: Clock, scheduler: Scheduler) -> None:
        self.db = db
        self.clock = clock
        self.scheduler = scheduler

    async def _queue_settle(
        self, session: AsyncSession, guild_id: int, reflection_ids: Sequence[int], now: datetime
    ) -> None:
        """Queue, in the caller's transaction, the job that settles the messages of these
        reflections, marked `post_started_at` in it too (see `settling`)."""
        if reflection_ids:
            await self.scheduler.enqueue(
                SETTLE_JOB,
                {"reflections": list(reflection_ids)},
                now + SETTLE_AFTER,
                guild_id=guild_id,
                session=session,
            )
