"""What a database error means: what it may say in a log line (its class, its code, the kind
of statement), and whether it is the database being away for a moment rather than a bug.

The text of a database error is not safe to log. SQLAlchemy appends the statement's
parameters (a reflection's text, a ballot's choice, member ids); PostgreSQL adds a DETAIL with
the row's values ("Key (…)=(…) already exists", "Failing row contains (…)"), and asyncpg
quotes a value it could not encode. `describe` keeps only what names the failure: class
names, SQLite's result code or PostgreSQL's SQLSTATE and constraint, and the statement's
verb and table.
"""

from __future__ import annotations

import re
from types import TracebackType

from sqlalchemy import exc as sa_exc

# Exceptions raised inside these packages may quote values in their message.
DATABASE_PACKAGES = ("sqlalchemy", "asyncpg", "aiosqlite", "sqlite3", "alembic")
_WRITE = re.compile(r"^\s*(INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+([\w.\"]+)", re.I)
_FROM = re.compile(r"\bFROM\s+([\w.\"]+)", re.I)
_VERB = re.compile(r"^\s*(\w+)")
# SQLite's messages for a lock held too long by another connection, or a file out of reach.
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "database is busy",
    "unable to open database file",
    "disk i/o error",
)
# PostgreSQL: connection exceptions (class 08), shutdown or start-up (57P0x), too many
# connections, and the conflicts a retry resolves (serialization, deadlock, lock timeout).
_POSTGRES_RETRYABLE = ("08", "57P01", "57P02", "57P03", "53300", "40001", "40P01", "55P03")


def from_database(error: BaseException) -> bool:
    """Whether `error` was raised by the database stack (and so its text may hold values)."""
    return type(error).__module__.split(".", 1)[0] in DATABASE_PACKAGES


def statement_kind(statement: str | None) -> str | None:
    """`INSERT INTO ballots`, `UPDATE votes`, `SELECT from jobs`, `PRAGMA`: never values."""
    if not statement:
        return None
    write = _WRITE.match(statement)
    if write:
        return f"{' '.join(write.group(1).upper().split())} {write.group(2)}"
    verb = _VERB.match(statement)
    if verb is None:
        return None
    found = _FROM.search(statement)
    kind = verb.group(1).upper()
    return f"{kind} from {found.group(1)}" if kind == "SELECT" and found else kind


def _driver_codes(error: BaseException) -> tuple[str, str]:
    """The driver's own exception and its codes: (`sqlite3.OperationalError`, `SQLITE_BUSY`),
    (`asyncpg.UniqueViolationError`, `23505 (constraint uq_ballots_vote_id)`)."""
    driver = getattr(error, "orig", None) or error
    # asyncpg's errors come wrapped in SQLAlchemy's adaptation of them.
    inner = getattr(driver, "orig", None) or driver.__cause__ or driver
    if not from_database(inner):
        inner = driver
    name = f"{type(inner).__module__.split('.', 1)[0]}.{type(inner).__name__}"
    codes = []
    for attribute in ("sqlite_errorname", "sqlstate"):
        value = getattr(inner, attribute, None)
        if isinstance(value, str):
            codes.append(value)
    constraint = getattr(inner, "constraint_name", None)
    if isinstance(constraint, str):
        codes.append(f"(constraint {constraint})")
    return name, " ".join(codes)


def chain(error: BaseException) -> list[BaseException]:
    """`error` and the exceptions it came from (causes, contexts, a group's members), nearest
    first."""
    found: list[BaseException] = []
    waiting = [error]
    while waiting:
        current = waiting.pop(0)
        if any(current is seen for seen in found):
            continue
        found.append(current)
        waiting += [e for e in (current.__cause__, current.__context__) if e is not None]
        if isinstance(current, BaseExceptionGroup):
            waiting += list(current.exceptions)
    return found


def involves_database(error: BaseException) -> bool:
    """Whether a database error is `error` or among those it came from: whether its text may
    quote values (logging asks)."""
    return any(from_database(e) for e in chain(error))


def raised_in_database(error: BaseException) -> bool:
    """Whether the database failed: a database error in the chain, or one raised inside the
    database stack (a socket's error while a connection opens, say; start-up asks)."""
    return involves_database(error) or any(_raised_by_database_driver(e) for e in chain(error))


def describe(error: BaseException) -> str:
    """An error's message as a log may show it (as `str` would): a database error's without
    any values.

    A database error's message becomes its driver's class and codes and the kind of
    statement: `(sqlite3.OperationalError SQLITE_BUSY) during INSERT INTO reflections`.
    Another error keeps its message, with the text of any database error it wraps (discord.py
    quotes the original's message in its own) replaced the same way.
    """
    if not from_database(error):
        text = str(error)
        for inner in chain(error)[1:]:
            quoted = str(inner) if from_database(inner) else ""
            if quoted:
                text = text.replace(quoted, _describe_database(inner))
        return text
    return _describe_database(error)


def _describe_database(error: BaseException) -> str:
    if not isinstance(error, sa_exc.SQLAlchemyError):
        # The driver's exception itself: its class is printed beside this.
        return _driver_codes(error)[1]
    parts = []
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        parts.append(f"({' '.join(filter(None, _driver_codes(error)))})")
    if isinstance(error, sa_exc.StatementError):
        kind = statement_kind(error.statement)
        if kind:
            parts.append(f"during {kind}")
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        parts.append("(connection lost)")
    return " ".join(parts)


def summary(error: BaseException) -> str:
    """`OperationalError: (sqlite3.OperationalError SQLITE_BUSY) during INSERT INTO votes`:
    the error's class and its message as `describe` gives it."""
    message = describe(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _raised_by_database_driver(error: BaseException) -> bool:
    """True when `error` was raised inside the database stack (opening a connection, say)."""
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        if module.split(".", 1)[0] in DATABASE_PACKAGES:
            return True
        tb = tb.tb_next
    return False


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database is locked or unreachable for now (not a bug)."""
    if isinstance(error, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if isinstance(error, sa_exc.DBAPIError):
        if error.connection_invalidated:
            return True
        orig = error.orig
        message = str(orig).lower()
        if any(text in message for text in _SQLITE_UNAVAILABLE):
            return True
        sqlstate = getattr(orig, "sqlstate", None) or getattr(
            getattr(orig, "__cause__", None), "sqlstate", None
        )
        return isinstance(sqlstate, str) and sqlstate.startswith(_POSTGRES_RETRYABLE)
    # Opening a connection to a server that is down raises the socket's error as it is.
    if isinstance(error, ConnectionError | TimeoutError) or type(error).__module__.startswith(
        "asyncpg"
    ):
        return _raised_by_database_driver(error)
    return False
