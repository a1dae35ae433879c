"""Reminder scale: 10,000 members who asked for every reminder, a wave of posts, then idle.

    .venv/bin/python -m bench.reminder_scale                       # SQLite
    .venv/bin/python -m bench.reminder_scale --database postgres --database-url postgresql+asyncpg://…

100 guilds, each with one circle of 100 members (10,000 members), every member with
reminders on for posts, a day and an hour before meetings and the weekly nudge (its job
pending, as the bot keeps it). The circles' posts fall due over `--window` seconds; the real
scheduler, post handler (`SectionPosting`, with the meetings' and reminders' hooks) and
reminder handlers run here; only Discord is a stub (each DM takes `--latency` seconds).

Each post queues a fanout, which queues one DM job per member, spread at `--dm-rate` a
second across all circles (the bot's default is 10 a second; Discord lets a whole bot make
50 requests a second, and a DM takes one or two, so 50 is more than Discord allows). Prints
how late every job started against its due time (p50/p95/p99/max, by kind), the DMs sent,
and then the CPU time and database statements over `--idle` seconds with the 10,000 weekly
jobs pending.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import event, insert

from bench._harness import (
    command_line,
    database_server_url,
    describe_backend,
    machine,
    percentile,
    throwaway_database,
)
from bench.scheduler_scale import GUILD_BASE, insert_readings, schedule_rows
from bot.db import create_database
from bot.db.migrate import upgrade_to_head
from bot.db.models import (
    Job,
    Membership,
    Prompt,
    ReminderPrefs,
    Schedule,
)
from bot.scheduler import PENDING, JobContext, JobEvent, Scheduler
from bot.scheduling.clock import SystemClock
from bot.services.posting import PostPlan, PostReceipt
from bot.services.reminders import (
    BEHIND_JOB,
    DM_JOB,
    FANOUT_JOB,
    ReminderMessage,
    next_behind_time,
)
from bot.services.root import build_services
from bot.services.schedules import POST_JOB

USER_BASE = 1 << 41
# How the lateness table names the jobs of the wave; any other kind goes by its own name.
LABELS = {POST_JOB: "post", FANOUT_JOB: "fanout", DM_JOB: "dm", BEHIND_JOB: "weekly"}


class StubDiscord:
    """Posts and DMs: each takes `latency` seconds; counts what was sent."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.posts = 0
        self.dms = 0

    async def publish(self, plan: PostPlan) -> PostReceipt:
        await asyncio.sleep(self.latency)
        self.posts += 1
        message = 10_000_000 + self.posts
        return PostReceipt(plan.channel_id, message, message)

    async def report_failure(self, guild_id: int, schedule_id: int, error: str) -> None:
        print(f"post failure in schedule {schedule_id}: {error}")

    async def send(self, user_id: int, message: ReminderMessage) -> bool:
        await asyncio.sleep(self.latency)
        self.dms += 1
        return True


async def fill(database_url: str, guilds: int, members: int, window: float) -> datetime:
    """Insert everything; returns when the wave starts."""
    db = create_database(database_url)
    now = datetime.now(UTC)
    first_due = now.replace(microsecond=0) + timedelta(seconds=5)
    try:
        async with db.engine.begin() as conn:
            sections = await insert_readings(conn, guilds)
            await conn.execute(
                insert(Prompt),
                [
                    {"section_id": s["id"], "position": 1, "kind": "factual", "text": "Why?"}
                    for s in sections
                ],
            )
            schedules, jobs, memberships, prefs = [], [], [], []
            for g in range(guilds):
                due = first_due + timedelta(seconds=window * g / max(1, guilds - 1))
                schedule, job = schedule_rows(
                    g + 1, GUILD_BASE + g, g + 1, 5_000_000 + g, due, 42, now
                )
                schedules.append(schedule)
                jobs.append(job)
                for m in range(members):
                    user = USER_BASE + g * members + m
                    memberships.append({"schedule_id": g + 1, "user_id": user})
                    prefs.append(
                        {
                            "guild_id": GUILD_BASE + g,
                            "user_id": user,
                            "on_post": True,
                            "before_meeting": "1440,60",
                            "before_vote": True,
                            "weekly_behind": True,
                            "dms_closed_told": False,
                        }
                    )
                    weekly = next_behind_time(now, None) + timedelta(seconds=user % 3600)
                    jobs.append(
                        {
                            "kind": BEHIND_JOB,
                            "payload": {"guild_id": GUILD_BASE + g, "user_id": user},
                            "guild_id": GUILD_BASE + g,
                            "due_at": weekly,
                            "status": PENDING,
                            "attempts": 0,
                            "dedupe_key": f"remind:behind:{GUILD_BASE + g}:{user}:{weekly.date()}",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
            await conn.execute(insert(Schedule), schedules)
            await conn.execute(insert(Membership), memberships)
            await conn.execute(insert(ReminderPrefs), prefs)
            await conn.execute(insert(Job), jobs)
    finally:
        await db.dispose()
    return first_due


async def main_async(options: argparse.Namespace) -> None:
    print(machine())
    print(f"command: {command_line()}")
    server = database_server_url(options.database_url)
    async with throwaway_database(options.database, server) as database_url:
        print(f"database: {describe_backend(database_url)}")
        await upgrade_to_head(database_url)
        started = time.perf_counter()
        await fill(database_url, options.guilds, options.members, options.window)
        total = options.guilds * options.members
        print(
            f"filled {options.guilds:,} circles of {options.members:,} members ({total:,} "
            "members with every reminder on, and their weekly jobs) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        db = create_database(database_url)
        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(db.engine.sync_engine, "before_cursor_execute", count)
        clock = SystemClock()
        stub = StubDiscord(options.latency)
        scheduler = Scheduler(db, clock, max_concurrency=options.concurrency)
        services = build_services(db, scheduler=scheduler, clock=clock)
        reminders = services.reminders
        reminders.dm_rate = options.dm_rate
        reminders.sender = stub
        posting = services.posting
        posting.poster = stub
        lateness: defaultdict[str, list[float]] = defaultdict(list)

        def started_late(event: JobEvent, job: JobContext) -> None:
            # Told as each handler starts (the jobs are the root's, registered by it).
            if event == JobEvent.STARTED:
                lateness[LABELS.get(job.kind, job.kind)].append(job.late.total_seconds())

        scheduler.observer = started_late
        try:
            wave_started = time.time()
            cpu_started = time.process_time()
            await scheduler.start()
            limit = wave_started + options.window + total / options.dm_rate + 180
            while stub.dms < total and time.time() < limit:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            wave_seconds = time.time() - wave_started
            wave_cpu = time.process_time() - cpu_started
            print(
                f"wave: {stub.posts:,} posts over {options.window:g} s, {stub.dms:,} of {total:,} "
                f"DMs at {options.dm_rate:g}/s in {wave_seconds:.0f} s "
                f"(CPU {wave_cpu:.0f} s, {wave_cpu / wave_seconds:.0%} of a core); "
                f"stub latency {options.latency * 1000:.0f} ms, concurrency {options.concurrency}"
            )
            every = [late for values in lateness.values() for late in values]
            for kind, values in [("all jobs", every), *sorted(lateness.items())]:
                print(
                    f"  {kind}: {len(values):,} started late by (ms) "
                    f"p50 {percentile(values, 0.5) * 1000:.0f} / "
                    f"p95 {percentile(values, 0.95) * 1000:.0f} / "
                    f"p99 {percentile(values, 0.99) * 1000:.0f} / max {max(values) * 1000:.0f}"
                )
            print("goal: p99 under 1,000 ms")
            await scheduler.wait_idle()
            await asyncio.sleep(1.0)
            cpu, statements = time.process_time(), 0
            await asyncio.sleep(options.idle)
            used = time.process_time() - cpu
            print(
                f"idle for {options.idle:g} s with {total:,} weekly reminders pending: "
                f"CPU {used * 1000:.0f} ms ({used / options.idle:.2%} of a core), "
                f"{statements} database statements; the dispatcher sleeps until "
                f"{scheduler.sleeping_until:%H:%M:%S} UTC"
            )
        finally:
            await scheduler.stop()
            await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guilds", type=int, default=100, help="circles, one a guild")
    parser.add_argument("--members", type=int, default=100, help="members a circle")
    parser.add_argument("--window", type=float, default=10.0, help="seconds the posts span")
    parser.add_argument("--dm-rate", type=float, default=50.0, help="DMs a second")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds a stub call takes")
    parser.add_argument("--concurrency", type=int, default=8, help="the scheduler's default")
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
