"""Shared fixtures: an empty, migrated database per test, on SQLite and (when configured)
on PostgreSQL too, the fake clock most tests run on, the fake Discord and the bot logged in
to it (tests/fakediscord/fixtures.py; on the real clock: `clocked_bot` in tests/clocked.py
puts it on the fake one), a fake language model, and an environment with none of the bot's
variables set (tests/environment.py).

Set TEST_DATABASE_URL=postgresql+asyncpg://user@host:port/postgres to run every test that
uses `db` or `database_url` against PostgreSQL as well as SQLite.

The migrations run once per session per backend, into a template. On SQLite each test gets a
copy of it (a file copy); on PostgreSQL each test process copies it once and empties the copy
before each test (`postgres_database`). Either way a test finds the database the migrations
would have built, in a fraction of the time.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import os
import shutil
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.db import Database, create_database
from bot.db import engine as db_engine
from bot.db.engine import make_engine
from bot.db.migrate import upgrade_to_head
from bot.db.models import Base
from tests.clocked import clock, services
from tests.environment import clean_environment
from tests.fakediscord.fixtures import (
    bot,
    bot_settings,
    bundled_readings_parsed,
    fake_discord,
    quick_server_error_retries,
)
from tests.fakemodel import fake_model

__all__ = [
    "bot",
    "bot_settings",
    "bundled_readings_parsed",
    "clean_environment",
    "clock",
    "fake_discord",
    "fake_model",
    "quick_server_error_retries",
    "services",
]

# pytest keeps each test module's assertion-rewritten bytecode in __pycache__, but not where
# PYTHONDONTWRITEBYTECODE is set (as in the image and on many CI hosts): then every worker
# of every run parses and rewrites all the test modules again, a few seconds of CPU each.
# From here on (this module is imported before any test module) they are kept; the bot's
# own modules are compiled once a session anyway (`pytest_configure`).
sys.dont_write_bytecode = False

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]
ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Compile the bot's modules and migrations to bytecode once, before any test runs.

    Each test's bot loads its extensions afresh (discord.py runs an extension's module anew
    on every load, and unloads its submodules on close), and each `python -m bot` a test
    starts imports the whole bot: with PYTHONDONTWRITEBYTECODE set (as in the image and on
    many CI hosts) Python would compile the same sources every time: about half the CPU of
    starting a test's bot (0.16 s → 0.08 s), a tenth of a process's start. Python still
    reads bytecode it did not write; stale files are recompiled, as on import. The
    controller compiles; pytest-xdist workers start after.
    """
    if hasattr(config, "workerinput"):
        return
    for folder in ("bot", "migrations"):
        compileall.compile_dir(ROOT / folder, quiet=1)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` need TEST_DATABASE_URL: without it they are left out (not
    skipped: they were never meant to run on SQLite).

    Tests that start the bot as a process (`e2e`, the longest by far) run first, so that
    with several workers none is left running one of them while the others have finished.
    """
    if not POSTGRES_URL:
        left_out = [item for item in items if item.get_closest_marker("postgres")]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker("postgres")]
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)


@pytest.fixture(scope="session", autouse=True)
def statements_compiled_once() -> Iterator[None]:
    """The engines of a test process share one dialect per backend, so each statement is
    compiled to SQL once per process, as in the bot, not once per test.

    SQLAlchemy keeps compiled statements in each engine's cache, by dialect object, and each
    engine makes its own dialect, so every test's fresh engine would compile all its
    statements again. Engines made with the same URL driver and options have equal
    dialects; the first that has connected (and so has read the server's version and
    settings) is the one the later engines use, with one cache of compiled statements.
    """
    dialects: dict[str, Dialect] = {}
    compiled: dict[str, dict[Any, Any]] = {}

    def engine_sharing_a_dialect(url: str, **options: Any) -> AsyncEngine:
        engine = create_async_engine(url, **options)
        sync = engine.sync_engine
        key = f"{sync.url.drivername} {sorted(options.items())!r}"
        # A dictionary, as SQLAlchemy's documentation allows: the suite's statements are few.
        sync.update_execution_options(compiled_cache=compiled.setdefault(key, {}))
        if key in dialects:
            sync.dialect = sync.pool._dialect = dialects[key]
        else:
            # SQLAlchemy initialises the dialect (the server's version and settings) in its
            # own "connect" listener, which runs before this one: only a dialect initialised
            # whole is handed on.
            event.listen(
                sync.pool,
                "connect",
                lambda *_: dialects.setdefault(key, sync.dialect),
                once=True,
            )
        return engine

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db_engine, "create_async_engine", engine_sharing_a_dialect)
        yield


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        only_postgres = metafunc.definition.get_closest_marker("postgres") is not None
        backends = [b for b in BACKENDS if b == "postgres" or not only_postgres]
        metafunc.parametrize("backend", backends, scope="session")


async def _postgres_admin(statement: str) -> None:
    engine = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


def _postgres_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@contextlib.asynccontextmanager
async def _new_postgres_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database, dropped on exit."""
    name = f"sc_test_{uuid.uuid4().hex[:12]}"
    await _postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        await _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def empty_database_url(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a database that exists but has no tables."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'study-circle.db'}"
        return
    async with _new_postgres_database() as name:
        yield _postgres_url(name)


def _run_apart(work: Coroutine[Any, Any, None]) -> None:
    """Run `work` to the end on its own event loop, in a thread, so the test's loop (which
    pytest-asyncio owns) is neither used nor replaced."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, work).result()


@pytest.fixture(scope="session")
def migrated_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to the newest schema, once per session: a SQLite file's path or
    a PostgreSQL database's name. Tests never open it; they get copies."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("template") / "study-circle.db"
        _run_apart(upgrade_to_head(f"sqlite+aiosqlite:///{path}"))
        yield str(path)
        return
    name = f"sc_template_{uuid.uuid4().hex[:12]}"
    _run_apart(_postgres_admin(f'CREATE DATABASE "{name}"'))
    try:
        _run_apart(upgrade_to_head(_postgres_url(name)))
        yield name
    finally:
        _run_apart(_postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# What a test finds of the database, as one digest: the tables, their columns, indexes and
# constraints, and the revision the migrations recorded. It fails without `alembic_version`.
_SCHEMA = """
SELECT md5(string_agg(part, ';' ORDER BY part)) FROM (
    SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
        || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
        || coalesce(' = ' || pg_get_expr(d.adbin, d.adrelid), '') AS part
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
        AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL
    SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL
    SELECT 'revision ' || version_num FROM alembic_version
) AS parts
"""


class _PostgresDatabase:
    """This test process's copy of the migrated PostgreSQL template, emptied before each
    test: every table's rows deleted and every sequence restarted, which leaves it as the
    template is (the migrations add no rows).

    Copying the template for each test (`CREATE DATABASE … TEMPLATE`, and a drop after) took
    about 0.2 s of the server's time, longer than most tests; emptying takes about 12 ms
    (bench/RESULTS.md, section 9, "PostgreSQL's database emptied"). A test that leaves
    another schema or revision behind (the migration tests move the database down and up),
    or a reset that fails, gets a new copy. The work runs on a thread of its own, whose event
    loop holds the connection, so no test's loop is used.
    """

    def __init__(self, template: str) -> None:
        self._template = template
        self.name = f"sc_test_{uuid.uuid4().hex[:12]}"
        self._empty = "; ".join(
            f'DELETE FROM "{table.name}"' for table in reversed(Base.metadata.sorted_tables)
        )
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="postgres-database", daemon=True
        )
        self._thread.start()
        self._conn: asyncpg.Connection | None = None
        self._schema = self._run(self._copy())

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=120)

    async def _copy(self) -> str:
        """A new copy of the template under this process's name; its schema's digest."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
        await _postgres_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        await _postgres_admin(f'CREATE DATABASE "{self.name}" TEMPLATE "{self._template}"')
        self._conn = await asyncpg.connect(
            make_url(_postgres_url(self.name))
            .set(drivername="postgresql")
            .render_as_string(hide_password=False),
            # A lock the last test left that nothing ends fails the reset, which then copies.
            server_settings={"lock_timeout": "5s"},
        )
        return str(await self._conn.fetchval(_SCHEMA))

    async def _reset(self) -> None:
        conn = self._conn
        assert conn is not None
        # Whatever the last test left connected (a bot process killed mid-transaction) goes
        # first, with any lock it held: each waited for, 5 s at most.
        await conn.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND backend_type = 'client backend'"
        )
        if await conn.fetchval(_SCHEMA) != self._schema:
            raise _Changed
        sequences = await conn.fetch(
            "SELECT schemaname, sequencename FROM pg_sequences WHERE schemaname = 'public'"
        )
        restart = "".join(f'; ALTER SEQUENCE "{s}"."{name}" RESTART' for s, name in sequences)
        async with conn.transaction():
            await conn.execute(self._empty + restart)

    async def _reset_or_copy(self) -> None:
        try:
            await self._reset()
        except (_Changed, asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
            await self._copy()

    def reset(self) -> str:
        """The database's URL, emptied (or copied afresh) for the next test."""
        self._run(self._reset_or_copy())
        return _postgres_url(self.name)

    def close(self) -> None:
        """Drop the copy, and stop the thread."""
        try:
            if self._conn is not None:
                self._run(self._conn.close())
            self._run(_postgres_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join()
            self._loop.close()


class _Changed(Exception):
    """The test left another schema or revision behind."""


T = TypeVar("T")


@pytest.fixture(scope="session")
def postgres_database(migrated_template: str) -> Iterator[_PostgresDatabase]:
    database = _PostgresDatabase(migrated_template)
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
async def database_url(
    backend: str, migrated_template: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """The URL of a database migrated to the newest schema, with nothing in it: a copy of the
    template (SQLite), or this process's copy emptied (PostgreSQL)."""
    if backend == "sqlite":
        path = tmp_path / "study-circle.db"
        # The template was closed cleanly, so its write-ahead log is folded into the file.
        shutil.copyfile(migrated_template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    database: _PostgresDatabase = request.getfixturevalue("postgres_database")
    yield database.reset()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A fresh, migrated database for one test."""
    database = create_database(database_url)
    try:
        yield database
    finally:
        await database.dispose()
