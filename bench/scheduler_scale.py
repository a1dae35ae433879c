"""Scheduler scale: 10,000 schedules in 1,000 guilds, a wave of posts falling due, then idle.

    .venv/bin/python -m bench.scheduler_scale                       # SQLite
    .venv/bin/python -m bench.scheduler_scale --database postgres --database-url postgresql+asyncpg://…
    .venv/bin/python -m bench.scheduler_scale --wave 1000 --window 0   # all due the same second

The real scheduler and the real post handler (`SectionPosting`, as the composition root builds
and registers it) run here against a database
filled directly (guilds, a reading of 3 sections each with prompts, schedules and their post
jobs); only the Discord side is a stub that takes `--latency` seconds a post. `--wave`
schedules fall due over `--window` seconds; the others are due tomorrow.

Prints how late each post began (the stub's publish called, against the post's due time):
p50/p95/p99/max, posts a second, and then the process's CPU time and the statements it sent
to the database over `--idle` seconds with nothing due (no busy polling: about zero).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from bench._harness import (
    command_line,
    database_server_url,
    describe_backend,
    machine,
    percentile,
    throwaway_database,
)
from bot.db import create_database
from bot.db.migrate import upgrade_to_head
from bot.db.models import Guild, Job, Prompt, Reading, Schedule, Section
from bot.scheduler import PENDING, Scheduler
from bot.scheduling.clock import SystemClock
from bot.services.posting import PostPlan, PostReceipt
from bot.services.root import build_services
from bot.services.schedules import POST_JOB, post_dedupe_key

SECTION_TEXT = " ".join(["Members read this section together and talk about it."] * 30)
GUILD_BASE = 1 << 40


class StubPoster:
    """The Discord side: notes when each post began, and takes `latency` seconds."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.started: list[tuple[float, datetime]] = []

    async def publish(self, plan: PostPlan) -> PostReceipt:
        self.started.append((time.time(), plan.due_at))
        await asyncio.sleep(self.latency)
        message = 10_000_000 + len(self.started)
        return PostReceipt(plan.channel_id, message, message)

    async def report_failure(self, guild_id: int, schedule_id: int, error: str) -> None:
        print(f"post failure in schedule {schedule_id}: {error}")


def schedule_rows(
    schedule_id: int,
    guild_id: int,
    reading_id: int,
    channel_id: int,
    due: datetime,
    created_by: int,
    now: datetime,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A daily schedule whose first post is due at `due`, and that post's pending job."""
    schedule = {
        "id": schedule_id,
        "guild_id": guild_id,
        "reading_id": reading_id,
        "channel_id": channel_id,
        "forum": False,
        "cadence_kind": "daily",
        "at_time": wall_time(12, 0),
        "tz": "UTC",
        "anchor": date(2026, 1, 1),
        "every_days": 1,
        "weekdays": "",
        "sections_per_post": 1,
        "ping_role": False,
        "missed_policy": "all",
        "status": "active",
        "next_position": 1,
        "next_post_at": due,
        "created_by": created_by,
    }
    job = {
        "kind": POST_JOB,
        "payload": {"schedule_id": schedule_id, "due_at": due.isoformat()},
        "guild_id": guild_id,
        "due_at": due,
        "status": PENDING,
        "attempts": 0,
        "dedupe_key": post_dedupe_key(schedule_id, due),
        "created_at": now,
        "updated_at": now,
    }
    return schedule, job


async def insert_readings(conn: AsyncConnection, guilds: int) -> list[dict[str, Any]]:
    """`guilds` guilds, each with a reading of three sections (ids from 1); the sections."""
    await conn.execute(
        insert(Guild), [{"id": GUILD_BASE + g, "name": f"guild {g}"} for g in range(guilds)]
    )
    await conn.execute(
        insert(Reading),
        [
            {
                "id": g + 1,
                "guild_id": GUILD_BASE + g,
                "title": f"Reading {g}",
                "source_name": "bench.txt",
                "content_hash": f"{g:064d}",
                "word_count": 900,
            }
            for g in range(guilds)
        ],
    )
    sections = [
        {
            "id": g * 3 + p,
            "reading_id": g + 1,
            "position": p,
            "title": f"Part {p}",
            "text": SECTION_TEXT,
            "word_count": 300,
        }
        for g in range(guilds)
        for p in (1, 2, 3)
    ]
    await conn.execute(insert(Section), sections)
    return sections


async def fill(
    database_url: str, guilds: int, per_guild: int, wave: int, window: float
) -> datetime:
    """Insert everything; returns when the wave starts."""
    db = create_database(database_url)
    now = datetime.now(UTC)
    first_due = now.replace(microsecond=0) + timedelta(seconds=5)
    tomorrow = (now + timedelta(days=1)).replace(hour=12, minute=0, second=0, microsecond=0)
    try:
        async with db.engine.begin() as conn:
            sections = await insert_readings(conn, guilds)
            await conn.execute(
                insert(Prompt),
                [
                    {
                        "section_id": s["id"],
                        "position": n,
                        "kind": "interpretive",
                        "text": f"What does part {s['position']} ask of its readers ({n})?",
                    }
                    for s in sections
                    for n in (1, 2, 3)
                ],
            )
            schedules, jobs = [], []
            total = guilds * per_guild
            for number in range(total):
                guild = number % guilds
                if number < wave:
                    offset = window * number / max(1, wave - 1) if wave > 1 else 0.0
                    due = first_due + timedelta(seconds=offset)
                else:
                    due = tomorrow
                schedule, job = schedule_rows(
                    number + 1, GUILD_BASE + guild, guild + 1, 5_000_000 + number, due, 42, now
                )
                schedules.append(schedule)
                jobs.append(job)
            await conn.execute(insert(Schedule), schedules)
            await conn.execute(insert(Job), jobs)
    finally:
        await db.dispose()
    return first_due


class StatementTimings:
    """Per kind of statement (its first words): how many ran and how long each call took."""

    def __init__(self) -> None:
        self.count: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self._started: dict[int, float] = {}

    def listen(self, engine: Any) -> None:
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        self._started[id(cursor)] = time.perf_counter()

    def _after(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        started = self._started.pop(id(cursor), None)
        if started is not None:
            kind = " ".join(statement.split())[:70]
            self.count[kind] += 1
            self.seconds[kind] += time.perf_counter() - started

    def table(self, posts: int) -> str:
        lines = ["| statement | a post | ms each | ms a post |", "|---|---|---|---|"]
        for kind, seconds in sorted(self.seconds.items(), key=lambda item: item[1], reverse=True):
            n = self.count[kind]
            lines.append(
                f"| `{kind}` | {n / max(posts, 1):.2f} | {seconds / n * 1000:.2f} | "
                f"{seconds / max(posts, 1) * 1000:.2f} |"
            )
        return "\n".join(lines)


async def main_async(options: argparse.Namespace) -> None:
    print(machine())
    print(f"command: {command_line()}")
    server = database_server_url(options.database_url)
    async with throwaway_database(options.database, server) as database_url:
        print(f"database: {describe_backend(database_url)}")
        await upgrade_to_head(database_url)
        started = time.perf_counter()
        first_due = await fill(
            database_url, options.guilds, options.per_guild, options.wave, options.window
        )
        print(
            f"filled {options.guilds:,} guilds, {options.guilds * options.per_guild:,} schedules "
            f"and their jobs in {time.perf_counter() - started:.1f} s"
        )
        db = create_database(database_url)
        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(db.engine.sync_engine, "before_cursor_execute", count)
        timings = StatementTimings()
        if options.by_statement:
            timings.listen(db.engine.sync_engine)
        clock = SystemClock()
        poster = StubPoster(options.latency)
        scheduler = Scheduler(db, clock, max_concurrency=options.concurrency)
        services = build_services(db, scheduler=scheduler, clock=clock)
        # Posting alone, without the features that follow schedules: the scheduler's cost.
        services.schedules.watchers = ()
        services.posting.poster = poster
        try:
            await scheduler.start()
            deadline = time.time() + options.window + 120
            while len(poster.started) < options.wave and time.time() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            await asyncio.sleep(max(options.latency, 0.1) + 0.5)
            wave_statements = statements
            late = [at - due.timestamp() for at, due in poster.started]
            span = max(at for at, _ in poster.started) - first_due.timestamp() if late else 0
            print(
                f"wave: {len(poster.started):,} of {options.wave:,} posts due over "
                f"{options.window:g} s, stub latency {options.latency * 1000:.0f} ms, "
                f"concurrency {options.concurrency}"
            )
            print(
                "post start lateness (ms): "
                f"p50 {percentile(late, 0.5) * 1000:.0f} / p95 {percentile(late, 0.95) * 1000:.0f}"
                f" / p99 {percentile(late, 0.99) * 1000:.0f} / max {max(late) * 1000:.0f}; "
                f"{len(late) / max(span, 1e-9):.0f} posts/s over the wave; "
                f"goal: p99 under 1,000 ms; "
                f"{wave_statements / max(1, len(late)):.0f} database statements a post"
            )
            if options.by_statement:
                print(timings.table(len(late)))
            await scheduler.wait_idle()
            await asyncio.sleep(1.0)
            cpu, statements = time.process_time(), 0
            await asyncio.sleep(options.idle)
            used = time.process_time() - cpu
            pending = options.guilds * options.per_guild - options.wave
            print(
                f"idle for {options.idle:g} s with {pending:,} jobs pending tomorrow: "
                f"CPU {used * 1000:.0f} ms "
                f"({used / options.idle:.2%} of a core), {statements} database statements; "
                f"the dispatcher sleeps until {scheduler.sleeping_until:%H:%M:%S} UTC"
            )
        finally:
            await scheduler.stop()
            await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guilds", type=int, default=1000)
    parser.add_argument("--per-guild", type=int, default=10)
    parser.add_argument("--wave", type=int, default=1000, help="schedules due in the wave")
    parser.add_argument("--window", type=float, default=10.0, help="seconds the wave spans")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds a stub post takes")
    parser.add_argument("--concurrency", type=int, default=8, help="the scheduler's default")
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument(
        "--by-statement",
        action="store_true",
        help="time each kind of statement during the wave (the call, thread hops included)",
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
