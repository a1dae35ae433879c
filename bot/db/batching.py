"""Requests that arrive together, written together: one transaction for a burst of clicks.

When a whole server presses the same button at once, a transaction each means thousands of
round trips to the database, one after the other on SQLite. A `Coalescer` runs the first
request at once, alone; the requests that arrive while it runs wait and then go together
in the next batch, and so on. Nothing waits on a timer: at low load a request costs what it
did, under load the batches grow and the database does a handful of statements per batch.

    clicks = Coalescer(run_batch)          # run_batch(list[Req]) -> list[Res | Exception]
    result = await clicks.submit(request)  # raises the request's own exception, if any

`run_batch` returns one result per request, in order; an exception in that list is raised
to that request's caller alone. If `run_batch` itself raises (the database is away, say),
every request of the batch gets that exception.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from bot.db.engine import holding_sqlite_turn

Req = TypeVar("Req")
Res = TypeVar("Res")

RunBatch = Callable[[list[Req]], Awaitable[Sequence["Res | BaseException"]]]


class Coalescer(Generic[Req, Res]):
    """Runs requests in batches of at most `max_batch`. Capped batches keep a flood moving:
    while one batch is in the database, the answers of the one before go out (bench.burst:
    faster, and less memory, at 100 than at 500)."""

    def __init__(self, run: RunBatch[Req, Res], *, max_batch: int = 100) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._run = run
        self._max_batch = max_batch
        self._queue: list[tuple[Req, asyncio.Future[Res]]] = []
        self._worker: asyncio.Task[None] | None = None
        self.batches = 0  # how many batches ran, for tests and benchmarks

    async def submit(self, request: Req) -> Res:
        if holding_sqlite_turn():
            # The caller is inside a session: a batch would wait for its turn forever.
            [result] = await self._run([request])
            if isinstance(result, BaseException):
                raise result
            return result
        future: asyncio.Future[Res] = asyncio.get_running_loop().create_future()
        self._queue.append((request, future))
        if self._worker is None or self._worker.done():
            # A context of its own: the batches must not run inside the first caller's (which
            # may be inside a database session, say).
            self._worker = asyncio.create_task(
                self._drain(), name="coalescer", context=contextvars.Context()
            )
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
            live = [(request, future) for request, future in batch if not future.cancelled()]
            if not live:
                continue
            self.batches += 1
            try:
                results = await self._run([request for request, _ in live])
                if len(results) != len(live):
                    raise RuntimeError(f"{len(results)} results for {len(live)} requests")
            except asyncio.CancelledError:
                for _, future in live:
                    future.cancel()
                raise
            except Exception as exc:
                for _, future in live:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(live, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)
