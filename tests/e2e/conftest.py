"""End-to-end tests: `python -m bot …` as a separate process against the fake Discord."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests.e2e.forkserver import ForkedProcess, ForkServer
from tests.environment import BOT_ENVIRONMENT
from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]
# What every bot process a test starts runs with.
PROCESS_ENV = {
    "PYTHONPATH": str(ROOT),
    "PYTHONUNBUFFERED": "1",
    # Show ResourceWarnings (unclosed sessions) but not discord.py's own audioop notice.
    "PYTHONWARNINGS": "default,ignore::DeprecationWarning:discord.player",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


class BotProcess:
    """`python -m bot <args>` with its stderr collected line by line."""

    def __init__(self, process: asyncio.subprocess.Process | ForkedProcess) -> None:
        self.process = process
        self.lines: list[str] = []
        self.stdout = ""
        self._stderr = asyncio.create_task(self._collect())

    async def _collect(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    async def wait(self, timeout: float = 30.0) -> int:  # noqa: ASYNC109
        """Wait for the process to end; returns its exit code."""
        assert self.process.stdout is not None
        out = await asyncio.wait_for(self.process.stdout.read(), timeout)
        self.stdout = out.decode()
        code = await asyncio.wait_for(self.process.wait(), timeout)
        await self._stderr
        return code

    async def stop(
        self,
        sig: signal.Signals = signal.SIGTERM,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> tuple[int, float]:
        """Send `sig`; returns the exit code and how long the process took to exit."""
        started = time.monotonic()
        self.process.send_signal(sig)
        code = await self.wait(timeout)
        return code, time.monotonic() - started

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()


def bot_env(fake: FakeDiscord, database_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in BOT_ENVIRONMENT}
    env.update(
        {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_BASE": fake.api_base,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
            **PROCESS_ENV,
        }
    )
    env.update(overrides)
    return env


@pytest.fixture
def process_database_url(tmp_path: Path) -> str:
    """A SQLite file the process will create and migrate itself."""
    return f"sqlite+aiosqlite:///{tmp_path / 'data' / 'study-circle.db'}"


@pytest.fixture
async def start_bot(tmp_path: Path) -> AsyncIterator[object]:
    """Start `python -m bot <args>` (cwd is an empty folder, so no .env is read)."""

    async def launch(args: tuple[str, ...], env: Mapping[str, str]) -> BotProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            cwd=tmp_path,
            env=dict(env),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return BotProcess(process)

    async with _started_processes(launch) as start:
        yield start


@pytest.fixture(scope="session")
def fork_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    """One fork server per test worker (tests/e2e/forkserver.py), started on first use."""
    env = {k: v for k, v in os.environ.items() if k not in BOT_ENVIRONMENT}
    env.update(PROCESS_ENV)
    server = ForkServer(tmp_path_factory.mktemp("forkserver"), env)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
async def forked_bot(tmp_path: Path, fork_server: ForkServer) -> AsyncIterator[object]:
    """`start_bot` for tests that start the bot many times: each `python -m bot <args>` is a
    fork of a process that has imported the bot already (tests/e2e/forkserver.py)."""

    async def launch(args: tuple[str, ...], env: Mapping[str, str]) -> BotProcess:
        return BotProcess(await fork_server.start(list(args), env, tmp_path))

    async with _started_processes(launch) as start:
        yield start


@contextlib.asynccontextmanager
async def _started_processes(
    launch: Callable[[tuple[str, ...], Mapping[str, str]], Awaitable[BotProcess]],
) -> AsyncIterator[Callable[..., Awaitable[BotProcess]]]:
    """A `start(*args, env=…)` that kills what it started when the test ends."""
    processes: list[BotProcess] = []

    async def start(*args: str, env: Mapping[str, str]) -> BotProcess:
        processes.append(await launch(args, env))
        return processes[-1]

    try:
        yield start
    finally:
        for bot_process in processes:
            bot_process.kill()
            with contextlib.suppress(Exception):
                await bot_process.wait(5)
