"""Capacity: one `python -m bot run` process with 10,000 guilds, against the fake Discord.

    .venv/bin/python -m bench.capacity                       # 10,000 guilds, SQLite
    .venv/bin/python -m bench.capacity --guilds 2500 --wave 500
    .venv/bin/python -m bench.capacity --database postgres --database-url postgresql+asyncpg://…

1. First start on a fresh database (migrate, sync, every guild's GUILD_CREATE): seconds from
   process start to "Ready", RSS and peak RSS once ready.
2. A wave of `--wave` scheduled posts, one per guild (each guild's reading channel), falling
   due over `--window` seconds shortly after the bot's next start, is written to the database.
3. Restart: seconds to "Ready" again, then how late each post's announcement reached Discord
   against its due time (p50/p95/p99/max), RSS and peak RSS after the wave.

Everything is real but Discord: the bot's poster makes each post through the fake Discord
(the announcement, its thread and the section's messages), which runs in this process and
shares the machine's cores with the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from bench._harness import (
    Process,
    TimedFake,
    bot_command,
    bot_env,
    command_line,
    database_server_url,
    describe_backend,
    machine,
    percentile,
    proc_cpu_seconds,
    proc_status,
    throwaway_database,
)
from bench.scheduler_scale import schedule_rows
from bot.db import create_database
from bot.db.models import Guild, Job, Prompt, Reading, Schedule, Section
from tests.fakediscord.model import DefaultWorld, FakeChannel

SECTION_TEXT = " ".join(["Members read this section together and talk about it."] * 30)
ID_BASE = 1_000_000  # readings, sections and schedules of the wave, apart from the bot's own


async def wave_due(
    database_url: str, worlds: list[DefaultWorld], wave: int, window: float, lead: float
) -> dict[int, datetime]:
    """Insert one schedule and its post job per guild for `wave` guilds, due from `lead`
    seconds from now over `window` seconds; returns each schedule's due time."""
    db = create_database(database_url)
    first_due = datetime.now(UTC) + timedelta(seconds=lead)
    chosen = worlds[:wave]
    due: dict[int, datetime] = {}
    try:
        async with db.engine.begin() as conn:
            known = set((await conn.execute(select(Guild.id))).scalars())
            missing = [w for w in chosen if w.guild.id not in known]
            if missing:
                await conn.execute(
                    insert(Guild), [{"id": w.guild.id, "name": w.guild.name} for w in missing]
                )
            await conn.execute(
                insert(Reading),
                [
                    {
                        "id": ID_BASE + n,
                        "guild_id": w.guild.id,
                        "title": f"Capacity {n}",
                        "source_name": "capacity.txt",
                        "content_hash": f"{ID_BASE + n:064d}",
                        "word_count": 300,
                    }
                    for n, w in enumerate(chosen)
                ],
            )
            await conn.execute(
                insert(Section),
                [
                    {
                        "id": ID_BASE + n,
                        "reading_id": ID_BASE + n,
                        "position": 1,
                        "title": "Part 1",
                        "text": SECTION_TEXT,
                        "word_count": 300,
                    }
                    for n in range(len(chosen))
                ],
            )
            await conn.execute(
                insert(Prompt),
                [
                    {
                        "section_id": ID_BASE + n,
                        "position": 1,
                        "kind": "interpretive",
                        "text": "What does this part ask of its readers?",
                    }
                    for n in range(len(chosen))
                ],
            )
            schedules, jobs = [], []
            now = datetime.now(UTC)
            for n, world in enumerate(chosen):
                at = first_due + timedelta(seconds=window * n / max(1, len(chosen) - 1))
                schedule_id = ID_BASE + n
                due[schedule_id] = at
                schedule, job = schedule_rows(
                    schedule_id,
                    world.guild.id,
                    ID_BASE + n,
                    world.reading.id,
                    at,
                    world.facilitator.id,
                    now,
                )
                schedules.append(schedule)
                jobs.append(job)
            await conn.execute(insert(Schedule), schedules)
            await conn.execute(insert(Job), jobs)
    finally:
        await db.dispose()
    return due


def announcements(fake: TimedFake, wall_minus_monotonic: float) -> dict[int, float]:
    """Wall-clock arrival of each wave schedule's announcement, by schedule id."""
    arrived: dict[int, float] = {}
    for request in fake.requests_to("POST", "/channels/{id}/messages"):
        nonce = str((request.json or {}).get("nonce") or "")
        if nonce.startswith("sc") and nonce.endswith("p1"):
            schedule_id = int(nonce[2:-2])
            if schedule_id >= ID_BASE:
                arrived.setdefault(schedule_id, request.at + wall_minus_monotonic)
    return arrived


def index_threads(fake: TimedFake) -> None:
    """Let the fake find a guild's threads without scanning every channel of every guild:
    its GUILD_CREATE would otherwise take seconds a guild here, and the bench would measure
    the fake."""
    by_guild: dict[int | None, list[FakeChannel]] = defaultdict(list)
    for channel in fake.state.channels.values():
        if channel.is_thread:
            by_guild[channel.guild_id].append(channel)
    fake.state.threads_of = lambda guild: list(by_guild.get(guild.id, ()))  # type: ignore[method-assign]  # an index, for the bench only


async def start_until_ready(fake: TimedFake, database_url: str) -> tuple[Process, float, float]:
    """Start the bot; returns it, seconds to "Ready" and the CPU seconds it used till then."""
    index_threads(fake)
    process = await Process.start(bot_command(), bot_env(fake, database_url))
    ready = await process.wait_for_line("Ready as", timeout=900)
    return process, ready - process.started_at, proc_cpu_seconds(process.pid)


def memory(process: Process) -> str:
    status = proc_status(process.pid)
    return f"RSS {status['VmRSS'] / 1024:.0f} MB, peak {status['VmHWM'] / 1024:.0f} MB"


async def main_async(options: argparse.Namespace) -> None:
    print(machine())
    print(f"command: {command_line()}")
    built = time.monotonic()
    async with TimedFake() as fake:
        worlds = [fake.world]
        for number in range(1, options.guilds):
            worlds.append(await fake.add_world(f"Circle {number}"))
        print(f"fake Discord with {len(worlds):,} guilds built in {time.monotonic() - built:.1f} s")
        server = database_server_url(options.database_url)
        async with throwaway_database(options.database, server) as database_url:
            print(f"database: {describe_backend(database_url)}")
            process, took, cpu = await start_until_ready(fake, database_url)
            try:
                await asyncio.sleep(2.0)
                print(
                    f"first start (migrate, sync): ready in {took:.1f} s "
                    f"(bot CPU {cpu:.1f} s); {memory(process)}"
                )
            finally:
                await process.stop()

            lead = took * 1.5 + 10
            due = await wave_due(database_url, worlds, options.wave, options.window, lead)
            fake.requests.clear()
            offset = time.time() - time.monotonic()
            process, took, cpu = await start_until_ready(fake, database_url)
            try:
                print(f"restart: ready in {took:.1f} s (bot CPU {cpu:.1f} s); {memory(process)}")
                wait = max(due.values()).timestamp() + options.settle - time.time()
                with contextlib.suppress(AssertionError):
                    await fake.wait_until(
                        lambda: len(announcements(fake, offset)) >= len(due), timeout=wait
                    )
                arrived = announcements(fake, offset)
                late = sorted(arrived[s] - due[s].timestamp() for s in arrived)
                p50, p95, p99 = (percentile(late, share) for share in (0.5, 0.95, 0.99))
                print(
                    f"wave: {len(arrived):,} of {len(due):,} posts over {options.window:g} s; "
                    f"lateness p50 {p50:.2f} s, p95 {p95:.2f} s, p99 {p99:.2f} s, "
                    f"max {late[-1] if late else float('nan'):.2f} s; {memory(process)}"
                )
            finally:
                await process.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guilds", type=int, default=10_000)
    parser.add_argument("--wave", type=int, default=1_000, help="guilds with a post in the wave")
    parser.add_argument("--window", type=float, default=60.0, help="seconds the wave spans")
    parser.add_argument("--settle", type=float, default=120.0, help="seconds to wait after")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
