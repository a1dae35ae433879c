"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.db.engine import make_engine
from bot.db.migrate import current_revision, downgrade, head_revision, upgrade_to_head
from bot.db.models import Base


def _schema_diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "render_as_batch": True}
    )
    return compare_metadata(context, Base.metadata)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


async def _inspect(url: str, fn):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(fn)
    finally:
        await engine.dispose()


async def test_upgrade_downgrade_upgrade_round_trips(empty_database_url: str) -> None:
    await upgrade_to_head(empty_database_url)
    assert await current_revision(empty_database_url) == head_revision()
    assert {"guilds", "readings", "sections"} <= await _inspect(empty_database_url, _tables)

    await downgrade(empty_database_url, "base")
    assert await current_revision(empty_database_url) is None
    assert await _inspect(empty_database_url, _tables) == set()

    await upgrade_to_head(empty_database_url)
    assert await current_revision(empty_database_url) == head_revision()


async def test_migrated_schema_matches_the_models(database_url: str) -> None:
    assert await _inspect(database_url, _schema_diff) == []


async def test_upgrading_twice_is_harmless(database_url: str) -> None:
    await upgrade_to_head(database_url)
    assert await current_revision(database_url) == head_revision()
