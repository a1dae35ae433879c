"""`LiveTally`: the vote message's tally kept up to date while ballots come in, without an
edit per ballot; `refresh_vote_message` is the edit itself."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable

import discord

from bot.exts.votes import render
from bot.services.votes import Votes

log = logging.getLogger(__name__)
# How long closing the bot waits for a tally refresh under way.
LIVE_CLOSE_WAIT = 5.0


class LiveTally:
    """Coalesces refreshes of vote messages: at most one edit per vote every `interval`
    seconds; pokes during the wait fold into that one edit, which shows the latest state.
    A changed `interval` applies at once, to the waits under way too."""

    def __init__(self, refresh: Callable[[int], Awaitable[None]], interval: float) -> None:
        self.refresh = refresh
        self._interval = interval
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._refreshing: set[int] = set()
        self._waits: dict[int, asyncio.Timeout] = {}
        self._closed = False

    @property
    def interval(self) -> float:
        return self._interval

    @interval.setter
    def interval(self, seconds: float) -> None:
        self._interval = seconds
        for wait in self._waits.values():
            wait.reschedule(asyncio.get_running_loop().time())  # ends it: measured again

    def poke(self, vote_id: int) -> None:
        if self._closed:
            return
        self._dirty.add(vote_id)
        if vote_id not in self._tasks:
            self._tasks[vote_id] = asyncio.create_task(self._run(vote_id), name=f"tally-{vote_id}")

    async def _run(self, vote_id: int) -> None:
        """Refresh the vote's message while ballots keep coming, one edit an interval. The
        time of the last edit lives here, not in the tally: the task ends, and with it all it
        knew of the vote, once an interval has passed without a ballot."""
        loop = asyncio.get_running_loop()
        last = -math.inf
        try:
            while not self._closed:
                wait = last + self.interval - loop.time()
                if wait > 0:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(None) as self._waits[vote_id]:
                            await asyncio.sleep(wait)
                    del self._waits[vote_id]
                    continue  # the wait is over, or the interval changed: measure again
                if vote_id not in self._dirty:
                    break  # a quiet interval: the next ballot may be shown at once
                self._dirty.discard(vote_id)
                last = loop.time()
                self._refreshing.add(vote_id)
                try:
                    await self.refresh(vote_id)
                except Exception:
                    log.warning("Could not refresh the tally of vote %s", vote_id, exc_info=True)
                finally:
                    self._refreshing.discard(vote_id)
        finally:
            # The wait is this task's own (a task made meanwhile has not run yet); the entry in
            # `_tasks` is not when the vote was cancelled and poked again.
            self._waits.pop(vote_id, None)
            if self._tasks.get(vote_id) is asyncio.current_task():
                del self._tasks[vote_id]

    def cancel(self, vote_id: int) -> None:
        self._dirty.discard(vote_id)
        task = self._tasks.pop(vote_id, None)
        if task is not None:
            task.cancel()

    async def idle(self) -> None:
        """Wait for pending refreshes (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def close(self) -> None:
        """Stop refreshing. Waits are cancelled; a refresh under way may finish (a few
        seconds at most): cut off, its database connection would be torn down mid-statement
        while the database itself is closing."""
        self._closed = True
        self._dirty.clear()
        tasks = list(self._tasks.items())
        for vote_id, task in tasks:
            if vote_id not in self._refreshing:
                task.cancel()
        if tasks:
            await asyncio.wait([task for _, task in tasks], timeout=LIVE_CLOSE_WAIT)


async def refresh_vote_message(client: discord.Client, votes: Votes, vote_id: int) -> None:
    """Edit the open vote's message to show its ballots as they stand."""
    vote = await votes.ballots.standing(vote_id)
    if vote is None or not vote.is_open or vote.message_id is None:
        return
    # A partial message: an edit needs only the ids, not the channel fetched.
    channel = client.get_partial_messageable(vote.channel_id)
    await channel.get_partial_message(vote.message_id).edit(embed=render.vote_embed(vote))
