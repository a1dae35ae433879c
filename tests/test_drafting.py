"""A long reading's prompts are drafted on a process pool: the same prompts, on every core,
and an upload survives a pool that breaks."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bot import drafting
from bot.drafting import drafting_pool, parse_on_every_core
from bot.reading.importer import parse_reading
from bot.reading.prompts import PARALLEL_FROM_SECTIONS, generate_reading_prompts

SEED = Path(__file__).parents[1] / "seeds" / "mass-organizations.txt"


def _long_reading() -> list[str]:
    """The bundled essay cut small: more sections than it takes to use the pool."""
    parsed = parse_reading(SEED.read_bytes(), "essay.txt", target_words=100, with_prompts=False)
    sections = [s.text for s in parsed.sections]
    assert len(sections) >= PARALLEL_FROM_SECTIONS
    return sections


class _CountingPool(ProcessPoolExecutor):
    """A real process pool that counts the sections handed to it."""

    def __init__(self) -> None:
        super().__init__(2, mp_context=drafting._context())
        self.mapped = 0

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any], **options: Any) -> Any:
        items = list(iterables[0])
        self.mapped += len(items)
        return super().map(fn, items, **options)


class _Refusing(Executor):
    """An executor no work may reach."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a short reading was handed to the pool")


class _Broken(Executor):
    """A pool whose worker was killed (for memory, say) in the middle of a parse."""

    def map(self, *args: Any, **kwargs: Any) -> Any:
        raise BrokenProcessPool("A process in the process pool was terminated abruptly")


def test_a_long_reading_drafted_on_a_process_pool_gets_the_same_prompts() -> None:
    sections = _long_reading()
    here = generate_reading_prompts(sections, language="en")
    with _CountingPool() as pool:
        there = generate_reading_prompts(sections, language="en", executor=pool)
    assert pool.mapped == len(sections)
    assert there == here
    assert sum(len(s.prompts) for s in there) >= 3 * len(sections) // 2


def test_a_short_reading_is_drafted_in_the_calling_thread() -> None:
    sections = _long_reading()[: PARALLEL_FROM_SECTIONS - 1]
    drafted = generate_reading_prompts(sections, language="en", executor=_Refusing())
    assert drafted == generate_reading_prompts(sections, language="en")


def test_a_broken_pool_costs_time_not_the_upload(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    @contextmanager
    def broken_pool() -> Iterator[Executor]:
        yield _Broken()

    monkeypatch.setattr(drafting, "drafting_pool", broken_pool)
    data = SEED.read_bytes()
    with caplog.at_level(logging.DEBUG):
        parsed = parse_on_every_core(data, "essay.txt", target_words=100)
    assert parsed == parse_reading(data, "essay.txt", target_words=100)
    assert "drafting in this thread instead" in caplog.text
    first_words = " ".join(parsed.sections[0].text.split()[:4])
    assert first_words not in caplog.text


def test_an_upload_is_parsed_on_every_core_as_it_would_be_in_one() -> None:
    data = SEED.read_bytes()
    on_every_core = parse_on_every_core(data, "essay.txt", title="Essay", target_words=100)
    assert on_every_core == parse_reading(data, "essay.txt", title="Essay", target_words=100)


def test_one_core_drafts_in_the_calling_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drafting.os, "sched_getaffinity", lambda pid: {0})
    with drafting_pool() as pool:
        assert pool is None


def test_two_cores_get_a_pool_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(drafting.os, "sched_getaffinity", lambda pid: set(range(8)))
    with drafting_pool() as pool:
        assert isinstance(pool, ProcessPoolExecutor)
        assert pool._max_workers == drafting.MAX_WORKERS


OWNER = """
import os, sys, time
from bot.drafting import drafting_pool
with drafting_pool() as pool:
    workers = {pool.submit(os.getpid).result() for _ in range(4)}
    print("ready", flush=True)
    time.sleep(120)
"""


def _descendants(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue  # ended meanwhile
        children.setdefault(parent, set()).add(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.add(child)
            todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_bot_leaves_no_drafting_process_behind() -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=Path(__file__).parents[1],
    )
    try:
        assert owner.stdout is not None
        assert owner.stdout.readline().strip() == "ready"
        started = _descendants(owner.pid)
        assert len(started) >= 3  # the fork server and two workers, at least
    finally:
        owner.kill()
        owner.wait()
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in started if _running(pid)]
