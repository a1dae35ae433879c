"""Every core for drafting a long reading's prompts.

Drafting is nearly all of a parse's CPU (3 of 3.3 s for a 1 MB book) and each section's
candidates are drafted apart from the others', so a long reading's sections are handed to a
process pool (`generate_reading_prompts`). The pool lives for one parse: its workers are gone
once the reading is parsed. They are forked from a fork server that has imported the prompt
engine already, so a worker is ready in milliseconds and loads its language's lexicon once
(about 0.1 s). The fork server starts the first time a pool is needed, not at start-up; it,
not the bot (whose threads may hold locks), is what is forked.

One parse at a time has a pool: an upload arriving meanwhile is drafted in its own thread,
so that two or three books at once cost no more memory than one. Where no pool can be made
(no fork server, no shared memory for its queues) or a worker dies, the reading is drafted
in the calling thread: slower, never lost.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import select
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import cache
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Unpack

from bot.parsing import parse_reading
from bot.reading.importer import ParsedReading, ParseOptions

log = logging.getLogger(__name__)

#: Each worker holds a drafted share of the book (about 50 MB for 1 MB of text): two is what
#: a 2-core machine can use, and a bound on the memory one upload takes.
MAX_WORKERS = 2

#: Where a container's CPU limit is read: `cpu.max` (cgroup v2), or `cpu/cpu.cfs_quota_us` and
#: `cpu/cpu.cfs_period_us` (cgroup v1).
CGROUP = Path("/sys/fs/cgroup")

# One pool at a time; taken without waiting (`drafting_pool`).
_one_pool = threading.Lock()


@cache
def mp_context() -> BaseContext:
    """How a pool's workers start: forked from a server that has imported the prompt engine."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bot.reading.prompts.engine"])
    return context


def cpu_quota(cgroup: Path = CGROUP) -> float | None:
    """The cores a container's CPU limit allows (`docker run --cpus`, a Kubernetes limit),
    None where there is no limit: affinity alone shows the host's cores."""
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()
        if quota != "max":
            return int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota_us, period_us = (
            int((cgroup / "cpu" / name).read_text())
            for name in ("cpu.cfs_quota_us", "cpu.cfs_period_us")
        )
    except (OSError, ValueError):
        return None
    return quota_us / period_us if quota_us > 0 else None


def workers(cgroup: Path = CGROUP) -> int:
    """How many processes a pool gets: the cores this process may run on (its affinity and
    its container's CPU limit), up to MAX_WORKERS; 1 means drafting stays in the thread."""
    cores = float(len(os.sched_getaffinity(0)))
    quota = cpu_quota(cgroup)
    if quota is not None:
        cores = min(cores, quota)
    return max(1, min(int(cores), MAX_WORKERS))


@contextmanager
def drafting_pool() -> Iterator[Executor | None]:
    """A process pool for one parse, or None: on a machine (or container) with one core,
    while another parse has the pool, or where no pool can be made. Its workers start only
    if the reading is long enough to be drafted on them (`PARALLEL_FROM_SECTIONS`)."""
    count = workers()
    if count < 2 or not _one_pool.acquire(blocking=False):
        yield None
        return
    try:
        try:
            pool = ProcessPoolExecutor(
                count, mp_context=mp_context(), initializer=_worker_start, initargs=(os.getpid(),)
            )
        except (OSError, NotImplementedError, ImportError) as exc:
            log.warning("No drafting pool on this machine (%r); drafting in one thread", exc)
            yield None
            return
        with pool:
            yield pool
    finally:
        _one_pool.release()


def _worker_start(owner: int) -> None:
    """Ready a worker: no cyclic collector (drafting makes no reference cycles,
    bot/gc_pause.py, and the worker ends with the parse); no end on the signals
    that stop the bot (systemd sends them to every process of the service: the bot stops the
    pool itself, and a worker stopped first would only have the reading drafted again); and an
    end of its own if the bot is killed: a worker waits for work on a queue it holds both ends
    of, so it would otherwise wait for ever, and keep the fork server alive."""
    gc.disable()
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        owner_ended = os.pidfd_open(owner)
    except ProcessLookupError:
        os._exit(1)  # the bot is gone already
    except (AttributeError, OSError) as exc:
        # Before Linux 5.3, or a seccomp profile refusing pidfd_open: only the pool's
        # shutdown ends the worker.
        log.debug("A drafting worker cannot watch the bot (%r)", exc)
        return
    threading.Thread(
        target=_exit_when_ended, args=(owner_ended,), name="drafting-owner", daemon=True
    ).start()


def _exit_when_ended(owner_ended: int) -> None:
    watch = select.poll()
    watch.register(owner_ended, select.POLLIN)
    watch.poll()  # readable once the owner has ended
    os._exit(1)


def parse_on_every_core(
    data: bytes, source_name: str, **options: Unpack[ParseOptions]
) -> ParsedReading:
    """`bot.parsing.parse_reading(data, source_name, **options)`, a long reading's prompts
    drafted on a process pool. A pool that breaks (a worker killed for memory) costs time,
    not the upload: the reading is parsed again in this thread. Blocking: run it in a worker
    thread."""
    try:
        with drafting_pool() as pool:
            return parse_reading(data, source_name, executor=pool, **options)
    except (BrokenProcessPool, OSError) as exc:
        log.warning("The drafting pool failed (%r); drafting in this thread instead", exc)
        return parse_reading(data, source_name, **options)
