"""The database side of a burst, without Discord: N members at once through the services a
burst's interactions call (a ballot, a reflection, a /join, a Done click, /progress,
/schedule status), in this process.

    .venv/bin/python -m bench.burst_paths                       # 1,000 of each kind, SQLite
    .venv/bin/python -m bench.burst_paths --n 5000 --kinds vote reflect
    .venv/bin/python -m bench.burst_paths --database postgres --database-url postgresql+asyncpg://…

`bench.burst` measures the whole bot; this isolates what our services cost per request, so a
change to them can be judged without discord.py and the fake Discord in the figure. Prints,
per kind: wall time for the burst, CPU per request (this process, every thread: aiosqlite's
included), statements and transactions per request (a burst written in batches of 100 shows
about 0.01 transactions a request), and the errors.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import event, insert

from bench._harness import (
    command_line,
    database_server_url,
    describe_backend,
    machine,
    throwaway_database,
)
from bot.db import Database, create_database
from bot.db.migrate import upgrade_to_head
from bot.db.models import Membership
from bot.scheduler import Scheduler
from bot.scheduling.cadence import CadenceKind
from bot.scheduling.clock import FakeClock
from bot.services.posting import PostPlan, PostReceipt
from bot.services.root import build_services
from bot.services.schedules import ScheduleRequest
from bot.services.votes import VoteRequest
from bot.voting import VoteMethod

GUILD, CHANNEL, FACILITATOR = 1 << 41, 777, 42
MEMBER_BASE = 1 << 50
START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
KINDS = ("vote", "reflect", "join", "done", "progress", "status")


class StubPoster:
    async def publish(self, plan: PostPlan) -> PostReceipt:
        return PostReceipt(plan.channel_id, 9_000_001, 9_000_001)

    async def report_failure(self, guild_id: int, schedule_id: int, error: str) -> None:
        raise RuntimeError(error)


class World:
    """A guild with a schedule whose first section is posted, its members, and an open vote."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.clock = FakeClock(START)
        self.scheduler = Scheduler(db, self.clock)
        self.services = services = build_services(db, scheduler=self.scheduler, clock=self.clock)
        self.schedules = services.schedules
        self.members = services.members
        self.votes = services.votes
        self.reflections = services.reflections
        services.posting.poster = StubPoster()
        self.schedule_id = self.section_id = self.vote_id = 0

    async def prepare(self, members: list[int]) -> None:
        [seed] = [r for r in await self.services.readings.available(GUILD) if r.bundled]
        request = ScheduleRequest(
            reading_id=seed.id,
            channel_id=CHANNEL,
            forum=False,
            first_day=date(2027, 3, 1),
            at=clock_time(18, 0),
            tz="UTC",
            cadence=CadenceKind.WEEKLY,
            weekdays=frozenset({0}),
        )
        self.schedule_id = (await self.schedules.create(GUILD, FACILITATOR, request)).id
        self.clock.set(datetime(2027, 3, 1, 18, 0, tzinfo=UTC))
        await self.scheduler.run_due()
        report = await self.members.progress(GUILD, FACILITATOR, self.schedule_id)
        self.section_id = report.sections[0].section_id
        async with self.db.session() as session:
            await session.execute(
                insert(Membership),
                [{"schedule_id": self.schedule_id, "user_id": user} for user in members],
            )
        opened = await self.votes.opening.open_vote(
            GUILD,
            FACILITATOR,
            VoteRequest(
                question="What next?",
                channel_id=CHANNEL,
                method=VoteMethod.SINGLE,
                options=("Tactics", "History", "Theory"),
                schedule_id=self.schedule_id,
            ),
            facilitator=True,
        )
        self.vote_id = opened.vote.id
        self.clock.set(self.clock.now() + timedelta(minutes=1))

    def request(self, kind: str, user: int, n: int) -> Awaitable[object]:
        if kind == "vote":
            return self.votes.ballots.cast(GUILD, self.vote_id, user, n % 3)
        if kind == "reflect":
            return self.reflections.writing.write(
                GUILD,
                user,
                schedule_id=self.schedule_id,
                section_id=self.section_id,
                text=f"Reading this with the circle, member {n} noticed how the argument turns.",
                visibility="private",
                author_name=f"reader{n}",
            )
        if kind == "join":
            return self.members.join(GUILD, user, self.schedule_id)
        if kind == "progress":
            return self.members.progress(GUILD, user)
        if kind == "status":
            return self.schedules.status(GUILD, None)
        return self.members.mark_read(GUILD, user, section_id=self.section_id)


async def measure(
    world: World, kind: str, users: list[int], counter: Callable[[], tuple[int, int]]
) -> str:
    statements, transactions = counter()
    wall, cpu = time.perf_counter(), time.process_time()
    results = await asyncio.gather(
        *(world.request(kind, user, n) for n, user in enumerate(users)), return_exceptions=True
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after_statements, after_transactions = counter()
    failed = [r for r in results if isinstance(r, BaseException)]
    n = len(users)
    return (
        f"| {kind} | {n:,} | {wall * 1000:,.0f} ms | {cpu / n * 1e6:,.0f} µs | "
        f"{(after_statements - statements) / n:.2f} | {(after_transactions - transactions) / n:.3f}"
        f" | {len(failed)}{f' ({failed[0]!r:.60})' if failed else ''} |"
    )


async def main_async(options: argparse.Namespace) -> None:
    print(machine())
    print(f"command: {command_line()}")
    server = database_server_url(options.database_url)
    async with throwaway_database(options.database, server) as database_url:
        print(f"database: {describe_backend(database_url)}")
        await upgrade_to_head(database_url)
        db = create_database(database_url)
        counts = [0, 0]

        def statement(*_: object) -> None:
            counts[0] += 1

        def commit(*_: object) -> None:
            counts[1] += 1

        event.listen(db.engine.sync_engine, "before_cursor_execute", statement)
        event.listen(db.engine.sync_engine, "commit", commit)
        try:
            world = World(db)
            rounds = options.rounds
            # Members of the circle before the burst; the joins come from others.
            pool = [MEMBER_BASE + i for i in range(options.n * rounds * len(KINDS))]
            await world.prepare(pool[: options.n * rounds * 2])
            print(
                "| kind | n | wall | CPU a request | statements a request | transactions a "
                "request | errors |\n|---|---|---|---|---|---|---|"
            )
            for kind in options.kinds:
                for r in range(rounds):
                    if kind == "join":
                        start = options.n * rounds * 2 + r * options.n
                    elif kind == "done":
                        start = options.n * rounds + r * options.n
                    else:  # votes and reads from the members; each round a different set
                        start = r * options.n
                    users = pool[start : start + options.n]
                    print(await measure(world, kind, users, lambda: (counts[0], counts[1])))
        finally:
            await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="requests in a burst")
    parser.add_argument("--rounds", type=int, default=3, help="bursts of each kind")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
