"""`health` judges the heartbeat the bot writes: fresh, from a live process, every shard
connected, the scheduler running. Anything else is unhealthy, with the reason."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TypedDict, Unpack

from bot import heartbeat
from bot.heartbeat import Pulse

NOW = 1_900_000_000.0


class PulseChanges(TypedDict, total=False):
    """Any of a `Pulse`'s fields."""

    pid: int
    written_at: float
    shards: dict[int, float | None]
    ready: bool
    scheduler_alive: bool


def _pulse(**changes: Unpack[PulseChanges]) -> Pulse:
    """A healthy pulse of this process, 5 s old; `changes` replace any of its fields."""
    healthy = Pulse(
        pid=os.getpid(),
        written_at=NOW - 5,
        ready=True,
        shards={0: 0.042, 1: 0.05},
        scheduler_alive=True,
    )
    return replace(healthy, **changes)


def test_a_fresh_connected_pulse_with_a_live_scheduler_is_healthy() -> None:
    health = heartbeat.judge(_pulse(), NOW)

    assert health.healthy
    assert health.summary == "connected (shards 0: 42 ms, 1: 50 ms), scheduler alive"


def test_no_heartbeat_is_unhealthy() -> None:
    assert not heartbeat.judge(None, NOW).healthy


def test_a_stale_heartbeat_is_unhealthy() -> None:
    health = heartbeat.judge(_pulse(written_at=NOW - heartbeat.STALE_AFTER - 1), NOW)

    assert not health.healthy
    assert "stuck or gone" in health.summary


def test_a_heartbeat_from_a_dead_process_is_unhealthy(tmp_path: Path) -> None:
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)

    health = heartbeat.judge(_pulse(pid=dead), NOW)

    assert not health.healthy
    assert "is gone" in health.summary


def test_a_disconnected_shard_is_unhealthy() -> None:
    health = heartbeat.judge(_pulse(shards={0: 0.04, 1: None}), NOW)

    assert not health.healthy
    assert health.summary == "not connected to the Discord gateway (shards 1)"


def test_a_bot_not_yet_ready_is_unhealthy() -> None:
    assert not heartbeat.judge(_pulse(ready=False), NOW).healthy
    assert not heartbeat.judge(_pulse(shards={}), NOW).healthy


def test_a_dead_scheduler_is_unhealthy() -> None:
    health = heartbeat.judge(_pulse(scheduler_alive=False), NOW)

    assert not health.healthy
    assert "scheduler" in health.summary


def test_the_heartbeat_file_is_written_whole_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat.json"
    pulse = _pulse()

    heartbeat.write(path, pulse)

    assert heartbeat.read(path) == pulse
    assert [p.name for p in tmp_path.iterdir()] == ["heartbeat.json"]


def test_an_unreadable_heartbeat_file_reads_as_none(tmp_path: Path) -> None:
    path = tmp_path / "heartbeat.json"
    path.write_text("{half a fi")

    assert heartbeat.read(path) is None
    assert heartbeat.read(tmp_path / "missing.json") is None
