"""The database locked (SQLite) or out of reach for a while (PostgreSQL): the member is told
to try again in a moment, nothing half-written stays, and the bot serves again after."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

from bot.app import StudyCircleBot
from bot.db import engine as db_engine
from bot.db.error_text import database_unavailable
from bot.exts.interactions import DATABASE_BUSY, user_message
from bot.exts.reflections.modals import TEXT_ID, VISIBILITY_ID
from bot.scheduling.clock import FakeClock
from bot.settings import Settings
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.reflections.helpers import reflect_button_id
from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import make_settings, running_bot
from tests.log_capture import bot_log

BUSY_TIMEOUT_MS = 300


class Proxy:
    """A TCP relay on loopback in front of PostgreSQL that can be cut off and restored."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def up(self) -> None:
        self._server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def down(self) -> None:
        """Close the listening socket and every relayed connection: the server is gone."""
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()
        self._writers.clear()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[Proxy | None]:
    if database_url.startswith("sqlite"):
        yield None
        return
    url = make_url(database_url)
    relay = Proxy(url.host or "127.0.0.1", url.port or 5432)
    await relay.up()
    yield relay
    with contextlib.suppress(Exception):
        await relay.down()


@pytest.fixture
async def bot(
    fake_discord: FakeDiscord,
    database_url: str,
    bot_settings: Settings,
    clock: FakeClock,
    proxy: Proxy | None,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[StudyCircleBot]:
    monkeypatch.setattr(db_engine, "SQLITE_BUSY_TIMEOUT_MS", BUSY_TIMEOUT_MS)
    settings = bot_settings
    if proxy is not None:
        relayed = make_url(database_url).set(host="127.0.0.1", port=proxy.port)
        settings = make_settings(
            fake_discord, relayed.render_as_string(hide_password=False), LOG_LEVEL="INFO"
        )
    async with running_bot(settings, fake_discord, clock=clock) as running:
        yield running


@contextlib.contextmanager
def _sqlite_write_lock(database_url: str) -> Iterator[None]:
    """Another process holding SQLite's write lock longer than the busy timeout."""
    path = make_url(database_url).database
    assert path
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@contextlib.asynccontextmanager
async def _database_away(database_url: str, proxy: Proxy | None) -> AsyncIterator[None]:
    if proxy is None:
        with _sqlite_write_lock(database_url):
            yield
        return
    await proxy.down()
    try:
        yield
    finally:
        await proxy.up()


async def test_a_member_is_told_to_try_again_and_nothing_half_written_stays(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    database_url: str,
    proxy: Proxy | None,
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    [post] = fake_discord.messages_in(world.reading)
    done_button = next(c for c in post.custom_ids if c.startswith("sc:done:"))

    async with _database_away(database_url, proxy):
        by_command = await fake_discord.command("done", user=world.member)
        by_button = await fake_discord.click(post, done_button, user=world.other_member)
        joined = await fake_discord.command("join", user=world.member)

    for answer in (by_command, by_button, joined):
        assert answer.ephemeral
        assert answer.text == DATABASE_BUSY
    # Nothing was marked, nobody joined, no role was made for the circle.
    for user in (world.member, world.other_member):
        progress = await fake_discord.command("progress", user=user)
        assert "✅" not in progress.embeds[0]["description"]
    status = await fake_discord.command("schedule status", user=world.member)
    members = next(f for f in status.embeds[0]["fields"] if f["name"] == "Members")
    assert members["value"] == "0"
    assert not any(r.name.startswith("Circle") for r in world.guild.roles.values())

    # Back again: the same actions work.
    again = await fake_discord.click(post, done_button, user=world.other_member)
    assert "Marked section 1" in again.text
    joined = await fake_discord.command("join", user=world.member)
    assert "You're in the circle" in joined.text


async def test_a_private_reflection_refused_while_the_database_is_away_is_not_logged(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    database_url: str,
    proxy: Proxy | None,
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    [post] = fake_discord.messages_in(world.reading)
    words = "Only for me: my brother lost his job and I could not read this week."

    opened = await fake_discord.click(post, reflect_button_id(post), user=world.member)
    assert opened.modal is not None

    with bot_log("INFO") as log:
        async with _database_away(database_url, proxy):
            refused = await fake_discord.submit_modal(
                opened, {TEXT_ID: words, VISIBILITY_ID: ["private"]}, user=world.member
            )

    assert refused.text == DATABASE_BUSY
    text = log.getvalue()
    for private in (words, "Only for me", "[parameters", "Introduction"):
        assert private not in text
    # Where it happened, who asked, and what kind of error: never what they wrote.
    warning = next(line for line in text.splitlines() if "Database unavailable" in line)
    assert str(world.member.id) in warning
    assert "INSERT INTO reflections" in warning or proxy is not None


def test_what_counts_as_the_database_being_away() -> None:
    locked = sa_exc.OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))
    missing = sa_exc.OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: x"))
    pool = sa_exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached")

    assert user_message(locked) == DATABASE_BUSY
    assert user_message(pool) == DATABASE_BUSY
    assert not database_unavailable(missing)  # a bug, not a busy database
    assert user_message(missing) is None
    # A refused connection counts only when the database driver raised it, not Discord's.
    assert not database_unavailable(ConnectionRefusedError(111, "Connect call failed"))
