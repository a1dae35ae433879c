"""pytest fixtures: a fake Discord, settings that point at it, and the real bot logged in to it.

tests/conftest.py imports them, so every test can ask for them. A feature test:

    async def test_join_gives_the_role(bot, fake_discord):
        world = fake_discord.world
        result = await fake_discord.command("join", user=world.member)
        assert result.ephemeral
        assert "Circle" in [role.name for role in fake_discord.member_roles(world.member)]

The fake gives the bot exactly the invite permissions (`bot.permissions`), so a feature that
needs one more permission fails here first, with Discord's 403 (code 50013).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import types
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import discord.http
import pytest

from bot.app import EXTENSIONS_PACKAGE, StudyCircleBot, create_bot
from bot.permissions import permissions_value
from bot.services.readings import parsed_seeds
from bot.settings import Settings, load_settings
from tests.environment import BOT_ENVIRONMENT
from tests.fakediscord.server import FakeDiscord

__all__ = [
    "bot",
    "bot_settings",
    "bundled_readings_parsed",
    "fake_discord",
    "make_settings",
    "quick_server_error_retries",
    "running_bot",
]

READY_TIMEOUT = 10.0


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started fake Discord with the default world; fails the test on unknown routes."""
    async with FakeDiscord(bot_permissions=permissions_value()) as fake:
        yield fake
    unknown = fake.unknown_routes()
    if unknown and not fake.allow_unknown_routes:
        listing = "\n  ".join(f"{r.method} {r.path}" for r in unknown)
        pytest.fail(f"the bot called routes the fake Discord does not implement:\n  {listing}")


class _HundredthPauses(types.ModuleType):
    """`asyncio` as `discord.http` sees it, with each `sleep` a hundredth as long."""

    def __init__(self) -> None:
        super().__init__("asyncio")

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result: Any = None) -> Any:
        return await asyncio.sleep(delay / 100, result)


@pytest.fixture
def quick_server_error_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """discord.py pauses 1 s (then 3 s, 5 s) before it sends again a request Discord answered
    with a 500: unconditionally, as Discord's 500s carry no Retry-After. For tests of what
    the retry does, not of how long it waits, `discord.http` pauses a hundredth as long."""
    monkeypatch.setattr(discord.http, "asyncio", _HundredthPauses())


def make_settings(fake: FakeDiscord, database_url: str, **overrides: Any) -> Settings:
    """Settings for a bot that talks to `fake`, ignoring any .env file."""
    values: dict[str, Any] = {
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE": fake.api_base,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "DEBUG",
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def bundled_readings_parsed() -> None:
    """The bundled readings, parsed once per test process before any bot starts. A bot parses
    them when it first sees a guild, in the middle of a test's first command; on a busy
    machine that one-off second would count against the command's answer timeout."""
    parsed_seeds()


@pytest.fixture
def bot_settings(
    fake_discord: FakeDiscord,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    bundled_readings_parsed: None,
) -> Settings:
    """Settings for the bot under test. `database_url` (tests/conftest.py) is a fresh,
    migrated SQLite file, and also PostgreSQL when TEST_DATABASE_URL is set."""
    # What the environment sets would change how the bot under test behaves.
    for name in BOT_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    return make_settings(fake_discord, database_url)


@contextlib.asynccontextmanager
async def running_bot(
    settings: Settings,
    fake: FakeDiscord,
    *,
    prepare: Callable[[StudyCircleBot], Awaitable[None]] | None = None,
    **options: Any,
) -> AsyncIterator[StudyCircleBot]:
    """The real bot, logged in to `fake` and ready; closed (with its database) on exit.

    `prepare(bot)` runs before login, e.g. to add a test cog before `setup_hook`.
    """
    assert settings.discord_token is not None
    # The fake sends every GUILD_CREATE right after READY; discord.py waits this long after
    # the last one before it is ready (2 s against Discord).
    bot = create_bot(settings, guild_ready_timeout=0.01, **options)
    fake.handling.watch(bot)
    async with bot:
        if prepare is not None:
            await prepare(bot)
        await bot.login(settings.discord_token.get_secret_value())
        connection = asyncio.create_task(bot.connect(reconnect=False), name="bot-connection")
        ready = asyncio.create_task(bot.wait_until_ready(), name="bot-ready")
        done, _ = await asyncio.wait(
            {connection, ready}, timeout=READY_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if connection.done():
                connection.result()
            connection.cancel()
            raise AssertionError(f"the bot did not get ready within {READY_TIMEOUT}s")
        try:
            # Ready means no GUILD_CREATE came for `guild_ready_timeout`: on a busy machine
            # one may still be on its way. READY listed every guild (unavailable until its
            # GUILD_CREATE); tests start once all of them have come.
            await fake.wait_until(
                lambda: all(not guild.unavailable for guild in bot.guilds),
                timeout=READY_TIMEOUT,
                what="a GUILD_CREATE for every guild READY listed",
            )
            yield bot
        finally:
            features = _feature_modules()
            await bot.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(connection, READY_TIMEOUT)
            # discord.py drops an extension's modules from sys.modules when it unloads it, so
            # the next bot in this process would run every feature module again: most of the
            # CPU of starting a test's bot. The next bot's `setup_hook` still loads each
            # extension afresh (its package runs again and adds new cogs); only the modules
            # it imports are the ones already run.
            for name, module in features.items():
                sys.modules.setdefault(name, module)


def _feature_modules() -> dict[str, Any]:
    prefix = f"{EXTENSIONS_PACKAGE}."
    return {name: module for name, module in sys.modules.items() if name.startswith(prefix)}


@pytest.fixture
async def bot(bot_settings: Settings, fake_discord: FakeDiscord) -> AsyncIterator[StudyCircleBot]:
    """The bot, connected to `fake_discord`, commands synced, ready for interactions."""
    async with running_bot(bot_settings, fake_discord) as running:
        yield running
