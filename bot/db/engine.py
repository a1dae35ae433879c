"""The database: the engine and its sessions for SQLite (aiosqlite) and PostgreSQL (asyncpg),
writers taking turns on SQLite, and requests that arrive together written together.

A `Coalescer` turns a burst of requests into a handful of transactions. When a whole server
presses the same button at once, a transaction each means thousands of round trips to the
database, one after the other on SQLite. A coalescer runs the first request at once, alone;
the requests that arrive while it runs wait and then go together in the next batch, and so
on. Nothing waits on a timer: at low load a request costs what it did, under load the
batches grow and the database does a handful of statements per batch.

    clicks = Coalescer(run_batch)          # run_batch(list[Req]) -> list[Res | Exception]
    result = await clicks.submit(request)  # raises the request's own exception, if any

`run_batch` returns one result per request, in order; an exception in that list is raised
to that request's caller alone. If `run_batch` itself raises (the database is away, say),
every request of the batch gets that exception.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import CursorResult, Result, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

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
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
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


# Set while a task is inside `Database.session()` on SQLite (see there): it holds the
# writers' turn.
_in_session: ContextVar[bool] = ContextVar("in_sqlite_session", default=False)


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

    def insert(self, table: type[Any]) -> sqlite.Insert | postgresql.Insert:
        """An INSERT into `table` in this database's dialect: both have
        `on_conflict_do_nothing`/`on_conflict_do_update`, the generic INSERT has neither."""
        return sqlite.insert(table) if self.is_sqlite else postgresql.insert(table)

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
        (readers never block one another or the writer there), and it is rolled back, which
        expires what it loaded: read the rows inside it. It sees what was committed before
        it began, not the writes of a session still open around it."""
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
        return int(busy) == 0

    async def dispose(self) -> None:
        await self.engine.dispose()


def create_database(url: str) -> Database:
    """Create the engine and session factory for `url`."""
    engine = make_engine(url)
    return Database(engine, async_sessionmaker(engine, expire_on_commit=False))


def rows_matched(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE matched, run in a session or on a connection."""
    # `AsyncSession.execute` is typed to return a `Result` for every statement; for an UPDATE
    # or a DELETE it is a `CursorResult`, the one that counts rows.
    return cast(CursorResult[Any], result).rowcount


# -- requests that arrive together, written together (see the module's docstring) ---------

Req = TypeVar("Req")
Res = TypeVar("Res")

RunBatch = Callable[[list[Req]], Awaitable[Sequence["Res | BaseException"]]]


class Coalescer(Generic[Req, Res]):
    """Runs requests in batches of at most `max_batch`. Capped batches keep a flood moving:
    while one batch is in the database, the answers of the one before go out (bench.burst:
    faster, and less memory, at 100 than at 500)."""

    def __init__(self, run: RunBatch[Req, Res], *, max_batch: int = 100) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._run = run
        self._max_batch = max_batch
        self._queue: list[tuple[Req, asyncio.Future[Res]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def submit(self, request: Req) -> Res:
        if _in_session.get():
            # The caller is inside a session: a batch would wait for its turn forever.
            [result] = await self._run([request])
            if isinstance(result, BaseException):
                raise result
            return result
        future: asyncio.Future[Res] = asyncio.get_running_loop().create_future()
        self._queue.append((request, future))
        if self._worker is None or self._worker.done():
            # A context of its own: the batches must not run inside the first caller's (which
            # may be inside a database session, say).
            self._worker = asyncio.create_task(
                self._drain(), name="coalescer", context=contextvars.Context()
            )
        return await future

    async def _drain(self) -> None:
        while self._queue:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
            live = [(request, future) for request, future in batch if not future.cancelled()]
            if not live:
                continue
            try:
                results = await self._run([request for request, _ in live])
                if len(results) != len(live):
                    raise RuntimeError(f"{len(results)} results for {len(live)} requests")
            except asyncio.CancelledError:
                for _, future in live:
                    future.cancel()
                raise
            except Exception as exc:
                for _, future in live:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(live, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)
