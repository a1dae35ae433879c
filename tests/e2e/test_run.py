"""`python -m bot run` as a real process against the fake Discord."""

from __future__ import annotations

import re
import signal
from typing import Any

import discord

from tests.e2e.conftest import bot_env
from tests.fakediscord import FakeDiscord
from tests.fakediscord.model import make_token

STOP_WITHIN = 5.0


async def test_run_syncs_once_answers_and_stops_cleanly(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str
) -> None:
    env = bot_env(fake_discord, process_database_url, LOG_LEVEL="DEBUG")
    first = await start_bot("run", env=env)
    identify = await fake_discord.wait_for_identify(timeout=30)
    await fake_discord.wait_until_connected()

    assert discord.Intents._from_value(identify["intents"]) == discord.Intents(guilds=True)
    assert len(fake_discord.command_syncs) == 1
    result = await fake_discord.command("circle about", user=fake_discord.world.member)
    assert result.ephemeral
    assert "Study Circle" in result.text

    code, took = await first.stop(signal.SIGTERM)
    assert code == 0, first.stderr
    assert took < STOP_WITHIN
    assert fake_discord.token not in first.stderr
    assert "Traceback" not in first.stderr
    assert "Unclosed" not in first.stderr
    assert "Shutting down" in first.stderr

    # Same database, same commands: no second sync. SIGINT stops it as cleanly.
    second = await start_bot("run", env=bot_env(fake_discord, process_database_url))
    await fake_discord.wait_for_identify(count=2, timeout=30)
    await fake_discord.wait_until_connected()
    assert len(fake_discord.command_syncs) == 1
    code, took = await second.stop(signal.SIGINT)
    assert code == 0, second.stderr
    assert took < STOP_WITHIN
    assert "Commands unchanged since the last sync" in second.stderr


async def test_sigterm_while_logging_in_exits_cleanly(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str
) -> None:
    fake_discord.hold_next("GET", "/users/@me", 30)
    process = await start_bot("run", env=bot_env(fake_discord, process_database_url))
    await fake_discord.wait_until(
        lambda: any(r.path == "/users/@me" for r in fake_discord.requests), timeout=30, what="login"
    )

    code, took = await process.stop(signal.SIGTERM)

    assert code == 0, process.stderr
    assert took < STOP_WITHIN
    assert "Traceback" not in process.stderr
    assert fake_discord.identifies == []


async def test_a_rejected_token_exits_with_one_clear_line(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str
) -> None:
    revoked = make_token(fake_discord.bot_user.id)
    env = bot_env(fake_discord, process_database_url, DISCORD_TOKEN=revoked, LOG_LEVEL="WARNING")
    process = await start_bot("run", env=env)

    code = await process.wait()

    assert code != 0
    [line] = process.lines
    assert line.startswith("study-circle: Discord rejected DISCORD_TOKEN (401 Unauthorized)")
    assert revoked not in process.stderr
    [request] = fake_discord.requests_to("GET", "/users/@me")
    assert request.status == 401


async def test_sync_command_forces_a_sync(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str
) -> None:
    env = bot_env(fake_discord, process_database_url, LOG_LEVEL="WARNING")
    for _ in range(2):
        process = await start_bot("sync", env=env)
        assert await process.wait() == 0, process.stderr
        assert re.match(r"Synced \d+ commands globally\.", process.stdout), process.stdout
    assert len(fake_discord.command_syncs) == 2
    assert fake_discord.identifies == []  # sync never opens the gateway


async def test_invite_prints_the_link_that_adds_the_bot_with_its_commands(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str
) -> None:
    process = await start_bot(
        "invite", "--client-id", "123456789", env=bot_env(fake_discord, process_database_url)
    )
    assert await process.wait() == 0
    assert process.stdout.strip().startswith(
        "https://discord.com/oauth2/authorize?client_id=123456789&"
    )
    assert "scope=bot+applications.commands" in process.stdout
