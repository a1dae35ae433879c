"""Turns to IDENTIFY through PostgreSQL: a second process waits for the first one's turn to
pass; shards in different concurrency buckets do not wait; a dead process's turn ends."""

from __future__ import annotations

import asyncio

import pytest

from bot.db import Database, create_database
from bot.identify_queue import IdentifyQueue

pytestmark = pytest.mark.postgres

SPACING = 0.6
APP = 1234


async def _turn_taken_at(queue: IdentifyQueue, shard: int, concurrency: int = 1) -> float:
    await queue.wait_turn(APP, shard, concurrency)
    return asyncio.get_running_loop().time()


async def test_a_second_process_waits_for_the_first_ones_turn(
    backend: str, database_url: str
) -> None:
    assert backend == "postgres"
    first_db, second_db = create_database(database_url), create_database(database_url)
    first = IdentifyQueue(first_db, spacing=SPACING)
    second = IdentifyQueue(second_db, spacing=SPACING)
    try:
        began = await _turn_taken_at(first, 0)
        then = await _turn_taken_at(second, 1)
        assert then - began >= SPACING * 0.9
    finally:
        await _close(first, first_db, second, second_db)


async def test_shards_in_different_buckets_identify_together(database_url: str) -> None:
    first_db, second_db = create_database(database_url), create_database(database_url)
    first = IdentifyQueue(first_db, spacing=SPACING)
    second = IdentifyQueue(second_db, spacing=SPACING)
    try:
        began = await _turn_taken_at(first, 0, concurrency=2)
        then = await _turn_taken_at(second, 1, concurrency=2)
        assert then - began < SPACING / 2
    finally:
        await _close(first, first_db, second, second_db)


async def test_the_turn_of_a_process_that_stops_ends_with_it(database_url: str) -> None:
    first_db, second_db = create_database(database_url), create_database(database_url)
    first = IdentifyQueue(first_db, spacing=60.0)
    second = IdentifyQueue(second_db, spacing=SPACING)
    try:
        await first.wait_turn(APP, 0, 1)
        await first.close()  # what stopping does; a killed process's connection drops
        await asyncio.wait_for(second.wait_turn(APP, 0, 1), 5)
    finally:
        await _close(first, first_db, second, second_db)


async def _close(*things: IdentifyQueue | Database) -> None:
    for thing in things:
        if isinstance(thing, IdentifyQueue):
            await thing.close()
        else:
            await thing.dispose()
