"""The `run`, `sync` and `invite` commands: start the bot, push commands, print the invite.

Each returns a process exit code. Problems the operator can fix (a rejected token, Discord
unreachable) are reported as one line on stderr, without a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
import discord

from bot import __version__
from bot.app import StudyCircleBot, create_bot
from bot.db import create_database, trouble
from bot.db.migrate import upgrade_to_head
from bot.logging_setup import configure_logging
from bot.metrics import MetricsPortError
from bot.permissions import INVITE_PERMISSIONS, application_id_from_token, invite_url
from bot.settings import Settings

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_CONFIG = 2
# Allocations between young collections, then collections between older ones (Python's
# default: 700, 10, 10).
GC_THRESHOLDS = (10_000, 10, 10)
# How long closing the gateway, the HTTP session and the database may take on shutdown.
SHUTDOWN_TIMEOUT = 5.0

TOKEN_REJECTED = (
    "Discord rejected DISCORD_TOKEN ({why}): it is wrong or was reset. "
    "Copy a new one from https://discord.com/developers/applications → your app → Bot."
)


class _Stop(Exception):
    """A problem already explained to the operator; carries the exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def _say(message: str) -> None:
    print(f"study-circle: {message}", file=sys.stderr, flush=True)


def _token(settings: Settings) -> str:
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        _say("DISCORD_TOKEN is not set; `python -m bot run` explains how to get one.")
        raise _Stop(EXIT_CONFIG)
    return settings.discord_token.get_secret_value().strip()


def _explain(exc: BaseException, settings: Settings) -> int | None:
    """Say what went wrong in one line for the failures an operator can act on."""
    where = settings.discord_api_base or "discord.com"
    if isinstance(exc, MetricsPortError):
        _say(str(exc))
        return EXIT_CONFIG
    if isinstance(exc, discord.LoginFailure):
        _say(TOKEN_REJECTED.format(why="401 Unauthorized"))
        return EXIT_CONFIG
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        _say("Discord refused the gateway intents the bot asked for (close code 4014).")
        return EXIT_CONFIG
    if isinstance(exc, discord.ConnectionClosed) and exc.code == 4004:
        _say(TOKEN_REJECTED.format(why="gateway close code 4004"))
        return EXIT_CONFIG
    if isinstance(exc, discord.ConnectionClosed):
        reason = exc.reason or "no reason given"
        _say(f"Discord closed the gateway connection (code {exc.code}): {reason}.")
        return EXIT_FAILURE
    if isinstance(exc, discord.GatewayNotFound):
        _say(f"Could not get a gateway URL from {where}; Discord may be having an outage.")
        return EXIT_FAILURE
    if isinstance(exc, discord.HTTPException):
        _say(f"Discord answered {exc.status} while starting: {exc.text or exc}.")
        return EXIT_FAILURE
    database = trouble.explain(exc, settings.database_url)
    if database is not None:
        _say(database.message)
        return database.exit_code
    if isinstance(exc, aiohttp.ClientError | OSError):
        _say(
            f"Cannot reach Discord at {where}: {exc}. Check this machine's network "
            "(and DISCORD_API_BASE, if set)."
        )
        return EXIT_FAILURE
    return None


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_main(settings: Settings, main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run `main` with the bot's logging, SIGTERM as Ctrl-C, and a failure explained in a
    line and an exit code rather than a traceback; `main`'s exit code otherwise."""
    configure_logging(
        settings.log_level_number,
        secrets=settings.secrets,
        json_lines=settings.log_format == "json",
    )
    # Until the event loop handles signals itself, SIGTERM stops the process as Ctrl-C does.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return asyncio.run(main())
    except _Stop as stop:
        return stop.code
    except KeyboardInterrupt:
        log.info("Stopped before the bot was running")
        return EXIT_OK
    except Exception as exc:
        code = _explain(exc, settings)
        if code is not None:
            return code
        log.critical("Study Circle stopped on an unexpected error", exc_info=exc)
        return EXIT_FAILURE
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(settings: Settings) -> int:
    """Migrate the database, then run the bot until SIGTERM or SIGINT (exit code 0)."""
    return run_main(settings, lambda: _serve(settings))


async def _serve(settings: Settings) -> int:
    token = _token(settings)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGTERM, signal.SIGINT)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        log.info("Study Circle %s starting", __version__)
        await _migrate(settings)
        if stop.is_set():
            return EXIT_OK
        database = create_database(settings.database_url)
        try:
            return await _run_until(create_bot(settings, database=database), token, stop)
        finally:
            await database.dispose()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)


async def _migrate(settings: Settings) -> None:
    try:
        await upgrade_to_head(settings.database_url)
    except Exception:
        await trouble.sqlite_threads_finished()
        raise


async def start_bot(bot: StudyCircleBot, token: str) -> None:
    """`bot.start`, with the start-up's objects set aside from garbage collection."""
    await bot.login(token)  # runs setup_hook: extensions loaded, scheduler started
    # Everything made so far (modules, mappers, the command tree) lives as long as the
    # process. Frozen, it is no longer traversed by every full collection: in a burst of
    # interactions those collections paused the event loop for ~0.1 s each. Collecting the
    # young less often leaves fewer survivors to promote (bench/RESULTS.md, section 1).
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    await bot.connect()


async def _run_until(bot: StudyCircleBot, token: str, stop: asyncio.Event) -> int:
    """Run the bot until it stops by itself (its error is raised) or `stop` is set."""
    client = asyncio.create_task(start_bot(bot, token), name="discord-client")
    stopping = asyncio.create_task(stop.wait(), name="wait-for-signal")
    try:
        await asyncio.wait({client, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if client.done():
            client.result()
            log.info("Disconnected from Discord")
        else:
            log.info("Shutting down")
        return EXIT_OK
    finally:
        stopping.cancel()
        try:
            # Shielded: a slow close is abandoned, not cancelled halfway.
            await asyncio.wait_for(asyncio.shield(bot.close()), SHUTDOWN_TIMEOUT)
        except TimeoutError:
            log.warning("Closing the Discord connection took too long; exiting anyway")
        client.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await client


def sync(settings: Settings) -> int:
    """Log in (no gateway), and push the command tree to Discord even if it looks unchanged."""
    return run_main(settings, lambda: _sync(settings))


async def _sync(settings: Settings) -> int:
    token = _token(settings)
    await _migrate(settings)
    bot = create_bot(settings, sync_on_start=False)
    async with bot:
        await bot.login(token)
        result = await bot.sync_commands(force=True)
    scope = "globally" if result.guild_id is None else f"to guild {result.guild_id}"
    print(f"Synced {result.command_count} commands {scope}.")
    if result.guild_id is None:
        print("Global commands can take a few minutes to show up in every server.")
    return EXIT_OK


def invite(settings: Settings, client_id: int | None) -> int:
    """Print the URL that adds the bot with its commands and exactly the permissions it uses."""
    if client_id is None and settings.discord_token is not None:
        client_id = application_id_from_token(settings.discord_token.get_secret_value())
    if client_id is None and settings.discord_token is not None:
        _say(
            "DISCORD_TOKEN does not look like a bot token (its first part should be the "
            "application id): copy it again from https://discord.com/developers/applications "
            "→ your app → Bot, or pass --client-id."
        )
        return EXIT_CONFIG
    if client_id is None:
        _say("Cannot tell the application id: set DISCORD_TOKEN or pass --client-id.")
        return EXIT_CONFIG
    print(invite_url(client_id))
    print("\nPermissions requested:", file=sys.stderr)
    for permission in INVITE_PERMISSIONS:
        label = permission.name.replace("_", " ").title()
        print(f"  {label:<26} {permission.reason}", file=sys.stderr)
    return EXIT_OK
