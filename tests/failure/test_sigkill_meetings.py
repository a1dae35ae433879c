"""`python -m bot run` killed with SIGKILL at random points while meeting events are made.

Circles with a meeting after each post fall due together: the bot announces each first
meeting as a Discord Scheduled Event, posts the first sections, links each event in its post
and announces the second meetings. The process is killed after a random number of its
requests about events and posts, a few times over; the leases of its jobs are then run out
(as time would) and it is started again. In the end each meeting has exactly one live
event, the one the database names, and each post links it.

Set FAILURE_SEED to replay the kill points of a failed run.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.db import Database, create_database
from bot.db.models import Job, Meeting, SectionPost
from bot.services.meetings import SYNC_JOB, Where
from bot.services.schedules import POST_JOB
from tests.e2e.conftest import bot_env
from tests.failure.sigkill import (
    real_clock_services,
    run_out_leases,
    schedule_due_at,
    until_kill_point,
)
from tests.fakediscord import FakeChannel, FakeDiscord

pytestmark = pytest.mark.e2e

KILLS = 3
WATCHED = (
    ("POST", "/guilds/{guild_id}/scheduled-events"),
    ("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ("POST", "/channels/{id}/messages"),
)


def _watched_at_least(fake: FakeDiscord, since: int, count: int) -> Callable[[], bool]:
    """Whether, when asked, `count` of the WATCHED requests have been made since `since`."""
    return lambda: sum(len(fake.requests_to(m, p, since=since)) for m, p in WATCHED) >= count


async def _circle_with_meetings(
    db: Database, fake: FakeDiscord, channel: FakeChannel, due: datetime
) -> int:
    """A daily schedule whose first post is due at `due`, meeting the day after each post."""
    services = real_clock_services(db)
    schedule_id = await schedule_due_at(services, fake.world, channel, due, per_post=1)
    await services.meetings.set_plan(
        fake.world.guild.id,
        schedule_id,
        fake.world.facilitator.id,
        "day after 19:00",
        Where(place="Library"),
    )
    return schedule_id


async def _settled(db: Database, schedule_ids: list[int]) -> bool:
    async with db.session() as session:
        unfinished = await session.scalar(
            select(Job.id)
            .where(
                Job.kind.in_([POST_JOB, SYNC_JOB]),
                Job.status.in_(["pending", "running"]),
                Job.due_at <= datetime.now(UTC),
            )
            .limit(1)
        )
        rows = list(await session.scalars(select(Meeting)))
    done = [r for r in rows if r.status == "scheduled" and (r.position > 1 or r.post_linked)]
    return unfinished is None and len(done) == 2 * len(schedule_ids)


async def test_sigkill_while_making_meeting_events_leaves_one_event_a_meeting(
    forked_bot: Any, fake_discord: FakeDiscord, database_url: str
) -> None:
    seed = int(os.environ.get("FAILURE_SEED") or random.randrange(2**32))
    rng = random.Random(seed)
    why = f"(FAILURE_SEED={seed})"
    world = fake_discord.world
    channels = [
        world.reading,
        fake_discord.state.add_channel(world.guild, "circle-two"),
        world.forum,
    ]
    db = create_database(database_url)
    try:
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        schedule_ids = [await _circle_with_meetings(db, fake_discord, c, due) for c in channels]
        env = bot_env(fake_discord, database_url)
        for kill in range(KILLS):
            since = fake_discord.mark()
            process = await forked_bot("run", env=env)
            await fake_discord.wait_for_identify(count=kill + 1, timeout=30)
            after = rng.randint(1, 10)
            await until_kill_point(
                fake_discord,
                _watched_at_least(fake_discord, since, after),
                lambda: _settled(db, schedule_ids),
            )
            process.process.send_signal(signal.SIGKILL)
            await process.wait()
            await run_out_leases(db)

        last = await forked_bot("run", env=env)
        try:
            await fake_discord.wait_for_identify(count=KILLS + 1, timeout=30)
            deadline = asyncio.get_running_loop().time() + 30
            while not await _settled(db, schedule_ids):
                if asyncio.get_running_loop().time() > deadline:
                    pytest.fail(f"the meetings did not settle in 30 s {why}\n{last.stderr[-3000:]}")
                await asyncio.sleep(0.1)
        finally:
            code, _ = await last.stop(signal.SIGTERM)
        assert code == 0, last.stderr

        live = fake_discord.scheduled_events(world.guild, live_only=True)
        async with db.session() as session:
            rows = list(await session.scalars(select(Meeting).order_by(Meeting.id)))
            posts = {
                p.schedule_id: p
                for p in await session.scalars(select(SectionPost).where(SectionPost.position == 1))
            }
        assert Counter(e.id for e in live) == Counter(r.event_id for r in rows), why
        for schedule_id in schedule_ids:
            mine = [e for e in live if f"for schedule #{schedule_id} (" in (e.description or "")]
            assert sorted(e.name.split(":")[0] for e in mine) == ["Section 1", "Section 2"], why
            first = next(r for r in rows if r.schedule_id == schedule_id and r.position == 1)
            post = posts[schedule_id]
            channel = post.thread_id if post.channel_id == world.forum.id else post.channel_id
            assert channel is not None, why
            assert post.message_id is not None, why
            message = fake_discord.state.messages[channel][post.message_id]
            [field] = [f for f in message.embeds[0]["fields"] if f["name"] == "Meeting"]
            assert f"/{first.event_id})" in field["value"], why
    finally:
        await db.dispose()
