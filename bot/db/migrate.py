"""Run Alembic migrations from inside the application (used by `run` and `migrate`).

A database already at the newest revision is the usual case at a start: that is found
without Alembic (the revision the database records against the newest one the migration
files name), and Alembic, with Mako and the migration scripts, is loaded only when there is
something to migrate.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.bundled import migrations_dir
from bot.db.engine import make_engine

if TYPE_CHECKING:
    from alembic.config import Config

VERSION_TABLE = "alembic_version"  # Alembic's, holding the revision a database is at
_REVISION = re.compile(r"^revision\b[^=\n]*=\s*(.+)$", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=\n]*=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


def alembic_config() -> Config:
    """The project's Alembic config, independent of the current directory (and of
    alembic.ini, which an installed package does not have)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


def _run(connection: Connection, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["sync_connection"] = connection
    getattr(command, action)(config, revision)


class SchemaError(RuntimeError):
    """The database's schema is not one this version can move from or to (the message is a
    clause: the operator's line is built around it)."""


async def upgrade_to_head(url: str) -> None:
    """Bring the database at `url` to the newest schema (nothing to do when it is there)."""
    newest = newest_revision()
    recorded = await _recorded_revisions(url)
    if newest is not None and recorded == {newest}:
        return
    _check_known(recorded)
    await _migrate(url, "upgrade", "head")


BASE = "base"  # Alembic's name for before the first migration: no tables of ours


async def migrate_to(url: str, revision: str, *, undo: bool = False) -> list[str]:
    """Move the database at `url` up or down to `revision`, one the migration files name, or
    `BASE`; the migrations stepped down from, each as "0013 (what it did)", newest first.
    A step down undoes what those migrations added, contents and all, so it is refused unless
    `undo` says the operator means it."""
    scripts = _scripts()
    order = [BASE, *scripts]
    if revision not in order:
        raise SchemaError(
            f"there is no migration {revision} (this version knows {order[1]} to {order[-1]})"
        )
    recorded = await _recorded_revisions(url)
    _check_known(recorded)
    current = next(iter(recorded)) if recorded else BASE
    if current == revision:
        return []
    if order.index(revision) > order.index(current):
        await _migrate(url, "upgrade", revision)
        return []
    undone = [
        f"{name} ({scripts[name]})"
        for name in reversed(order[order.index(revision) + 1 : order.index(current) + 1])
    ]
    if not undo:
        raise SchemaError(
            f"moving it to {revision} would undo {', '.join(undone)}, dropping what they "
            "added with its contents. Stop the bot and back the database up, then run this "
            "again with --yes"
        )
    await _migrate(url, "downgrade", revision)
    return undone


def _check_known(recorded: set[str] | None) -> None:
    """Refuse a database migrated by a newer version, whose migrations this one lacks (read
    from the files: Alembic is not loaded for it)."""
    known = _revision_files()
    if known is None:
        return  # files Alembic must read fully: it refuses an unknown revision itself
    unknown = sorted((recorded or set()) - set(known))
    newest = _head(known)
    if unknown and newest is not None:
        raise SchemaError(
            f"its schema is at revision {', '.join(unknown)}, newer than this version of Study "
            f"Circle knows (its newest is {newest}). Run the newer version, or step the "
            f"database down with it first: `migrate --to {newest} --yes`"
        )


def _scripts() -> dict[str, str]:
    """Every revision, oldest first, with the first line of what it does, as Alembic reads
    the migration scripts."""
    from alembic.script import ScriptDirectory

    scripts = reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    return {script.revision: " ".join(script.doc.split()) for script in scripts}


def _revision_files() -> dict[str, set[str]] | None:
    """Each revision the migration files name, with the revisions it follows, read from
    their `revision` and `down_revision` lines without running them; None when a file does
    not name them plainly (Alembic, which reads them fully, then decides)."""
    follows: dict[str, set[str]] = {}
    for path in (migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        named = _QUOTED.fullmatch(revision.group(1).strip()) if revision else None
        if named is None or down is None:
            return None
        follows[named.group(1)] = set(_QUOTED.findall(down.group(1)))
    return follows


def newest_revision() -> str | None:
    """The head revision, read from the migration files without running them; None when
    they do not name exactly one head."""
    follows = _revision_files()
    return None if follows is None else _head(follows)


def _head(follows: dict[str, set[str]]) -> str | None:
    """The one revision no other follows; None when there is not exactly one."""
    heads = set(follows) - set().union(*follows.values())
    return heads.pop() if len(heads) == 1 else None


def _version_rows(connection: Connection) -> set[str] | None:
    if not inspect(connection).has_table(VERSION_TABLE):
        return None
    rows = connection.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}")
    return {str(row[0]) for row in rows}


T = TypeVar("T")


async def read_database(url: str, read: Callable[[Connection], T]) -> T:
    """`read` run on a connection of its own to the database at `url`."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(read)
    finally:
        await engine.dispose()


async def _recorded_revisions(url: str) -> set[str] | None:
    """The revisions Alembic recorded in the database at `url`; None before any migration."""
    return await read_database(url, _version_rows)


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
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at, or None when it was never migrated."""
    return await read_database(url, _current)
