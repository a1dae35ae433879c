"""A reflection's own message, from the decision to post it to its recorded id, across crashes.

The transaction that decides to post a reflection as its own message (a write or an edit
sharing it now) also sets `post_started_at` and queues a `SETTLE_JOB` due a little later.
The message is sent with a nonce and its id recorded (`record_post`, which clears the mark).
A process killed in between leaves the mark: the job then settles it, looking for the message
Discord may have made (the Discord side knows it by its footer) and recording it, or posting
it if there is none. Before a reflection is edited or deleted, and before /forget-me, the
Discord side settles the member's marked reflections the same way (without posting), so that
a message whose id was never stored is still found and changed or removed with the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Reflection
from bot.scheduler import JobContext, Scheduler
from bot.services.reflections.info import (
    PostedRef,
    ReflectionInfo,
    queried_reflection,
    reflection_query,
)

# The job that settles reflections' own messages after a crash, due long after a message is
# normally sent and recorded.
SETTLE_JOB = "reflection.settle"
SETTLE_AFTER = timedelta(minutes=1)


@dataclass(frozen=True)
class PendingPost:
    """A reflection whose own message may be in its thread without its id recorded."""

    reflection: ReflectionInfo
    since: datetime  # the message, if any, was made after this


async def queue_settle(
    scheduler: Scheduler,
    session: AsyncSession,
    guild_id: int,
    reflection_ids: Sequence[int],
    now: datetime,
) -> None:
    """Queue, in the caller's transaction, the job that settles the messages of these
    reflections, marked `post_started_at` in it too."""
    if reflection_ids:
        await scheduler.enqueue(
            SETTLE_JOB,
            {"reflections": list(reflection_ids)},
            now + SETTLE_AFTER,
            guild_id=guild_id,
            session=session,
        )


class ReflectionMessages(Protocol):
    """The Discord side of the messages that show shared reflections
    (`bot.exts.reflections.poster.SharedReflections`), which knows a reflection's own message
    in its thread by its footer. The one port of reflections: the settle job and /forget-me
    both use it."""

    async def settle(
        self,
        guild_id: int,
        *,
        reflection_ids: Collection[int] | None = None,
        user_id: int | None = None,
        finish: bool = False,
    ) -> None:
        """Record the message of each reflection marked as being posted (these ones, or the
        member's), so that it changes or goes with the reflection; without one, post it when
        `finish`."""
        ...

    async def refresh(self, guild_id: int, refs: Sequence[PostedRef]) -> None:
        """Show what each message holds now; delete the ones that hold nothing any more."""
        ...


class Settling:
    """What the Discord side needs to settle reflections' messages, and the settle job."""

    def __init__(self, db: Database, messages: Callable[[], ReflectionMessages]) -> None:
        self.db = db
        # The Discord side, read when the job runs: `Reflections.messages`, attached by the
        # reflections extension (raises when it is missing).
        self._messages = messages

    async def handle(self, job: JobContext) -> None:
        """The settle job: find or finish the posts of reflections a crash may have cut short."""
        assert job.guild_id is not None
        await self._messages().settle(
            job.guild_id, reflection_ids=job.payload["reflections"], finish=True
        )

    async def pending_posts(
        self,
        guild_id: int,
        *,
        reflection_ids: Collection[int] | None = None,
        user_id: int | None = None,
    ) -> list[PendingPost]:
        """The reflections (these, or this member's) whose message id may be missing."""
        query = reflection_query().where(
            Reflection.guild_id == guild_id, Reflection.post_started_at.is_not(None)
        )
        if reflection_ids is not None:
            query = query.where(Reflection.id.in_(list(reflection_ids)))
        if user_id is not None:
            query = query.where(Reflection.user_id == user_id)
        async with self.db.session() as session:
            rows = await session.execute(query.order_by(Reflection.id))
            found = []
            for row in rows:
                started = row.Reflection.post_started_at
                assert started is not None
                found.append(PendingPost(queried_reflection(row), started))
            return found

    async def record_post(
        self, guild_id: int, reflection_id: int, channel_id: int, message_id: int
    ) -> bool:
        """Remember the message a shared reflection was posted as. False when the reflection
        is gone or no longer shared: then the message must go."""
        async with self.db.session() as session:
            row = await session.scalar(
                select(Reflection).where(
                    Reflection.id == reflection_id, Reflection.guild_id == guild_id
                )
            )
            if row is None:
                return False
            row.post_started_at = None
            if row.message_id is not None and row.message_id != message_id:
                return False  # another message shows it already
            found = await session.execute(reflection_query().where(Reflection.id == row.id))
            if not queried_reflection(found.one()).shared:
                return False
            row.channel_id, row.message_id = channel_id, message_id
            return True

    async def clear_pending(self, guild_id: int, reflection_id: int) -> None:
        """No message of this reflection was made: it need not be looked for again."""
        async with self.db.session() as session:
            row = await session.scalar(
                select(Reflection).where(
                    Reflection.id == reflection_id, Reflection.guild_id == guild_id
                )
            )
            if row is not None:
                row.post_started_at = None
