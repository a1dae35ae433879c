"""The engine sets SQLite up for a bot: WAL, foreign keys enforced, a busy timeout."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.db import Database, create_database
from bot.db.engine import SQLITE_BUSY_TIMEOUT_MS


async def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    db = create_database(f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'dir' / 'circle.db'}")
    try:
        async with db.session() as session:
            assert (await session.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await session.scalar(text("PRAGMA foreign_keys"))) == 1
            assert (await session.scalar(text("PRAGMA busy_timeout"))) == SQLITE_BUSY_TIMEOUT_MS
        assert (tmp_path / "nested" / "dir" / "circle.db").exists()
    finally:
        await db.dispose()


async def test_a_failed_unit_of_work_leaves_nothing_behind(database_url: str) -> None:
    from bot.db.models import Guild

    db = create_database(database_url)

    async def half_written() -> None:
        async with db.session() as session:
            session.add(Guild(id=77, name="Half-written"))
            await session.flush()
            raise RuntimeError("crash mid-transaction")

    try:
        with pytest.raises(RuntimeError):
            await half_written()
        async with db.session() as session:
            assert await session.get(Guild, 77) is None
    finally:
        await db.dispose()


async def test_the_engine_keeps_parameters_out_of_its_errors(database_url: str) -> None:
    from bot.db.models import Guild

    db = create_database(database_url)
    words = "a private reflection"
    try:
        async with db.session() as session:
            session.add(Guild(id=78, name="First"))
        with pytest.raises(DBAPIError) as raised:
            async with db.session() as session:
                session.add(Guild(id=78, name=words))
        assert words not in str(raised.value)
        assert "parameters hidden" in str(raised.value)
    finally:
        await db.dispose()


async def test_the_dialects_insert_skips_or_updates_a_row_already_there(db: Database) -> None:
    from bot.db.models import Guild

    async with db.write() as conn:
        await conn.execute(db.insert(Guild).values(id=79, name="First"))
        skipped = db.insert(Guild).values(id=79, name="Second")
        await conn.execute(skipped.on_conflict_do_nothing(index_elements=[Guild.id]))
    async with db.read() as session:
        assert (await session.get_one(Guild, 79)).name == "First"
    async with db.write() as conn:
        renamed = db.insert(Guild).values(id=79, name="Third")
        await conn.execute(
            renamed.on_conflict_do_update(index_elements=[Guild.id], set_={"name": "Third"})
        )
    async with db.read() as session:
        assert (await session.get_one(Guild, 79)).name == "Third"
