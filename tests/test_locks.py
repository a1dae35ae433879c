"""Per-resource locks: one lock per key while in use, none kept for keys no longer used."""

from __future__ import annotations

import asyncio
import gc

from bot.locks import KeyedLocks


async def test_tasks_on_the_same_key_take_turns() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    order: list[str] = []

    async def hold(name: str) -> None:
        async with locks[7]:
            order.append(f"{name} in")
            await asyncio.sleep(0)
            order.append(f"{name} out")

    await asyncio.gather(hold("a"), hold("b"))
    assert order == ["a in", "a out", "b in", "b out"]


async def test_different_keys_do_not_wait_for_each_other() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    async with locks[1]:
        assert not locks[2].locked()


async def test_a_lock_no_one_holds_is_not_kept() -> None:
    locks: KeyedLocks[int] = KeyedLocks()
    for key in range(1000):
        async with locks[key]:
            assert len(locks) == 1
    gc.collect()
    assert len(locks) == 0
