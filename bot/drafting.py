"""Every core for drafting a long reading's prompts.

Drafting is nearly all of a parse's CPU (3 of 3.3 s for a 1 MB book) and each section's
candidates are drafted apart from the others', so a long reading's sections are handed to a
process pool (`generate_reading_prompts`). The pool lives for one parse: its workers are gone
once the reading is parsed. They are forked from a fork server that has imported the prompt
engine already, so a worker is ready in milliseconds and loads its language's lexicon once
(about 0.1 s). The fork server starts the first time a pool is needed, not at start-up; it,
not the bot (whose threads may hold locks), is what is forked.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import select
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import cache, partial
from multiprocessing.context import BaseContext

from bot.reading.importer import ParsedReading, parse_reading
from bot.reading.prompts import TextKind
from bot.reading.sections import DEFAULT_TARGET_WORDS

log = logging.getLogger(__name__)

#: More workers than two gain little on books and cost memory on small machines.
MAX_WORKERS = 2


@cache
def _context() -> BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bot.reading.prompts.engine"])
    return context


def workers() -> int:
    """How many processes a pool gets: the cores this process may run on, up to
    MAX_WORKERS; 1 means drafting stays in the calling thread."""
    return min(len(os.sched_getaffinity(0)), MAX_WORKERS)


@contextmanager
def drafting_pool() -> Iterator[Executor | None]:
    """A process pool for one parse, or None on a machine with one core. Its workers start
    only if the reading is long enough to be drafted on them (`PARALLEL_FROM_SECTIONS`)."""
    count = workers()
    if count < 2:
        yield None
        return
    with ProcessPoolExecutor(
        count, mp_context=_context(), initializer=_worker_start, initargs=(os.getpid(),)
    ) as pool:
        yield pool


def _worker_start(owner: int) -> None:
    """Ready a worker: no cyclic collector (drafting makes no reference cycles,
    bot/reading/collector.py, and the worker ends with the parse), and an end of its own if
    the process that made the pool is killed: a worker waits for work on a queue it holds
    both ends of, so it would otherwise wait for ever, and keep the fork server alive."""
    gc.disable()
    try:
        owner_ended = os.pidfd_open(owner)
    except (AttributeError, OSError):
        return  # before Linux 5.3: only the pool's shutdown ends the worker
    threading.Thread(
        target=_exit_when_ended, args=(owner_ended,), name="drafting-owner", daemon=True
    ).start()


def _exit_when_ended(owner_ended: int) -> None:
    select.select([owner_ended], [], [])  # readable once the owner has ended
    os._exit(1)


def parse_on_every_core(
    data: bytes,
    source_name: str,
    *,
    title: str | None = None,
    language: str | None = None,
    kind: TextKind | None = None,
    target_words: int = DEFAULT_TARGET_WORDS,
) -> ParsedReading:
    """`parse_reading`, a long reading's prompts drafted on a process pool. A pool that
    breaks (a worker killed for memory) costs time, not the upload: the reading is parsed
    again in this thread. Blocking: call it in a worker thread from the event loop."""
    parse = partial(
        parse_reading,
        data,
        source_name,
        title=title,
        language=language,
        kind=kind,
        target_words=target_words,
    )
    try:
        with drafting_pool() as pool:
            return parse(executor=pool)
    except BrokenProcessPool as exc:
        log.warning("The drafting pool broke (%s); drafting in this thread instead", exc)
        return parse()
