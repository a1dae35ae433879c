"""One bot as two processes on one PostgreSQL: `SHARD_COUNT=2`, one shard each.

The fake Discord holds guilds on both shards. Each process gets the gateway events of its own
shard's guilds only (interactions included) and makes the due posts of those guilds only;
one process is killed in the middle of a post and started again, and in the end every due
post was made exactly once, by the process that owns its guild.

The two processes reach the fake Discord by different host names (127.0.0.1 and localhost),
so the Host header of each request tells which process sent it.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.db import Database, create_database
from bot.db.models import SectionPost
from tests.e2e.conftest import BotProcess, bot_env
from tests.failure.sigkill import real_clock_services, run_out_leases, schedule_due_at
from tests.fakediscord import FakeDiscord
from tests.fakediscord.gateway import shard_of
from tests.fakediscord.model import DefaultWorld

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

SHARDS = 2
GUILDS_PER_SHARD = 2
POSTING = ("/channels/{id}/messages", "/channels/{id}/messages/{message}/threads")


async def _worlds_on_both_shards(fake: FakeDiscord) -> dict[int, list[DefaultWorld]]:
    """Guilds until each shard has GUILDS_PER_SHARD of them (added before the bots start)."""
    by_shard: dict[int, list[DefaultWorld]] = {shard: [] for shard in range(SHARDS)}
    world = fake.world
    for number in range(40):
        by_shard[shard_of(world.guild.id, SHARDS)].append(world)
        if all(len(worlds) >= GUILDS_PER_SHARD for worlds in by_shard.values()):
            return by_shard
        world = await fake.add_world(f"Room {number + 2}")
    raise AssertionError("the fake's guild ids never fell on both shards")


async def _post_due(db: Database, world: DefaultWorld, due: datetime) -> int:
    """A daily schedule in the world's reading channel whose first post is due at `due`."""
    return await schedule_due_at(real_clock_services(db), world, world.reading, due, per_post=1)


async def _posted(db: Database, schedule_ids: list[int]) -> set[int]:
    async with db.session() as session:
        rows = await session.scalars(
            select(SectionPost.schedule_id).where(
                SectionPost.schedule_id.in_(schedule_ids), SectionPost.status == "posted"
            )
        )
        return set(rows)


def _host_of(fake: FakeDiscord, shard: int) -> str:
    return f"{'127.0.0.1' if shard == 0 else 'localhost'}:{fake.port}"


def _guild_of_channel(fake: FakeDiscord, channel_id: int) -> int:
    channel = fake.state.channels[channel_id]
    assert channel.guild_id is not None
    return channel.guild_id


async def _answered_by_its_shard(fake: FakeDiscord, world: DefaultWorld) -> None:
    """A slash command in `world` reaches exactly one gateway session, its shard's, and is
    answered."""
    before = {id(s): s.seq for s in fake.sessions if s.ready and not s.closed}
    result = await fake.command("circle about", user=world.member, channel=world.general)
    assert result.ephemeral
    assert "Study Circle" in result.text
    reached = [
        s for s in fake.sessions if s.ready and not s.closed and s.seq > before.get(id(s), s.seq)
    ]
    assert [s.shard for s in reached] == [(shard_of(world.guild.id, SHARDS), SHARDS)]


async def test_two_shard_processes_post_each_guild_once_through_a_kill(
    start_bot: Any, fake_discord: FakeDiscord, database_url: str
) -> None:
    worlds = await _worlds_on_both_shards(fake_discord)
    envs = {
        shard: bot_env(
            fake_discord,
            database_url,
            SHARD_COUNT=str(SHARDS),
            SHARD_IDS=str(shard),
            DISCORD_API_BASE=f"http://{_host_of(fake_discord, shard)}/api/v10",
        )
        for shard in range(SHARDS)
    }
    # The two shards identify in buckets of their own, as a bot with a higher
    # session_start_limit does: neither process waits the 5.5 s of the other's turn
    # (tests/test_identify_queue.py checks that wait).
    fake_discord.max_concurrency = SHARDS
    db = create_database(database_url)
    processes: dict[int, BotProcess] = {}
    try:
        # Posts fall due for every guild soon after the start; shard 1's first post stalls
        # in Discord, and shard 1's process is killed right there.
        victim = worlds[1][0]
        fake_discord.hold_next("POST", f"/channels/{victim.reading.id}/messages", 30)
        mark = fake_discord.mark()
        due = datetime.now(UTC) + timedelta(seconds=3)
        schedules = {
            shard: [await _post_due(db, world, due) for world in worlds[shard]]
            for shard in range(SHARDS)
        }
        for shard in range(SHARDS):
            processes[shard] = await start_bot("run", env=envs[shard])
        await fake_discord.wait_for_identify(count=SHARDS, timeout=60)
        assert sorted(tuple(i["shard"]) for i in fake_discord.identifies) == [(0, 2), (1, 2)]
        await fake_discord.wait_until(
            lambda: any(
                r.path == f"/channels/{victim.reading.id}/messages"
                for r in fake_discord.requests[mark:]
            ),
            timeout=30,
            what="shard 1's process to start its post",
        )
        processes[1].process.send_signal(signal.SIGKILL)
        await processes[1].wait()

        # Shard 0's process posts its own guilds, and leaves shard 1's alone.
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while await _posted(db, schedules[0]) != set(schedules[0]):
            assert loop.time() < deadline, processes[0].stderr[-3000:]
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)
        assert await _posted(db, schedules[1]) <= set(schedules[1][1:])

        await run_out_leases(db)
        processes[1] = await start_bot("run", env=envs[1])
        await fake_discord.wait_for_identify(count=SHARDS + 1, timeout=60)
        deadline = loop.time() + 60
        everything = schedules[0] + schedules[1]
        while await _posted(db, everything) != set(everything):
            assert loop.time() < deadline, processes[1].stderr[-3000:]
            await asyncio.sleep(0.1)

        # Every posting request went out from the process that owns the guild.
        for pattern in POSTING:
            for request in fake_discord.requests_to("POST", pattern, since=mark):
                channel_id = int(request.path.split("/")[2])
                guild_id = _guild_of_channel(fake_discord, channel_id)
                owner = shard_of(guild_id, SHARDS)
                assert request.headers["Host"] == _host_of(fake_discord, owner), request.path
        # Each schedule's announcement exactly once; no message posted twice anywhere.
        for shard in range(SHARDS):
            for world, schedule_id in zip(worlds[shard], schedules[shard], strict=True):
                nonces = [m.nonce for m in fake_discord.messages_in(world.reading)]
                assert nonces.count(f"sc{schedule_id}p1") == 1, (world.guild.name, nonces)
        for messages in fake_discord.state.messages.values():
            nonces = [m.nonce for m in messages.values() if m.nonce is not None]
            assert len(nonces) == len(set(nonces))

        # Interactions reach only their shard's process (the restarted one included).
        await fake_discord.wait_until_connected(timeout=30)
        for shard in range(SHARDS):
            for world in worlds[shard]:
                await _answered_by_its_shard(fake_discord, world)
        for shard, process in processes.items():
            code, _took = await process.stop(signal.SIGTERM)
            assert code == 0, f"shard {shard}: {process.stderr[-3000:]}"
            assert "Traceback" not in process.stderr
    finally:
        await db.dispose()
