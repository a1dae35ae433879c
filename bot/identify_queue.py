"""Shard processes of one bot take turns to IDENTIFY with the gateway, through PostgreSQL.

Discord lets a bot start `max_concurrency` sessions every 5 seconds (`/gateway/bot`'s
`session_start_limit`), shard ids grouped by `shard_id % max_concurrency`; that limit is the
bot's, whichever process starts the shard. Before each IDENTIFY a process takes a PostgreSQL
advisory lock for its bot and bucket, and keeps it for `spacing` seconds after: the next
process (or the next shard here) waits for it. A process that dies drops its connection, and
with it the lock. On SQLite (one process) discord.py's own spacing applies.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.db.engine import Database

log = logging.getLogger(__name__)

# Discord's window for `max_concurrency` IDENTIFYs, with a margin for clocks and latency.
IDENTIFY_SPACING = 5.5


def lock_key(application_id: int, bucket: int) -> int:
    """A signed 64-bit advisory-lock key for one bot's identify bucket."""
    digest = hashlib.sha256(f"study-circle identify {application_id} {bucket}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class IdentifyQueue:
    """Turns to IDENTIFY, shared by every process of one bot on one PostgreSQL database."""

    def __init__(self, database: Database, *, spacing: float = IDENTIFY_SPACING) -> None:
        self._database = database
        self.spacing = spacing
        self._held: dict[asyncio.Task[None], AsyncConnection] = {}

    async def wait_turn(self, application_id: int, shard_id: int, max_concurrency: int) -> None:
        """Return when this shard may IDENTIFY; the turn is held `spacing` seconds after."""
        bucket = shard_id % max(1, max_concurrency)
        key = lock_key(application_id, bucket)
        conn = await self._database.engine.connect()
        try:
            started = asyncio.get_running_loop().time()
            await conn.execute(select(func.pg_advisory_lock(key)))
            waited = asyncio.get_running_loop().time() - started
            if waited > 0.5:
                log.info("Shard %s waited %.1f s for its turn to identify", shard_id, waited)
        except BaseException:
            # The lock may have been granted as the wait was abandoned: end the connection.
            await _discard(conn)
            raise
        task = asyncio.create_task(self._release_later(conn, key), name="identify-turn")
        self._held[task] = conn
        task.add_done_callback(lambda done: self._held.pop(done, None))

    async def _release_later(self, conn: AsyncConnection, key: int) -> None:
        try:
            await asyncio.sleep(self.spacing)
        finally:
            # Also when cancelled: a pooled connection would keep the lock with it.
            try:
                await conn.execute(select(func.pg_advisory_unlock(key)))
                await conn.close()
            except Exception:
                await _discard(conn)

    async def close(self) -> None:
        """Give up any turn still held (the process is stopping)."""
        held = list(self._held.items())
        for task, _conn in held:
            task.cancel()
        await asyncio.gather(*(task for task, _conn in held), return_exceptions=True)
        # A task cancelled before it first ran never reached its `finally`.
        for _task, conn in held:
            if not conn.closed:
                await _discard(conn)


async def _discard(conn: AsyncConnection) -> None:
    """Close the database connection itself (not back to the pool): its locks end with it."""
    with contextlib.suppress(Exception):
        await conn.invalidate()
    with contextlib.suppress(Exception):
        await conn.close()
