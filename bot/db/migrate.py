"""Run Alembic migrations from inside the application (used by `run` and `migrate`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.bundled import migrations_dir
from bot.db.engine import make_engine


def alembic_config() -> Config:
    """The project's Alembic config, independent of the current directory (and of
    alembic.ini, which an installed package does not have)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def _run(connection: Connection, action: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["sync_connection"] = connection
    getattr(command, action)(config, revision)


async def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema."""
    await _migrate(url, "upgrade", "head")


async def downgrade(url: str, revision: str) -> None:
    """Step the database at `url` down to `revision` (e.g. "base")."""
    await _migrate(url, "downgrade", revision)


class ForeignKeyError(RuntimeError):
    """A migration left rows pointing at rows that are gone (it was rolled back)."""


@asynccontextmanager
async def migrating(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection in one transaction, to migrate in; committed if the block succeeds.

    On SQLite, changing a column rebuilds its table (a copy, then a DROP of the original),
    and dropping a table with foreign keys on deletes, or empties the links of, every row
    that points at it: a schedule's members, posts and votes. So foreign keys are off while
    migrating (the pragma does nothing inside a transaction: it is set before), and checked
    once before the commit.
    """
    async with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
            if (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar_one():
                raise ForeignKeyError("SQLite's foreign keys could not be turned off to migrate")
            await conn.commit()
        try:
            async with conn.begin():
                yield conn
                if sqlite:
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        tables = sorted({str(row[0]) for row in broken})
                        raise ForeignKeyError(
                            f"Migrating would leave broken links in {', '.join(tables)}"
                        )
        finally:
            if sqlite:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()


async def _migrate(url: str, action: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        async with migrating(engine) as conn:
            await conn.run_sync(_run, action, revision)
    finally:
        await engine.dispose()


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at, or None when it was never migrated."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_current)
    finally:
        await engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
