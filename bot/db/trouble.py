"""One line for the operator when the database named by DATABASE_URL cannot be used.

Start-up commands (`run`, `migrate`, `sync`) turn such failures into this line and an exit
code instead of a traceback: 1 when the database may come back by itself (a server that is
not up yet), 2 when a setting must change (a password, a folder that cannot be written).
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db.error_text import chain, raised_in_database
from bot.db.migrate import ForeignKeyError, SchemaError

EXIT_UNAVAILABLE = 1
EXIT_SETTING = 2
# asyncpg's exceptions for a login or a database name the server turned down, by class name
# (asyncpg is only imported where PostgreSQL is used).
_REFUSED = {
    "InvalidPasswordError": "PostgreSQL refused the user name or password",
    "InvalidAuthorizationSpecificationError": "PostgreSQL refused the user",
    "InvalidCatalogNameError": "PostgreSQL has no database of that name",
}


@dataclass(frozen=True)
class DatabaseTrouble:
    """What to tell the operator, and the exit code that goes with it."""

    message: str
    exit_code: int


def _about_sqlite_file(exc: BaseException, url: str) -> bool:
    """Whether `exc` is the file system refusing the SQLite file's path (or its folder)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return False
    path = str(Path(parsed.database).expanduser())
    return any(
        isinstance(link, OSError) and link.filename and path.startswith(str(link.filename))
        for link in chain(exc)
    )


def _where(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"the SQLite file {parsed.database}"
    host = parsed.host or "localhost"
    return f"PostgreSQL at {host}:{parsed.port or 5432} (database {parsed.database or '?'})"


def explain(exc: BaseException, url: str) -> DatabaseTrouble | None:
    """The operator's line for a failure to use the database at `url`; None when `exc` is
    not such a failure (a bug keeps its traceback)."""
    refused_migration = _migration_refused(exc, url)
    if refused_migration is not None:
        return refused_migration
    if not raised_in_database(exc) and not _about_sqlite_file(exc, url):
        return None
    where = _where(url)
    sqlite = make_url(url).get_backend_name() == "sqlite"
    for link in chain(exc):
        trouble = _connection_trouble(link, where, sqlite=sqlite)
        if trouble is not None:
            return trouble
    detail = str(getattr(exc, "orig", None) or exc) or type(exc).__name__
    return DatabaseTrouble(
        f"The database in DATABASE_URL ({where}) failed: {detail.splitlines()[0]}",
        EXIT_UNAVAILABLE,
    )


def _migration_refused(exc: BaseException, url: str) -> DatabaseTrouble | None:
    """A migration that stopped on rows or a schema it cannot take, before changing anything."""
    broken = next((link for link in chain(exc) if isinstance(link, ForeignKeyError)), None)
    if broken is not None:
        return DatabaseTrouble(
            f"Cannot migrate the database in DATABASE_URL ({_where(url)}): {broken}, from "
            "before this version; nothing was changed. Restore a backup, or remove those rows.",
            EXIT_UNAVAILABLE,
        )
    schema = next((link for link in chain(exc) if isinstance(link, SchemaError)), None)
    if schema is not None:
        return DatabaseTrouble(
            f"Cannot migrate the database in DATABASE_URL ({_where(url)}): {schema}.",
            EXIT_SETTING,
        )
    return None


def _connection_trouble(link: BaseException, where: str, *, sqlite: bool) -> DatabaseTrouble | None:
    """The line for one link of the chain that says the database could not be reached or
    opened: a refused login, an unknown host, a closed port, a folder that cannot be written."""
    refused = _REFUSED.get(type(link).__name__)
    if refused:
        return DatabaseTrouble(
            f"{refused} in DATABASE_URL ({where}): {link}. Check DATABASE_URL.", EXIT_SETTING
        )
    if isinstance(link, socket.gaierror):
        return DatabaseTrouble(
            f"Cannot reach the database: the host in DATABASE_URL ({where}) is unknown "
            f"({link.strerror}). Is the PostgreSQL server started, and is DATABASE_URL "
            "right?",
            EXIT_UNAVAILABLE,
        )
    if isinstance(link, OSError) and not sqlite:
        reason = link.strerror or str(link) or type(link).__name__
        return DatabaseTrouble(
            f"Cannot reach the database in DATABASE_URL ({where}): {reason}. "
            "Check that PostgreSQL is running and accepts connections there.",
            EXIT_UNAVAILABLE,
        )
    if sqlite and isinstance(link, OSError | sqlite3.OperationalError):
        reason = getattr(link, "strerror", None) or str(link)
        return DatabaseTrouble(
            f"Cannot open the database in DATABASE_URL ({where}): {reason}. "
            "Check that its folder exists and that this user may write there.",
            EXIT_SETTING,
        )
    return None


async def sqlite_threads_finished(timeout: float = 1.0) -> None:  # noqa: ASYNC109
    """Wait (up to `timeout`) for aiosqlite's worker threads to end.

    When opening a SQLite file fails, aiosqlite stops its thread with one more call that
    answers on the event loop; were the loop closed first, the thread would print a
    traceback. Awaited before a command gives up on the database.
    """
    workers = [
        thread
        for thread in threading.enumerate()
        if thread.name.endswith("(_connection_worker_thread)")
    ]
    deadline = time.monotonic() + timeout
    for thread in workers:
        # Joined in a worker thread: the loop must keep running to take the last answer.
        await asyncio.to_thread(thread.join, max(0.0, deadline - time.monotonic()))
