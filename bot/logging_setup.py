"""Logging to stderr: secrets such as the bot token redacted from every line, and nothing a
member wrote or chose, from any logger, at any level.

Three things keep members' words and ballots out of the log. Library loggers that print
payloads, statements with their parameters, or result rows at DEBUG stay at INFO or above
(`QUIET_LOGGERS`). The engine hides parameters from its errors (`bot.db.engine`). And every
line is formatted with the text of database errors reduced to their classes, codes and kind
of statement (`bot.db.error_text`), tracebacks included, whoever logged them.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Iterable
from typing import Any, TextIO

from bot.db.error_text import describe, involves_database

LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
REDACTED = "[redacted]"
HIDDEN = "[hidden]"

# Last line of defence for text that was turned into a string before it reached a logger:
# SQLAlchemy's parameters line, and PostgreSQL's DETAIL (it quotes the row's values).
LEAKY_LINES = re.compile(r"^(\[parameters: |DETAIL: ).*$", re.M)


class _Described:
    """A log argument that is an exception, shown (for %s and %r alike) as `describe` says."""

    def __init__(self, error: BaseException) -> None:
        self.text = describe(error)

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def _safe_arg(value: Any) -> Any:
    return _Described(value) if isinstance(value, BaseException) else value


def _format_chain(error: BaseException, seen: set[int]) -> list[str]:
    """Like `traceback.format_exception`, with each message as `describe` gives it."""
    seen.add(id(error))
    lines: list[str] = []
    cause, context = error.__cause__, error.__context__
    if cause is not None and id(cause) not in seen:
        lines += _format_chain(cause, seen)
        lines.append("\nThe above exception was the direct cause of the following exception:\n\n")
    elif context is not None and not error.__suppress_context__ and id(context) not in seen:
        lines += _format_chain(context, seen)
        lines.append("\nDuring handling of the above exception, another exception occurred:\n\n")
    if error.__traceback__ is not None:
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_tb(error.__traceback__)
    kind = type(error)
    name = kind.__qualname__
    if kind.__module__ not in ("builtins", "__main__"):
        name = f"{kind.__module__}.{name}"
    message = describe(error)
    lines.append(f"{name}: {message}\n" if message else f"{name}\n")
    if isinstance(error, BaseExceptionGroup):
        for number, member in enumerate(error.exceptions, 1):
            lines.append(f"\n+---------------- {number} ----------------\n")
            lines += _format_chain(member, seen)
    return lines


class RedactingFormatter(logging.Formatter):
    """A formatter that keeps secrets and members' data out of the finished line.

    Each secret is replaced in the finished text (not `record.msg`), which covers arguments,
    exception messages and stack traces, wherever the secret came from. Exceptions given as
    arguments or in `exc_info` show database errors by class and kind of statement only.
    """

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(record.__dict__)
        if isinstance(record.args, tuple):
            safe.args = tuple(_safe_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            safe.args = {k: _safe_arg(v) for k, v in record.args.items()}
        # Another handler may have cached the traceback as the standard formatter prints it.
        safe.exc_text = None
        text = LEAKY_LINES.sub(HIDDEN, super().format(safe))
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def formatException(self, ei: Any) -> str:
        error = ei[1]
        if error is None or not involves_database(error):
            return super().formatException(ei)
        return "".join(_format_chain(error, set())).rstrip("\n")


_HANDLER_NAME = "study-circle-stderr"
# At DEBUG these discord.py loggers print whole payloads: interactions with the member who
# sent them (a secret ballot's choice, a private reflection's text), or the custom id of a
# component they no longer know (a vote button's id carries its choice). They stay at INFO.
RAW_PAYLOAD_LOGGERS = (
    "discord.gateway",
    "discord.http",
    "discord.webhook.async_",
    "discord.ui.view",
    "discord.ui.modal",
)
# The database stack: aiosqlite prints each call with its parameters at DEBUG, asyncpg and
# Alembic may print statements, and SQLAlchemy echoes statements at INFO and result rows at
# DEBUG. Their warnings and errors still show.
DATABASE_LOGGERS = {"aiosqlite": logging.INFO, "asyncpg": logging.INFO, "alembic": logging.INFO}
DATABASE_LOGGERS |= {"sqlalchemy": logging.WARNING}
QUIET_LOGGERS = {name: logging.INFO for name in RAW_PAYLOAD_LOGGERS} | DATABASE_LOGGERS


def configure_logging(
    level: int | str,
    *,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    json_lines: bool = False,
) -> None:
    """Send all logs at `level` and above to stderr, redacting `secrets`; as JSON lines
    with `json_lines` (LOG_FORMAT=json).

    Calling it again replaces the handler it installed before, so it is safe in tests.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    if json_lines:
        from bot.log_json import JsonFormatter

        handler.setFormatter(JsonFormatter(secrets))
    else:
        handler.setFormatter(RedactingFormatter(LOG_FORMAT, secrets))
    root.addHandler(handler)
    root.setLevel(level)
    number = logging.getLevelNamesMapping()[level] if isinstance(level, str) else level
    for name, floor in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(floor, number))
