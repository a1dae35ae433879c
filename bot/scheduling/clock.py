"""The one source of "now": real in the bot, moved by hand in tests.

A clock also knows how to wait for a moment, so code that sleeps until something is due (the
scheduler's dispatcher) sleeps in real time in the bot and in fake time in tests.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...

    async def sleep_until(self, moment: datetime | None, wake: asyncio.Event) -> bool:
        """Wait until `moment` (forever when None) or until `wake` is set, whichever is first.

        Returns True when `wake` was set, False when the moment came. Does not clear `wake`.
        """
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, moment: datetime | None, wake: asyncio.Event) -> bool:
        if wake.is_set():
            return True
        timeout = None if moment is None else (moment - self.now()).total_seconds()
        if timeout is not None and timeout <= 0:
            return False
        try:
            await asyncio.wait_for(wake.wait(), timeout)
        except TimeoutError:
            return False
        return True


class FakeClock:
    """A clock that only moves when told to; sleepers wake when it is moved past their moment."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._moved: set[asyncio.Event] = set()

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        self._notify()
        return self._now

    def set(self, moment: datetime) -> datetime:
        self._now = moment.astimezone(UTC)
        self._notify()
        return self._now

    def _notify(self) -> None:
        for moved in self._moved:
            moved.set()

    async def sleep_until(self, moment: datetime | None, wake: asyncio.Event) -> bool:
        while moment is None or self._now < moment:
            if wake.is_set():
                return True
            # Each sleeper has its own "the clock moved" event, so one move wakes them all.
            moved = asyncio.Event()
            self._moved.add(moved)
            try:
                await _first_of(wake, moved)
            finally:
                self._moved.discard(moved)
        return wake.is_set()


async def _first_of(*events: asyncio.Event) -> None:
    """Return as soon as any of `events` is set."""
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
