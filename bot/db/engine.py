"""Engine and session factory for SQLite (aiosqlite) and PostgreSQL (asyncpg)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SQLITE_BUSY_TIMEOUT_MS = 5_000
# How long emptying the write-ahead log waits for other readers before saying it could not.
WAL_TRUNCATE_WAIT_MS = 200


def _prepare_sqlite_file(url: str) -> None:
    """Create the folder that will hold a SQLite file, so first use just works."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _install_sqlite_pragmas(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted and overwritten content is zeroed, on every connection: a secret ballot's
        # key, copied into each new version of its vote's row, must not linger in free space.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def make_engine(url: str) -> AsyncEngine:
    """Build an async engine for `url` with the settings each backend needs.

    Parameters are hidden from its errors and its echo: they are members' words and choices.
    """
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
        )
        _install_sqlite_pragmas(engine)
        return engine
    return create_async_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True
    )


# Set while a task is inside `Database.session()` on SQLite (see there).
_in_session: ContextVar[bool] = ContextVar("in_sqlite_session", default=False)


def holding_sqlite_turn() -> bool:
    """Whether this task is inside a SQLite session (and so holds the writers' turn)."""
    return _in_session.get()


@dataclass
class Database:
    """An engine with its session factory; `session()` gives one unit of work."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    _sqlite_turn: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session inside a transaction: committed on success, rolled back on error.

        On SQLite, sessions take turns. SQLite has one writer at a time: transactions from
        several pooled connections wait for each other inside SQLite, in sleeps of up to
        100 ms, and a transaction that read before another one committed cannot write at all
        ("database is locked" at once, in WAL mode). Waiting for the turn here instead costs
        nothing. A session opened inside another one (same task) does not wait for its turn.
        """
        async with self._turn(), self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection inside a transaction, taking its turn on SQLite like `session`
        (a writer outside the turn would meet the others inside SQLite's busy sleeps)."""
        async with self._turn(), self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """On SQLite, the writers' turn (not taken again by a task that holds it)."""
        if not self.is_sqlite or _in_session.get():
            yield
            return
        async with self._sqlite_turn:
            token = _in_session.set(True)
            try:
                yield
            finally:
                _in_session.reset(token)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reading only: on SQLite it does not wait for the writers' turn
        (readers never block one another or the writer there), and it is rolled back."""
        if not self.is_sqlite:
            async with self.session() as session:
                yield session
            return
        async with self.sessions() as session, session.begin() as transaction:
            yield session
            await transaction.rollback()

    async def truncate_wal(self, *, wait_ms: int = WAL_TRUNCATE_WAIT_MS) -> bool:
        """SQLite: copy the write-ahead log into the database file and empty the log.

        Returns False when it could not finish: another connection, perhaps another program,
        is reading in a transaction, and the log's old pages stay until it ends. It waits
        `wait_ms` for that, not the usual busy timeout. Always True on PostgreSQL.
        """
        if not self.is_sqlite:
            return True
        async with self._turn(), self.engine.connect() as conn:
            usual = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar_one()
            await conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_ms)}")
            try:
                busy, *_ = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            finally:
                await conn.exec_driver_sql(f"PRAGMA busy_timeout={int(usual)}")
        return busy == 0

    async def dispose(self) -> None:
        await self.engine.dispose()


def create_database(url: str) -> Database:
    """Create the engine and session factory for `url`."""
    engine = make_engine(url)
    return Database(engine, async_sessionmaker(engine, expire_on_commit=False))
