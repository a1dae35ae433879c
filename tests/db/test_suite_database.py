"""The suite's PostgreSQL database (`postgres_database` in tests/conftest.py): one copy of the
migrated template a test process, which every test finds as the migrations left it."""

from __future__ import annotations

import contextlib
from typing import Protocol

import pytest
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from bot.db import create_database
from bot.db.engine import make_engine
from bot.db.migrate import current_revision, migrate_to, read_database
from bot.db.models import Base
from tests.db.revisions import revision_order
from tests.services.worlds import ANA, GUILD, VoteWorld, weekly_circle

pytestmark = pytest.mark.postgres


class SuiteDatabase(Protocol):
    def reset(self) -> str: ...


async def _a_circle(url: str) -> tuple[int, dict[str, int]]:
    """A circle set up in the database at `url`: its schedule's id, and every table's rows."""
    db = create_database(url)
    try:
        schedule_id = await weekly_circle(db, VoteWorld(db).services, GUILD, ANA)
        async with db.read() as session:
            rows = {
                table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables
            }
        return schedule_id, rows
    finally:
        await db.dispose()


async def test_the_next_test_finds_no_rows_and_its_ids_from_the_start(
    postgres_database: SuiteDatabase,
) -> None:
    url = postgres_database.reset()
    first, rows = await _a_circle(url)
    assert rows["schedules"] == 1

    again, rows_again = await _a_circle(postgres_database.reset())

    assert (again, rows_again) == (first, rows)


async def test_a_connection_left_holding_a_lock_does_not_hold_up_the_next_test(
    postgres_database: SuiteDatabase,
) -> None:
    # As a bot process killed in the middle of a transaction would leave it.
    engine = make_engine(postgres_database.reset())
    left = await engine.connect()
    try:
        await left.begin()
        await left.execute(text("LOCK TABLE schedules IN ACCESS EXCLUSIVE MODE"))

        url = postgres_database.reset()

        assert (await _a_circle(url))[1]["schedules"] == 1
    finally:
        with contextlib.suppress(DBAPIError):  # its server process is gone
            await left.close()
        await engine.dispose()


async def test_a_schema_a_test_changed_at_the_newest_revision_is_copied_afresh(
    postgres_database: SuiteDatabase,
) -> None:
    # As a migration's downgrade and upgrade that did not give back the same schema would.
    db = create_database(postgres_database.reset())
    try:
        async with db.session() as session:
            await session.execute(text("ALTER TABLE schedules ADD COLUMN left_behind integer"))
    finally:
        await db.dispose()

    url = postgres_database.reset()

    assert await read_database(url, _schedule_columns) == {
        column.name for column in Base.metadata.tables["schedules"].columns
    }


def _schedule_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("schedules")}


async def test_a_database_left_at_another_revision_is_copied_afresh(
    postgres_database: SuiteDatabase,
) -> None:
    url = postgres_database.reset()
    await migrate_to(url, revision_order()[-2], undo=True)

    url = postgres_database.reset()

    assert await current_revision(url) == revision_order()[-1]
    assert (await _a_circle(url))[1]["schedules"] == 1
