"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.db.engine import create_database, make_engine
from bot.db.migrate import (
    BASE,
    ForeignKeyError,
    SchemaError,
    current_revision,
    migrate_to,
    migrating,
    newest_revision,
    read_database,
    upgrade_to_head,
)
from bot.db.models import Base, MeetingPlan, Membership, Schedule
from tests.db.revisions import revision_order
from tests.services.worlds import ANA, BEN, GUILD, VoteWorld


def _schema_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_as_batch": True}
    )
    diff: list[object] = compare_metadata(context, Base.metadata)
    return diff


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def test_upgrade_downgrade_upgrade_round_trips(empty_database_url: str) -> None:
    await upgrade_to_head(empty_database_url)
    assert await current_revision(empty_database_url) == revision_order()[-1]
    assert {"guilds", "readings", "sections"} <= await read_database(empty_database_url, _tables)

    await migrate_to(empty_database_url, BASE, undo=True)
    assert await current_revision(empty_database_url) is None
    assert await read_database(empty_database_url, _tables) == set()

    await upgrade_to_head(empty_database_url)
    assert await current_revision(empty_database_url) == revision_order()[-1]


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    assert await read_database(database_url, _schema_diff) == []


async def test_upgrading_twice_is_harmless(database_url: str) -> None:
    await upgrade_to_head(database_url)
    assert await current_revision(database_url) == revision_order()[-1]


def test_the_newest_revision_read_from_the_files_is_alembics_head() -> None:
    assert newest_revision() == revision_order()[-1]
    assert revision_order()[0] == "0001"


async def test_a_database_moves_down_and_up_to_a_named_revision(database_url: str) -> None:
    newest, older = revision_order()[-1], revision_order()[-2]
    with pytest.raises(SchemaError, match=rf"would undo {newest} \(.+\).*again with --yes"):
        await migrate_to(database_url, older)
    assert await current_revision(database_url) == newest

    undone = await migrate_to(database_url, older, undo=True)
    assert [step.split(" ")[0] for step in undone] == [newest]
    assert await current_revision(database_url) == older

    assert await migrate_to(database_url, older) == []  # already there: nothing to do
    assert await migrate_to(database_url, newest) == []
    assert await current_revision(database_url) == revision_order()[-1]
    assert await read_database(database_url, _schema_diff) == []


async def test_a_revision_no_migration_names_is_refused(database_url: str) -> None:
    with pytest.raises(SchemaError, match=r"there is no migration 9999 \(this version knows 0001"):
        await migrate_to(database_url, "9999", undo=True)
    assert await current_revision(database_url) == revision_order()[-1]


async def test_a_database_a_newer_version_migrated_is_left_as_it_is(database_url: str) -> None:
    def from_the_future(connection: Connection) -> None:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()

    await read_database(database_url, from_the_future)

    with pytest.raises(SchemaError, match=r"at revision 9999, newer than this version.*--to 0"):
        await upgrade_to_head(database_url)
    with pytest.raises(SchemaError, match="at revision 9999"):
        await migrate_to(database_url, revision_order()[-2])
    assert await current_revision(database_url) == "9999"


ROOT = Path(__file__).resolve().parents[2]
# In a process of its own, which has not imported Alembic yet: upgrade, then name what of
# Alembic (and its templates) the upgrade loaded.
_UPGRADE_AND_LIST_ALEMBIC = """
import asyncio, sys
from bot.db.migrate import upgrade_to_head
asyncio.run(upgrade_to_head(sys.argv[1]))
print(sorted(name for name in sys.modules if name.split(".")[0] in ("alembic", "mako")))
"""


async def test_a_database_at_the_newest_revision_is_left_alone_without_loading_alembic(
    database_url: str,
) -> None:
    """The usual case at a start costs no Alembic; a database behind it still gets it
    (`test_upgrade_downgrade_upgrade_round_trips`)."""
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _UPGRADE_AND_LIST_ALEMBIC,
        database_url,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert out.decode().strip() == "[]"
    assert await current_revision(database_url) == revision_order()[-1]


def _everything(connection: Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table the models describe, in a stable order."""
    return {
        table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
        for table in Base.metadata.sorted_tables
    }


def _nullable(connection: Connection) -> dict[str, bool]:
    columns = inspect(connection)
    return {
        "schedules.created_by": next(
            c["nullable"] for c in columns.get_columns("schedules") if c["name"] == "created_by"
        ),
        "meeting_plans.updated_by": next(
            c["nullable"] for c in columns.get_columns("meeting_plans") if c["name"] == "updated_by"
        ),
    }


async def _a_circle_in_use(url: str) -> int:
    """A circle whose schedule other tables point at: members, a post, progress, a
    reflection, a meeting plan, a vote and their jobs."""
    db = create_database(url)
    try:
        world = VoteWorld(db)
        schedule_id = await world.circle(ANA, BEN)
        await world.first_post_met_and_shared(schedule_id, ANA)
        await world.open()
        return schedule_id
    finally:
        await db.dispose()


async def test_forgettable_creators_keep_every_circle_whole_both_ways(
    database_url: str,
) -> None:
    # Making a column nullable rebuilds its table on SQLite: the rows that point at a
    # schedule (memberships, posts, meeting plans, reflections, votes) must not go with it.
    schedule_id = await _a_circle_in_use(database_url)
    before = await read_database(database_url, _everything)
    pointing = ("memberships", "section_posts", "meeting_plans", "reflections", "votes")
    assert all(before[table] for table in pointing)

    await migrate_to(database_url, "0011", undo=True)
    assert await read_database(database_url, _everything) == before
    assert await read_database(database_url, _nullable) == {
        "schedules.created_by": False,
        "meeting_plans.updated_by": False,
    }

    await upgrade_to_head(database_url)
    assert await read_database(database_url, _everything) == before
    assert await read_database(database_url, _nullable) == {
        "schedules.created_by": True,
        "meeting_plans.updated_by": True,
    }
    assert await read_database(database_url, _schema_diff) == []

    # A forgotten creator is 0 in the older schema, which has no room for "unknown".
    db = create_database(database_url)
    try:
        async with db.session() as session:
            await session.execute(update(Schedule).values(created_by=None))
            await session.execute(update(MeetingPlan).values(updated_by=None))
    finally:
        await db.dispose()
    await migrate_to(database_url, "0011", undo=True)
    after = await read_database(database_url, _everything)
    assert after["memberships"] == before["memberships"]
    db = create_database(database_url)
    try:
        async with db.read() as session:
            schedule = await session.get_one(Schedule, schedule_id)
            plan = await session.get_one(MeetingPlan, schedule_id)
            assert (schedule.created_by, plan.updated_by) == (0, 0)
    finally:
        await db.dispose()


async def test_a_migration_that_would_break_links_is_rolled_back(database_url: str) -> None:
    # SQLite migrates with foreign keys off, then checks them before the commit; PostgreSQL
    # refuses the row at once.
    engine = make_engine(database_url)
    try:
        with pytest.raises((ForeignKeyError, IntegrityError)):
            async with migrating(engine) as conn:
                await conn.execute(insert(Membership).values(schedule_id=404, user_id=ANA))
        async with engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(Membership)) == 0
            if conn.dialect.name == "sqlite":
                assert (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar_one() == 1
    finally:
        await engine.dispose()


async def _votes_with_ballots(url: str) -> None:
    """A closed vote with its result and an open secret one, each with ballots."""
    db = create_database(url)
    try:
        world = VoteWorld(db)
        await world.circle(ANA, BEN)
        closed = await world.open()
        secret = await world.open(secret=True)
        for vote_id in (closed, secret):
            await world.votes.ballots.cast(GUILD, vote_id, ANA, [0])
            await world.votes.ballots.cast(GUILD, vote_id, BEN, [0, 1])
        await world.votes.closing.begin_close(closed)
        await world.votes.closing.finish_close(closed, 7001)
    finally:
        await db.dispose()


def _vote_columns(connection: Connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("votes")}


async def test_dropping_the_unread_winner_index_keeps_every_vote_and_ballot_both_ways(
    database_url: str,
) -> None:
    # Dropping a column rebuilds the votes table on SQLite: the ballots pointing at its votes
    # must not go with it, nor the closed vote's result.
    await _votes_with_ballots(database_url)
    before = await read_database(database_url, _everything)
    assert len(before["votes"]) == 2
    assert len(before["ballots"]) == 4

    await migrate_to(database_url, "0012", undo=True)
    assert "winner_index" in await read_database(database_url, _vote_columns)
    assert await read_database(database_url, _everything) == before

    await upgrade_to_head(database_url)
    assert "winner_index" not in await read_database(database_url, _vote_columns)
    assert await read_database(database_url, _everything) == before
    assert await read_database(database_url, _schema_diff) == []
