"""`python -m bot health` against a real running bot: healthy once connected with its
scheduler running, unhealthy before it starts and once it has stopped."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

from tests.e2e.conftest import bot_env
from tests.fakediscord import FakeDiscord


async def _health(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "health",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, out.decode().strip()


async def _eventually(env: dict[str, str], cwd: Path, code: int, timeout: float = 30.0) -> str:  # noqa: ASYNC109
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        got, said = await _health(env, cwd)
        if got == code:
            return said
        assert loop.time() < deadline, f"health kept saying {said!r} (exit {got})"
        await asyncio.sleep(0.2)


async def test_health_follows_the_running_bot(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str, tmp_path: Path
) -> None:
    health_file = tmp_path / "run" / "heartbeat.json"
    env = bot_env(fake_discord, process_database_url, HEALTH_FILE=str(health_file))
    assert (await _health(env, tmp_path))[0] == 1  # not started: no heartbeat

    process = await start_bot("run", env=env)
    await fake_discord.wait_until_connected(timeout=30)
    # Each check is a process of its own: ask once the bot says it is ready (it then beats
    # at once), rather than over and over while it waits for more guilds (2 s), or while
    # it starts and needs the CPU.
    await fake_discord.wait_until(
        lambda: any("Ready as" in line for line in process.lines),
        timeout=30,
        what="the bot to be ready",
    )
    assert health_file.exists()
    said = await _eventually(env, tmp_path, 0)
    assert said.startswith("healthy: connected (shards 0: ")
    assert said.endswith("scheduler alive")

    code, _took = await process.stop(signal.SIGTERM)
    assert code == 0, process.stderr
    code, said = await _health(env, tmp_path)
    assert code == 1
    assert said == (
        "study-circle: unhealthy: no heartbeat: the bot is not running, or is still starting"
    )
    assert not health_file.exists()
