"""The heartbeat the bot writes for `health`: is it connected, is its scheduler alive?

With HEALTH_FILE set, the running bot writes a small JSON file every `INTERVAL` seconds
(written whole, then renamed into place) and removes it when it stops. `python -m bot health`
reads it and exits 0 only when the file is fresh, its process is alive, every shard of the
process is connected to the gateway and the scheduler is running. Docker's HEALTHCHECK
runs that command.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

INTERVAL = 15.0
# A heartbeat older than this means the process is stuck (or gone): four missed beats.
STALE_AFTER = 4 * INTERVAL


@dataclass(frozen=True)
class Pulse:
    """What one heartbeat says."""

    pid: int
    written_at: float
    shards: dict[int, float | None]
    """Each shard of this process: its gateway latency in seconds, None when disconnected."""
    ready: bool
    scheduler_alive: bool

    def to_json(self) -> str:
        return json.dumps(
            {
                "pid": self.pid,
                "written_at": self.written_at,
                "ready": self.ready,
                "shards": {str(k): v for k, v in sorted(self.shards.items())},
                "scheduler_alive": self.scheduler_alive,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Pulse:
        data = json.loads(text)
        return cls(
            pid=int(data["pid"]),
            written_at=float(data["written_at"]),
            ready=bool(data["ready"]),
            shards={int(k): v for k, v in data["shards"].items()},
            scheduler_alive=bool(data["scheduler_alive"]),
        )


@dataclass(frozen=True)
class Health:
    healthy: bool
    summary: str


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, and someone else's
    return True


def judge(pulse: Pulse | None, now: float) -> Health:
    """Whether the bot that wrote `pulse` is healthy at `now`, in one line."""
    if pulse is None:
        return Health(False, "no heartbeat: the bot is not running, or is still starting")
    age = now - pulse.written_at
    if age > STALE_AFTER:
        return Health(False, f"the last heartbeat is {age:.0f} s old: the bot is stuck or gone")
    if not _process_alive(pulse.pid):
        return Health(False, f"the bot's process ({pulse.pid}) is gone")
    down = sorted(shard for shard, latency in pulse.shards.items() if latency is None)
    if not pulse.ready or not pulse.shards or down:
        which = f" (shards {', '.join(map(str, down))})" if down else ""
        return Health(False, f"not connected to the Discord gateway{which}")
    if not pulse.scheduler_alive:
        return Health(False, "the scheduler is not running or cannot read its jobs")
    shards = ", ".join(
        f"{shard}: {round((latency or 0) * 1000)} ms" for shard, latency in pulse.shards.items()
    )
    return Health(True, f"connected (shards {shards}), scheduler alive")


def read(path: Path) -> Pulse | None:
    """The heartbeat in `path`, or None when there is none (or it cannot be read)."""
    try:
        return Pulse.from_json(path.read_text("utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write(path: Path, pulse: Pulse) -> None:
    """Write `pulse` to `path` whole: a reader never sees half a file."""
    partial = path.with_name(f".{path.name}.{pulse.pid}")
    partial.write_text(pulse.to_json(), "utf-8")
    os.replace(partial, path)


class Heartbeat:
    """Writes `pulse()` to `path` every `interval` seconds until stopped."""

    def __init__(
        self, path: Path, pulse: Callable[[], Pulse], *, interval: float = INTERVAL
    ) -> None:
        self.path = path
        self._pulse = pulse
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._task = asyncio.create_task(self._beat_forever(), name="heartbeat")

    def beat(self) -> None:
        """Write a heartbeat now."""
        try:
            write(self.path, self._pulse())
        except OSError as exc:
            log.warning("Cannot write the heartbeat to HEALTH_FILE (%s): %s", self.path, exc)

    async def _beat_forever(self) -> None:
        while True:
            self.beat()
            await asyncio.sleep(self._interval)

    async def stop(self) -> None:
        """Stop beating and remove the file: a stopped bot is not healthy."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def shard_latencies(
    latencies: list[tuple[int, float]], closed: set[int]
) -> dict[int, float | None]:
    """discord.py's (shard, latency) pairs as the heartbeat records them."""
    return {
        shard: None if shard in closed or not math.isfinite(latency) else latency
        for shard, latency in latencies
    }
