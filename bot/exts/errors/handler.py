"""Turn an exception raised while answering an interaction into a private answer to the user.

A user's mistake (`UserError`, a failed check, a bad option value) gets a clear message and
nothing alarming in the log. A database that is locked or out of reach for a moment gets a
"try again" message and a warning in the log: the transaction was rolled back, so nothing
half-written stays. The log says where and who, and the kind of error: never the text of a
database error (it holds the statement's values) nor of a user's mistake (it can quote what
they typed). Anything else is a bug: it is logged with a short error id, and the user
sees that id so a facilitator can find the log line.
"""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar

import discord
from discord import app_commands
from sqlalchemy import exc as sa_exc

from bot.db.error_text import summary
from bot.errors import UserError
from bot.exts._answer import reply
from bot.exts.text import full_timestamp

log = logging.getLogger(__name__)

OUT_OF_SYNC = (
    "This command changed since Discord last heard about it. Try again in a minute; "
    "if it keeps happening, tell whoever runs the bot."
)


MESSAGE_LIMIT = 2000
UNKNOWN_INTERACTION = 10062  # Discord's code for an interaction answered too late
DATABASE_BUSY = "The database is busy right now; please try again in a moment."

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
_DATABASE_MODULES = ("sqlalchemy", "asyncpg", "aiosqlite", "sqlite3")


def _raised_by_database_driver(error: BaseException) -> bool:
    """True when `error` was raised inside the database stack (opening a connection, say)."""
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        module = str(tb.tb_frame.f_globals.get("__name__", ""))
        if module.split(".", 1)[0] in _DATABASE_MODULES:
            return True
        tb = tb.tb_next
    return False


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database is locked or unreachable for now (not a bug)."""
    error = unwrap(error)
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


def new_error_id() -> str:
    """A short id that ties what the user sees to one log line."""
    return secrets.token_hex(4)


def unexpected_error_message(error_id: str) -> str:
    return (
        f"Something went wrong on my side, sorry. It was logged as error `{error_id}`: "
        "mention that id if you ask for help."
    )


def _names(permissions: list[str]) -> str:
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in permissions)


def unwrap(error: BaseException) -> BaseException:
    """The exception the command's code raised, without discord.py's wrapper."""
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original
    return error


def expired(error: BaseException) -> bool:
    """Whether Discord refused an answer because the interaction expired (3 s unacknowledged)."""
    error = unwrap(error)
    return isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION


def user_message(error: BaseException) -> str | None:
    """What to tell the user about an expected error, or None when the error is a bug."""
    error = unwrap(error)
    if isinstance(error, UserError):
        return error.user_message(full_timestamp)
    if database_unavailable(error):
        return DATABASE_BUSY
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_names(error.missing_permissions)} permission to do this."
    if isinstance(error, app_commands.BotMissingPermissions):
        return (
            f"I need the {_names(error.missing_permissions)} permission here. "
            "A server admin can grant it to my role."
        )
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "You need a role you do not have to do this."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.TransformerError):
        value = str(error.value)
        shown = value if len(value) <= 60 else value[:59] + "…"
        return f"I couldn't understand “{shown}” for this option."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return OUT_OF_SYNC
    if isinstance(error, discord.Forbidden):
        return (
            "Discord didn't let me do that: I'm missing a permission in this channel. "
            "A server admin can check my role's permissions."
        )
    return None


async def send_private(interaction: discord.Interaction, content: str) -> None:
    """Answer `interaction` with an ephemeral message, whether or not it was answered yet.

    After a non-ephemeral defer the follow-up replaces the "thinking" message and Discord
    keeps the defer's visibility; that is the one case where the answer is public.
    A message that echoes a very long value the user typed is cut to fit Discord's limit.
    """
    if len(content) > MESSAGE_LIMIT:
        content = content[: MESSAGE_LIMIT - 1] + "…"
    try:
        await reply(interaction, content)
    except discord.HTTPException as exc:
        # Most often the interaction expired (10062) before we could answer.
        log.warning("Could not show an error message to the user: %s", exc)


def _where(interaction: discord.Interaction) -> str:
    if interaction.command is not None:
        what = f"/{interaction.command.qualified_name}"
    elif isinstance(interaction.data, dict) and "custom_id" in interaction.data:
        # Only the component's kind: the rest of a custom_id can carry a ballot's choice,
        # which next to the user id would link a member to a secret vote.
        kind = ":".join(str(interaction.data["custom_id"]).split(":")[:2])
        what = f"component {kind!r}"
    else:
        what = f"interaction type {interaction.type.name}"
    user = interaction.user.id if interaction.user else None
    return f"{what} (guild {interaction.guild_id}, channel {interaction.channel_id}, user {user})"


async def report_interaction_error(
    interaction: discord.Interaction, error: BaseException
) -> str | None:
    """Tell the user what went wrong; log bugs with an id. Returns the error id for bugs.

    Use it as the body of `on_error` in views and modals too.
    """
    if expired(error):
        # Nothing reaches the member any more, and a bot this far behind has no time for a
        # traceback and a second answer that Discord would refuse the same way.
        log.warning("Interaction expired before it was answered in %s", _where(interaction))
        return None
    message = user_message(error)
    if message is not None:
        if message == OUT_OF_SYNC:
            log.warning("Out-of-sync command in %s: %s", _where(interaction), error)
        elif message == DATABASE_BUSY:
            log.warning(
                "Database unavailable in %s: %s", _where(interaction), summary(unwrap(error))
            )
        else:
            log.debug("User error in %s: %s", _where(interaction), type(unwrap(error)).__name__)
        await send_private(interaction, message)
        return None
    error_id = new_error_id()
    original = unwrap(error)
    log.error(
        "Unexpected error %s in %s",
        error_id,
        _where(interaction),
        exc_info=(type(original), original, original.__traceback__),
    )
    await send_private(interaction, unexpected_error_message(error_id))
    return error_id


Callback = TypeVar("Callback", bound=Callable[..., Awaitable[None]])


def reports_errors(callback: Callback) -> Callback:
    """Answer the user when a component callback fails, as the command tree does for commands.

    discord.py only logs an exception raised in a `DynamicItem` callback, so without this the
    member would watch "thinking…" until the interaction expires. Decorate the callback::

        @reports_errors
        async def callback(self, interaction): ...
    """

    @functools.wraps(callback)
    async def wrapper(*args: Any, **kwargs: Any) -> None:
        interaction = next(a for a in args if isinstance(a, discord.Interaction))
        try:
            await callback(*args, **kwargs)
        except Exception as error:
            await report_interaction_error(interaction, error)

    return wrapper  # type: ignore[return-value]
