"""Answering with one request when the work is quick, acknowledging first when it is not.

Discord wants an interaction acknowledged within 3 s. Deferring ("thinking…") at once is
always safe, but it costs a second request for the answer; when a whole server clicks at
once, that second request is a large part of the bot's work. So a handler awaits its work
through `when_ready`: if the work is done soon after Discord created the interaction, the
answer is the acknowledgement; if not (a slow database, a long queue of events), the
interaction is deferred while the work goes on, and `reply` sends the answer as a follow-up.
The interaction's age comes from its snowflake and the host's clock (kept right by NTP).

A handler that starts late tells the bot it is behind a queue of events: then every
interaction still waiting on the direct path is deferred at once too, before the deferrals of
the events queued behind it, rather than by its own timer, which a loop that busy fires late.
And while deferrals are on their way, follow-ups wait (a few seconds at most): an answer may
come up to 15 minutes after its acknowledgement, an acknowledgement only within 3 s.

    receipt = await when_ready(interaction, service.cast(...))
    await reply(interaction, render.receipt_text(receipt))
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

T = TypeVar("T")

# An interaction this old when its handler starts is acknowledged at once: the bot is behind
# (a burst of events queued ahead of it), so its answer would come late too, and a deferral
# left to the timer below would fire late on a loop that busy.
ANSWER_IF_YOUNGER = 0.6
# The latest moment, after the interaction's creation, to defer while the work goes on. Well
# inside Discord's 3 s: a busy event loop fires the deferral late, and the deferral's own
# request takes time to reach Discord.
DEFER_AT = 1.0
# Interactions being answered directly at once, at most. Past this the bot is in a burst it
# cannot answer within the limit anyway: the rest are acknowledged first, while their
# acknowledgements can still go out in time.
MAX_DIRECT = 1000

# The longest a follow-up waits for the deferrals on their way to go out first.
FOLLOW_UPS_WAIT = 5.0

# The deferrals of the interactions on the direct path now, each to be called at most once.
_waiting: dict[int, Callable[[], None]] = {}


class _Deferrals:
    """Deferrals on their way to Discord in one event loop, and the follow-ups waiting."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.pending = 0
        self.follow_ups: list[asyncio.Future[None]] = []

    def done(self, _: object) -> None:
        self.pending -= 1
        if self.pending == 0:
            for waiting in self.follow_ups:
                if not waiting.done():
                    waiting.set_result(None)
            self.follow_ups.clear()


_deferrals: _Deferrals | None = None


def _in_this_loop() -> _Deferrals:
    global _deferrals
    loop = asyncio.get_running_loop()
    if _deferrals is None or _deferrals.loop is not loop:
        _deferrals = _Deferrals(loop)
    return _deferrals


def _defer(interaction: discord.Interaction, ephemeral: bool) -> asyncio.Task[Any]:
    deferrals = _in_this_loop()
    deferrals.pending += 1
    task = asyncio.ensure_future(interaction.response.defer(ephemeral=ephemeral, thinking=True))
    task.add_done_callback(deferrals.done)
    return task


async def _after_deferrals() -> None:
    """Wait until no deferral is on its way (or FOLLOW_UPS_WAIT has passed)."""
    deferrals = _in_this_loop()
    if deferrals.pending == 0:
        return
    waiting = deferrals.loop.create_future()
    deferrals.follow_ups.append(waiting)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(waiting, FOLLOW_UPS_WAIT)


def age(interaction: discord.Interaction) -> float:
    """Seconds since Discord created the interaction (never negative, whatever the clocks)."""
    return max(0.0, (discord.utils.utcnow() - interaction.created_at).total_seconds())


async def when_ready(
    interaction: discord.Interaction, work: Awaitable[T], *, ephemeral: bool = True
) -> T:
    """The result of `work`, deferring the interaction first unless it is done in time."""
    started = age(interaction)
    if started >= ANSWER_IF_YOUNGER or len(_waiting) >= MAX_DIRECT:
        _defer_waiting()
        try:
            await _defer(interaction, ephemeral)
        except BaseException:
            if inspect.iscoroutine(work):
                work.close()  # nothing is done for an interaction that could not be acknowledged
            raise
        return await work
    deferring: list[asyncio.Task[Any]] = []

    def defer() -> None:
        timer.cancel()
        _waiting.pop(interaction.id, None)
        deferring.append(_defer(interaction, ephemeral))

    # A timer rather than a task for the work: the usual case, done in time, costs no more.
    timer = asyncio.get_running_loop().call_later(DEFER_AT - started, defer)
    _waiting[interaction.id] = defer
    try:
        return await work
    finally:
        if _waiting.pop(interaction.id, None) is not None:
            timer.cancel()
        if deferring:
            await deferring[0]  # the answer must follow the acknowledgement


def _defer_waiting() -> None:
    """Defer every interaction on the direct path now: the bot is behind."""
    for defer in list(_waiting.values()):
        defer()


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Answer `interaction`: as its response, or as a follow-up once it was deferred."""
    if interaction.response.is_done():
        await _after_deferrals()
        await interaction.followup.send(
            content or discord.utils.MISSING, ephemeral=ephemeral, **kwargs
        )
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)
