"""Start-up: `python -m bot run` from process start to ready, against the fake Discord, with
one guild and with 1,000; then its memory, and its CPU over a quiet spell.

    .venv/bin/python -m bench.startup
    .venv/bin/python -m bench.startup --guilds 1 1000 --database postgres --database-url …

For each guild count the bot starts twice on a fresh database: the first start migrates it
and syncs the commands, the second finds both done (an ordinary restart). Prints the moments
(seconds from process start) at which it logged in (migrations done, `GET /users/@me`), had
loaded its extensions and started the scheduler (`GET /gateway/bot`, after `setup_hook`),
identified, was sent its last guild, and logged "Ready"; the CPU the process used until two
seconds after ready (its start: imports, migrations, login, extensions); then RSS and peak
RSS after ready, and CPU time over `--idle` quiet seconds.

discord.py waits `guild_ready_timeout` (2 s) after the last GUILD_CREATE before it calls the
bot ready; that wait is part of the figure and is printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Callable

from bench._harness import (
    Process,
    TimedFake,
    bot_command,
    bot_env,
    command_line,
    database_server_url,
    describe_backend,
    machine,
    proc_cpu_seconds,
    proc_status,
    throwaway_database,
)


async def watch(fake: TimedFake, process: Process, identifies: int) -> dict[str, float]:
    """Seconds from process start to each start-up step, as the fake sees them."""
    marks: dict[str, float] = {}
    start = process.started_at
    steps: dict[str, Callable[[], bool]] = {
        "logged in": lambda: bool(fake.requests_to("GET", "/users/@me")),
        "extensions loaded": lambda: bool(fake.requests_to("GET", "/gateway/bot")),
        "identified": lambda: len(fake.identifies) >= identifies,
        "last guild sent": lambda: (
            len(fake.identifies) >= identifies and bool(fake.sessions) and fake.sessions[-1].ready
        ),
        "ready": lambda: process.line_at("Ready as") is not None,
    }
    deadline = time.monotonic() + 120
    while len(marks) < len(steps) and time.monotonic() < deadline:
        now = time.monotonic()
        for name, reached in steps.items():
            if name not in marks and reached():
                marks[name] = now - start
        if process.process.returncode is not None:
            raise RuntimeError(f"the bot exited:\n{process.stderr[-3000:]}")
        await asyncio.sleep(0.005)
    ready_line = process.line_at("Ready as")
    if ready_line is not None:
        marks["ready"] = ready_line - start
    return marks


async def one_count(guilds: int, options: argparse.Namespace) -> None:
    async with TimedFake() as fake:
        for number in range(1, guilds):
            await fake.add_world(f"Circle {number}")
        server = database_server_url(options.database_url)
        async with throwaway_database(options.database, server) as database_url:
            if guilds == options.guilds[0]:
                print(f"database: {describe_backend(database_url)}")
            for run, label in enumerate(("first start (migrate, sync)", "restart"), 1):
                fake.requests.clear()
                process = await Process.start(bot_command(), bot_env(fake, database_url))
                try:
                    marks = await watch(fake, process, run)
                    await asyncio.sleep(2.0)  # settle
                    memory = proc_status(process.pid)
                    cpu = proc_cpu_seconds(process.pid)
                    await asyncio.sleep(options.idle)
                    idle_cpu = proc_cpu_seconds(process.pid) - cpu
                finally:
                    await process.stop()
                steps = " · ".join(f"{name} {at:.2f}" for name, at in marks.items())
                wait = marks.get("ready", 0) - marks.get("last guild sent", 0)
                print(
                    f"| {guilds:,} | {label} | {marks.get('ready', float('nan')):.2f} s | {steps} "
                    f"(of which waiting for more guilds {wait:.2f}) | {cpu:.2f} s | "
                    f"{memory['VmRSS'] / 1024:.0f} MB | {memory['VmHWM'] / 1024:.0f} MB | "
                    f"{idle_cpu * 1000:.0f} ms ({idle_cpu / options.idle:.2%}) |",
                    flush=True,
                )


async def main_async(options: argparse.Namespace) -> None:
    print(machine())
    print(f"command: {command_line()}")
    print(
        "| guilds | start | process start → ready | steps (s from process start) | CPU of the "
        f"start | RSS after ready | peak RSS | CPU over {options.idle:g} s idle |\n"
        + "|---" * 8
        + "|"
    )
    for guilds in options.guilds:
        await one_count(guilds, options)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guilds", type=int, nargs="+", default=[1, 1000])
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
