"""A long reading's prompts are drafted on a process pool: the same prompts, on every core;
one pool at a time, no more workers than the cores allowed; and an upload survives a pool
that cannot start or breaks, and a killed bot leaves no worker behind."""

from __future__ import annotations

import logging
import os
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
from bot.parsing import parse_reading
from bot.reading.prompts import PARALLEL_FROM_SECTIONS, generate_reading_prompts
from tests.processes import descendants, running

SEED = Path(__file__).parents[1] / "seeds" / "mass-organizations.txt"


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with two cores and no container limit, whatever this one is."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(drafting, "cpu_quota", lambda cgroup: None)


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _long_reading() -> list[str]:
    """The bundled essay cut small: more sections than it takes to use the pool."""
    parsed = parse_reading(SEED.read_bytes(), "essay.txt", target_words=100, with_prompts=False)
    sections = [s.text for s in parsed.sections]
    assert len(sections) >= PARALLEL_FROM_SECTIONS
    return sections


class _CountingPool(ProcessPoolExecutor):
    """A real process pool that counts the sections handed to it."""

    def __init__(self) -> None:
        super().__init__(2, mp_context=drafting.mp_context())
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


@pytest.mark.usefixtures("two_cores")
def test_an_upload_is_parsed_on_every_core_as_it_would_be_in_one() -> None:
    data = SEED.read_bytes()
    on_every_core = parse_on_every_core(data, "essay.txt", title="Essay", target_words=100)
    assert on_every_core == parse_reading(data, "essay.txt", title="Essay", target_words=100)


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


@pytest.mark.usefixtures("two_cores")
def test_a_machine_that_cannot_make_a_pool_drafts_in_one_thread(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_shared_memory(*args: Any, **kwargs: Any) -> ProcessPoolExecutor:
        raise OSError(38, "Function not implemented")  # no sem_open, as on some platforms

    monkeypatch.setattr(drafting, "ProcessPoolExecutor", no_shared_memory)
    with caplog.at_level(logging.WARNING), drafting_pool() as pool:
        assert pool is None
    assert "No drafting pool on this machine" in caplog.text
    data = SEED.read_bytes()
    parsed = parse_on_every_core(data, "essay.txt", target_words=100)
    assert parsed == parse_reading(data, "essay.txt", target_words=100)


@pytest.mark.usefixtures("two_cores")
def test_one_parse_at_a_time_has_the_pool() -> None:
    with drafting_pool() as first, drafting_pool() as second:
        assert isinstance(first, ProcessPoolExecutor)
        assert second is None
    with drafting_pool() as after:
        assert isinstance(after, ProcessPoolExecutor)


@pytest.mark.usefixtures("two_cores")
def test_a_pool_has_at_most_max_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(8)))
    with drafting_pool() as pool:
        assert pool is not None
        pids = {f.result() for f in [pool.submit(_pid_after, 0.3) for _ in range(6)]}
    assert len(pids) == drafting.MAX_WORKERS


def test_one_core_drafts_in_the_calling_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    with drafting_pool() as pool:
        assert pool is None


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"cpu.max": "100000 100000"}, 1),  # docker run --cpus=1, cgroup v2
        ({"cpu.max": "150000 100000"}, 1),
        ({"cpu.max": "max 100000"}, 2),  # no limit
        ({"cpu/cpu.cfs_quota_us": "50000", "cpu/cpu.cfs_period_us": "100000"}, 1),  # cgroup v1
        ({"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"}, 2),
        ({}, 2),  # neither: not in a container
    ],
)
def test_a_container_s_cpu_limit_bounds_the_workers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, files: dict[str, str], expected: int
) -> None:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(content + "\n")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert drafting.workers(tmp_path) == expected


OWNER = """
import time
from bot import drafting
drafting.workers = lambda: 2  # whatever the machine running the test has
with drafting.drafting_pool() as pool:
    started = [pool.submit(time.sleep, 0.3) for _ in range(2)]  # both workers busy: two
    for future in started:
        future.result()
    print("ready", flush=True)
    time.sleep(120)
"""


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
        started = descendants(owner.pid)
        workers = [pid for pid, parent in started.items() if parent != owner.pid]
        assert len(workers) == 2  # forked by the fork server, not by the bot
    finally:
        owner.kill()
        owner.wait()
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in started if running(pid)]
