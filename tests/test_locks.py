"""Per-resource locks: one lock per key while in use, none kept for keys no longer used."""

from __future__ import annotations

import ast
import asyncio
import gc
from pathlib import Path
from typing import TypeGuard

from bot.locks import KeyedLocks

BOT = Path(__file__).parents[1] / "bot"


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


def _unbounded_lock_tables(tree: ast.AST) -> list[str]:
    """Tables of locks that keep an entry for every key ever seen: a `defaultdict` of locks,
    a dictionary annotated to hold them, `setdefault(key, Lock())`."""
    found = [node for node in ast.walk(tree) if _keeps_every_lock(node)]
    return [ast.unparse(node) for node in sorted(found, key=lambda node: node.lineno)]


def _keeps_every_lock(node: ast.AST) -> TypeGuard[ast.AnnAssign | ast.Call]:
    if isinstance(node, ast.AnnAssign):
        annotation = ast.unparse(node.annotation)
        return "Lock]" in annotation and not annotation.startswith("KeyedLocks")
    if not isinstance(node, ast.Call):
        return False
    called, first = ast.unparse(node.func), ast.unparse(node.args[0]) if node.args else ""
    return (called.endswith("defaultdict") and "Lock" in first) or (
        called.endswith(".setdefault") and "Lock(" in ast.unparse(node)
    )


def test_every_table_of_locks_in_the_bot_lets_unused_locks_go() -> None:
    found = {
        str(path.relative_to(BOT)): tables
        for path in sorted(BOT.rglob("*.py"))
        if path.name != "locks.py"
        and (tables := _unbounded_lock_tables(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_a_table_of_locks_that_keeps_every_key_is_found() -> None:
    snippet = (
        "locks = defaultdict(asyncio.Lock)\n"
        "self._by_vote: dict[int, asyncio.Lock] = {}\n"
        "lock = self._by_guild.setdefault(guild_id, asyncio.Lock())\n"
        "self._closing: KeyedLocks[int] = KeyedLocks()\n"
    )
    assert _unbounded_lock_tables(ast.parse(snippet)) == [
        "defaultdict(asyncio.Lock)",
        "self._by_vote: dict[int, asyncio.Lock] = {}",
        "self._by_guild.setdefault(guild_id, asyncio.Lock())",
    ]
