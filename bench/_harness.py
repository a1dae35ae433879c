"""What the benchmarks share: the fake Discord with timings, bot processes measured through
/proc, throwaway databases, and the machine's description.

Run the benchmarks from the repository root (`.venv/bin/python -m bench.burst`); they import
the fake Discord from `tests/fakediscord`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.permissions import permissions_value  # noqa: E402
from tests.fakediscord import FakeDiscord  # noqa: E402
from tests.fakediscord.gateway import GatewaySession  # noqa: E402
from tests.fakediscord.protocol import RecordedRequest  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


# --- the fake Discord, timed ---------------------------------------------------------------


class TimedFake(FakeDiscord):
    """The fake Discord, noting when each interaction was sent, acknowledged and answered."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("bot_permissions", permissions_value())
        super().__init__(**options)
        self.sent_at: dict[int, float] = {}
        self.acked_at: dict[int, float] = {}
        self.answered_at: dict[int, float] = {}
        # When set, interactions go to these gateway sessions only: two bots can stay logged
        # in while each burst is sent to one of them.
        self.audience: Sequence[GatewaySession] | None = None

    def _wants(
        self, session: GatewaySession, event: str, guild_id: int | None, about_self: bool
    ) -> bool:
        if (
            event == "INTERACTION_CREATE"
            and self.audience is not None
            and not any(session is chosen for chosen in self.audience)
        ):
            return False
        return super()._wants(session, event, guild_id, about_self)

    def new_sessions(self, known: Sequence[GatewaySession]) -> list[GatewaySession]:
        """The ready gateway sessions not among `known`: those of the bot that just logged in."""
        return [
            s for s in self.sessions if s.ready and not s.closed and not any(s is k for k in known)
        ]

    async def _interaction_callback(
        self, record: RecordedRequest, interaction_id: str, token: str
    ) -> Any:
        try:
            return await super()._interaction_callback(record, interaction_id, token)
        finally:
            result = self._by_token.get(token)
            if result is not None and result.id not in self.acked_at:
                now = time.monotonic()
                self.acked_at[result.id] = now
                # A message answer (type 4), a modal or an autocomplete is the answer itself.
                if result.callback_type not in (5, 6):
                    self.answered_at[result.id] = now

    async def _followup(self, record: RecordedRequest, webhook_id: str, token: str) -> Any:
        try:
            return await super()._followup(record, webhook_id, token)
        finally:
            result = self._by_token.get(token)
            if result is not None:
                self.answered_at.setdefault(result.id, time.monotonic())

    async def send_at_once(self, payloads: Sequence[dict[str, Any]]) -> list[int]:
        """Register and dispatch every payload back to back; returns their ids."""
        ids = []
        for payload in payloads:
            # Discord makes the interaction (its id, and the time in it) when the member
            # clicks, just before the gateway sends it; payloads built ahead would age it.
            payload["id"] = str(self.state.snowflakes.next())
            result = self._register(payload)
            guild_id = int(payload["guild_id"]) if "guild_id" in payload else None
            result.created_at = self.sent_at[result.id] = time.monotonic()
            if not await self.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id):
                raise RuntimeError("no bot connected to receive the burst")
            ids.append(result.id)
        return ids

    def forget(self) -> None:
        """Drop the request log, the interactions and ephemeral messages between runs, so
        the fake does the same work for each bot measured."""
        self.requests.clear()
        self.interactions.clear()
        self._by_token.clear()
        self.sent_at.clear()
        self.acked_at.clear()
        self.answered_at.clear()
        for messages in self.state.messages.values():
            for message_id in [m.id for m in messages.values() if m.ephemeral]:
                del messages[message_id]


# --- processes -----------------------------------------------------------------------------


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of `pid`, in kB."""
    found: dict[str, int] = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0])
    return found


def proc_cpu_seconds(pid: int) -> float:
    """User plus system CPU time `pid` has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class Process:
    """A child process whose stderr lines are kept with the moment each arrived."""

    process: asyncio.subprocess.Process
    started_at: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    _reader: asyncio.Task[None] | None = None

    @classmethod
    async def start(
        cls, args: Sequence[str], env: Mapping[str, str], cwd: Path | None = None
    ) -> Process:
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            *args,
            env=dict(env),
            cwd=cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self = cls(process, started)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append((time.monotonic(), raw.decode("utf-8", "replace").rstrip("\n")))

    @property
    def pid(self) -> int:
        return self.process.pid

    def line_at(self, text: str) -> float | None:
        """When the first stderr line containing `text` arrived."""
        return next((at for at, line in self.lines if text in line), None)

    async def wait_for_line(self, text: str, timeout: float = 60.0) -> float:  # noqa: ASYNC109
        deadline = time.monotonic() + timeout
        while (at := self.line_at(text)) is None:
            if self.process.returncode is not None or time.monotonic() > deadline:
                tail = "\n".join(line for _, line in self.lines[-20:])
                raise RuntimeError(f"no line with {text!r} from the process:\n{tail}")
            await asyncio.sleep(0.01)
        return at

    async def stop(self, timeout: float = 20.0) -> int:  # noqa: ASYNC109
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
        if self._reader is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._reader, 5)
        return code

    @property
    def stderr(self) -> str:
        return "\n".join(line for _, line in self.lines)


def bot_env(fake: FakeDiscord, database_url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISCORD_TOKEN", "DEV_GUILD_ID", "SHARD_COUNT", "SHARD_IDS")
    }
    env.update(
        {
            "DISCORD_TOKEN": fake.token,
            "DISCORD_API_BASE": fake.api_base,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "INFO",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def bot_command() -> list[str]:
    """`python -m bot run` with this interpreter."""
    return [sys.executable, "-m", "bot", "run"]


# --- databases -----------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def throwaway_database(kind: str, server_url: str | None) -> AsyncIterator[str]:
    """A fresh, empty database: a SQLite file in a temporary folder, or a new database on
    the PostgreSQL server at `server_url` (dropped afterwards)."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="study-circle-bench-"))
        try:
            yield f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    if not server_url:
        raise SystemExit("--database postgres needs --database-url (or BENCH_DATABASE_URL)")
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from bot.db.engine import make_engine

    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"sc_bench_{uuid.uuid4().hex[:10]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def database_server_url(cli_value: str | None) -> str | None:
    return cli_value or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")


def describe_backend(url: str) -> str:
    if url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file, WAL)"
    return "PostgreSQL (asyncpg)"


# --- reporting -----------------------------------------------------------------------------


def machine() -> str:
    """One line: date, cores, memory, CPU model, Python."""
    cpu = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if "model name" in line), "")
    memory = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        memory = subprocess.run(
            ["free", "-h"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[1]
        memory = " ".join(memory.split()[:2])
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · nproc {os.cpu_count()} · {memory} · "
        f"{cpu} · Python {platform.python_version()}"
    )


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share in 0..1)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def command_line() -> str:
    return (
        "python -m "
        + Path(sys.argv[0]).with_suffix("").name.join(["bench.", ""])
        + (" " + " ".join(sys.argv[1:]) if sys.argv[1:] else "")
    )
