"""The one way to answer an interaction: `when_ready` for the work, `reply` or `update` for
the answer.

Discord wants an interaction acknowledged within 3 s. Deferring ("thinking…") at once is
always safe, but it costs a second request for the answer; when a whole server clicks at
once, that second request is a large part of the bot's work. So a handler awaits its work
through `when_ready`: if the work is done soon after Discord created the interaction, the
answer is the acknowledgement; if not (a slow database, a long queue of events), the
interaction is deferred while the work goes on, and the answer goes as a follow-up (or, for
`update`, as an edit of the message). The interaction's age comes from its snowflake and the
host's clock (kept right by NTP).

A handler that starts late tells the bot it is behind a queue of events: then every
interaction still waiting on the direct path is deferred at once too, before the deferrals of
the events queued behind it, rather than by its own timer, which a loop that busy fires late.
And while deferrals are on their way, follow-ups wait (a few seconds at most): an answer may
come up to 15 minutes after its acknowledgement, an acknowledgement only within 3 s.

    receipt = await when_ready(interaction, service.ballots.cast(...))
    await reply(interaction, render.receipt_text(receipt))

A component that changes its own message passes `edit=True` and answers with `update`. A
modal is the one answer that cannot wait: open it with `interaction.response.send_modal`
before any database work. The state (what waits, what is on its way) is the bot's
`answers`, an `Answers` built with the bot.
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


def age(interaction: discord.Interaction) -> float:
    """Seconds since Discord created the interaction (never negative, whatever the clocks)."""
    return max(0.0, (discord.utils.utcnow() - interaction.created_at).total_seconds())


class Answers:
    """One bot's interactions being answered: those on the direct path (each with its
    deferral, to be called at most once), the deferrals on their way, the follow-ups waiting."""

    def __init__(self) -> None:
        self.waiting: dict[int, Callable[[], None]] = {}
        self.deferring = 0
        self.follow_ups: list[asyncio.Future[None]] = []

    async def when_ready(
        self,
        interaction: discord.Interaction,
        work: Awaitable[T],
        *,
        ephemeral: bool = True,
        edit: bool = False,
    ) -> T:
        """The result of `work`, deferring the interaction first unless it is done in time."""
        started = age(interaction)
        if started >= ANSWER_IF_YOUNGER or len(self.waiting) >= MAX_DIRECT:
            self.defer_waiting()
            try:
                await self._defer(interaction, ephemeral, edit)
            except BaseException:
                if inspect.iscoroutine(work):
                    # Nothing is done for an interaction that could not be acknowledged.
                    work.close()
                raise
            return await work
        deferring: list[asyncio.Task[Any]] = []

        def defer() -> None:
            timer.cancel()
            self.waiting.pop(interaction.id, None)
            deferring.append(self._defer(interaction, ephemeral, edit))

        # A timer rather than a task for the work: the usual case, done in time, costs no more.
        timer = asyncio.get_running_loop().call_later(DEFER_AT - started, defer)
        self.waiting[interaction.id] = defer
        try:
            return await work
        finally:
            if self.waiting.pop(interaction.id, None) is not None:
                timer.cancel()
            if deferring:
                await deferring[0]  # the answer must follow the acknowledgement

    def defer_waiting(self) -> None:
        """Defer every interaction on the direct path now: the bot is behind."""
        for defer in list(self.waiting.values()):
            defer()

    def _defer(
        self, interaction: discord.Interaction, ephemeral: bool, edit: bool
    ) -> asyncio.Task[Any]:
        self.deferring += 1
        acknowledge = (
            interaction.response.defer()
            if edit
            else interaction.response.defer(ephemeral=ephemeral, thinking=True)
        )
        task = asyncio.ensure_future(acknowledge)
        task.add_done_callback(self._deferred)
        return task

    def _deferred(self, _: object) -> None:
        self.deferring -= 1
        if self.deferring == 0:
            for waiting in self.follow_ups:
                if not waiting.done():
                    waiting.set_result(None)
            self.follow_ups.clear()

    async def after_deferrals(self) -> None:
        """Wait until no deferral is on its way (or FOLLOW_UPS_WAIT has passed)."""
        if self.deferring == 0:
            return
        waiting = asyncio.get_running_loop().create_future()
        self.follow_ups.append(waiting)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiting, FOLLOW_UPS_WAIT)

    async def reply(
        self,
        interaction: discord.Interaction,
        content: str | None = None,
        *,
        ephemeral: bool = True,
        **kwargs: Any,
    ) -> None:
        """Answer with a message: as the response, or as a follow-up once deferred."""
        if interaction.response.is_done():
            await self.after_deferrals()
            await interaction.followup.send(
                content or discord.utils.MISSING, ephemeral=ephemeral, **kwargs
            )
        else:
            await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)

    async def update(self, interaction: discord.Interaction, **kwargs: Any) -> None:
        """Answer a component by editing its message: as the response, or once deferred."""
        if interaction.response.is_done():
            await self.after_deferrals()
            await interaction.edit_original_response(**kwargs)
        else:
            await interaction.response.edit_message(**kwargs)


def answers_of(interaction: discord.Interaction) -> Answers:
    """The `Answers` of the bot that received `interaction`."""
    return interaction.client.answers  # type: ignore[attr-defined,no-any-return]


async def when_ready(
    interaction: discord.Interaction,
    work: Awaitable[T],
    *,
    ephemeral: bool = True,
    edit: bool = False,
) -> T:
    """The result of `work`, deferring the interaction first unless it is done in time;
    `edit=True` for a component whose answer edits its own message (see `update`)."""
    return await answers_of(interaction).when_ready(
        interaction, work, ephemeral=ephemeral, edit=edit
    )


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    ephemeral: bool = True,
    **kwargs: Any,
) -> None:
    """Answer `interaction` with a message (ephemeral unless told otherwise)."""
    await answers_of(interaction).reply(interaction, content, ephemeral=ephemeral, **kwargs)


async def update(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Answer a component by editing the message it is on (content, embed, view…)."""
    await answers_of(interaction).update(interaction, **kwargs)
