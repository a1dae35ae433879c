"""Knowing when a bot in this process has finished handling an interaction.

discord.py starts a task for each interaction it receives (the command, the component's or
the modal's callback, each `on_interaction` listener), and those tasks may start more. For a
bot that `running_bot` started, the fake wraps the bot's INTERACTION_CREATE parser so these
tasks are made with the interaction's id in a context variable, which every task they start
inherits; a task factory on the loop files each such task under its interaction. The
interaction is handled once every one of its tasks is done or is waiting for time to pass,
longer than the quiet spell a bot elsewhere gets (a tally's next edit, a view's timeout:
later steps, as on Discord; a short pause, like a rate limit's, is waited out).

`FakeDiscord.interact` waits for that instead of for a quiet spell. A bot in another process
(`python -m bot`) is not seen here: its interactions settle on a quiet spell as before.
"""

from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections.abc import Callable, Coroutine, Generator
from typing import Any

import discord

_HANDLING: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "fake_discord_interaction", default=None
)
_TaskFactory = Callable[..., "asyncio.Future[Any]"]


class InteractionTasks:
    """The tasks that bots in this process run for each interaction, by interaction id."""

    def __init__(self) -> None:
        self._tasks: dict[int, weakref.WeakSet[asyncio.Future[Any]]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: _TaskFactory | None = None
        # The parsers `watch` put in place, so that a bot this fake watches again is wrapped once.
        self._wrappers: weakref.WeakSet[Callable[[Any], None]] = weakref.WeakSet()

    def watch(self, bot: discord.Client) -> None:
        """File the tasks `bot` starts for each interaction it receives (call before login)."""
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
            self._previous = loop.get_task_factory()
            loop.set_task_factory(self._make_task)
        parsers: dict[str, Callable[[Any], None]] = bot._connection.parsers
        parse = parsers["INTERACTION_CREATE"]
        if parse in self._wrappers:
            return

        def parse_watched(data: dict[str, Any]) -> None:
            interaction_id = int(data["id"])
            self._tasks.setdefault(interaction_id, weakref.WeakSet())
            token = _HANDLING.set(interaction_id)
            try:
                parse(data)
            finally:
                _HANDLING.reset(token)

        self._wrappers.add(parse_watched)
        parsers["INTERACTION_CREATE"] = parse_watched

    def close(self) -> None:
        """Give the loop its task factory back."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.set_task_factory(self._previous)
        self._loop = None

    def _make_task(
        self,
        loop: asyncio.AbstractEventLoop,
        coro: Coroutine[Any, Any, Any] | Generator[Any, None, Any],
        **options: Any,
    ) -> asyncio.Future[Any]:
        if self._previous is not None:
            task = self._previous(loop, coro, **options)
        else:
            task = asyncio.Task(coro, loop=loop, **options)
        # A task given a context of its own (the database's request batches) is not the
        # interaction's: whoever waits on its work is.
        context = options.get("context")
        interaction_id = context.get(_HANDLING) if context is not None else _HANDLING.get()
        if interaction_id is not None and interaction_id in self._tasks:
            self._tasks[interaction_id].add(task)
        return task

    def seen(self, interaction_id: int) -> bool:
        """Whether a bot in this process received the interaction."""
        return interaction_id in self._tasks

    def busy(self, interaction_id: int, *, pause: float) -> list[asyncio.Future[Any]]:
        """The interaction's tasks still at work: not done, and not waiting for more than
        `pause` seconds to pass."""
        tasks = self._tasks.get(interaction_id, ())
        return [task for task in tasks if not task.done() and _time_left(task) <= pause]


def _time_left(task: asyncio.Future[Any]) -> float:
    """How long `task` still sleeps in `asyncio.sleep` (0 if it is not sleeping)."""
    if not isinstance(task, asyncio.Task):
        return 0.0
    coro: Any = task.get_coro()
    while True:
        inner = getattr(coro, "cr_await", None)
        if inner is None or not hasattr(inner, "cr_await"):
            break
        coro = inner
    if getattr(coro, "cr_code", None) is not _SLEEP_CODE or coro.cr_frame is None:
        return 0.0
    # `sleep(delay)` waits on a timer it keeps in `h` (`sleep(0)` has none).
    timer = coro.cr_frame.f_locals.get("h")
    if not isinstance(timer, asyncio.TimerHandle):
        return 0.0
    return timer.when() - task.get_loop().time()


_SLEEP_CODE = asyncio.sleep.__code__
