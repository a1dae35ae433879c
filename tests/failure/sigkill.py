"""What the tests that kill `python -m bot run` share: the services to set the scene with, a
schedule falling due when the test says, waiting for a kill point, and the passing of the
leases a killed process held."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import update

from bot.db import Database
from bot.db.models import Job, Schedule
from bot.scheduler import Scheduler
from bot.scheduling.cadence import CadenceKind
from bot.scheduling.clock import SystemClock
from bot.services.root import Services, build_services
from bot.services.schedules import ScheduleRequest
from tests.fakediscord import FakeChannel, FakeDiscord
from tests.fakediscord.model import DefaultWorld

IDLE_POLL = 0.1  # how often a kill point asks the database whether the process has work left


def real_clock_services(db: Database) -> Services:
    """The services, on the real clock the forked bot runs on, to set the scene with."""
    clock = SystemClock()
    return build_services(db, scheduler=Scheduler(db, clock), clock=clock)


async def schedule_due_at(
    services: Services, world: DefaultWorld, channel: FakeChannel, due: datetime, per_post: int
) -> int:
    """A daily schedule in `channel` whose first post is due at `due` (to the second), queued;
    its id."""
    db, scheduler, schedules = services.database, services.scheduler, services.schedules
    guild_id = world.guild.id
    [seed] = await services.readings.available(guild_id)
    created = await schedules.create(
        guild_id,
        world.facilitator.id,
        ScheduleRequest(
            reading_id=seed.id,
            channel_id=channel.id,
            forum=channel.is_forum,
            first_day=datetime.now(UTC).date() + timedelta(days=2),
            at=time(12, 0),
            tz="UTC",
            cadence=CadenceKind.DAILY,
            sections_per_post=per_post,
        ),
    )
    async with db.session() as session:
        schedule = await session.get_one(Schedule, created.id)
        await scheduler.cancel(dedupe_key_prefix=f"schedule:{created.id}:post:", session=session)
        schedule.next_post_at = due
        await schedules.enqueue_next(session, schedule)
    return created.id


async def run_out_leases(db: Database) -> None:
    """What the passing of the lease time does to the jobs a killed process held."""
    async with db.session() as session:
        await session.execute(
            update(Job)
            .where(Job.status == "running")
            .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
        )


async def until_kill_point(
    fake: FakeDiscord,
    reached: Callable[[], bool],
    idle: Callable[[], Awaitable[bool]],
    timeout: float = 3.0,  # noqa: ASYNC109
) -> None:
    """Until the process has made the requests it is to be killed after (`reached`), at most
    `timeout` seconds; or until it has nothing left to do (`idle`, asked of the database):
    it is killed anyway then, without waiting out the rest of the time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not reached() and loop.time() < deadline and not await idle():
        with contextlib.suppress(AssertionError):
            await fake.wait_until(reached, timeout=min(IDLE_POLL, deadline - loop.time()))
