"""Commands are synced at start only when they changed, to DEV_GUILD_ID when it is set."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.services import bot_state
from bot.settings import Settings
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import make_settings, running_bot

GLOBAL = "/applications/{app}/commands"
GUILD = "/applications/{app}/guilds/{guild}/commands"


async def test_first_start_syncs_and_a_second_start_does_not(
    bot_settings: Settings, fake_discord: FakeDiscord
) -> None:
    async with running_bot(bot_settings, fake_discord) as bot:
        assert len(fake_discord.requests_to("PUT", GLOBAL)) == 1
        [sync] = fake_discord.command_syncs
        assert sync.guild_id is None
        assert sync.commands == await bot.command_payload()
        stored = await bot.services.state.get_value(
            bot_state.command_tree_key(fake_discord.state.application.id, None)
        )
        assert stored == bot_state.command_tree_digest(sync.commands)

    async with running_bot(bot_settings, fake_discord):
        assert len(fake_discord.requests_to("PUT", GLOBAL)) == 1


async def test_a_changed_tree_is_synced_again(
    bot_settings: Settings, fake_discord: FakeDiscord
) -> None:
    async with running_bot(bot_settings, fake_discord) as bot:
        unchanged = await bot.sync_commands()
        assert not unchanged.synced
        before = {command["name"] for command in fake_discord.commands()}

        @app_commands.command(name="extra", description="A command added later")
        async def extra(interaction: discord.Interaction) -> None:
            pass

        bot.tree.add_command(extra)
        changed = await bot.sync_commands()
        assert changed.synced
        assert changed.command_count == unchanged.command_count + 1
        forced = await bot.sync_commands(force=True)
        assert forced.synced
    assert len(fake_discord.requests_to("PUT", GLOBAL)) == 3
    assert {c["name"] for c in fake_discord.commands()} == before | {"extra"}


async def test_dev_guild_gets_the_commands_instead_of_the_world(
    fake_discord: FakeDiscord, database_url: str
) -> None:
    guild = fake_discord.world.guild
    settings = make_settings(fake_discord, database_url, DEV_GUILD_ID=guild.id)
    async with running_bot(settings, fake_discord):
        result = await fake_discord.command("circle about", user=fake_discord.world.member)

    assert fake_discord.requests_to("PUT", GLOBAL) == []
    assert len(fake_discord.requests_to("PUT", GUILD.replace("{guild}", str(guild.id)))) == 1
    assert result.payload["data"]["guild_id"] == str(guild.id)
    assert result.ephemeral


async def test_a_failed_sync_does_not_stop_the_bot_and_is_retried_next_start(
    bot_settings: Settings, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail_next("PUT", GLOBAL, 403, code=50001, message="Missing Access")
    async with running_bot(bot_settings, fake_discord) as bot:
        assert bot.is_ready()
        assert fake_discord.command_syncs == []

    async with running_bot(bot_settings, fake_discord):
        assert len(fake_discord.command_syncs) == 1


async def test_a_rate_limited_sync_waits_and_succeeds(
    bot_settings: Settings, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail_next("PUT", GLOBAL, 429, retry_after=0.05)
    async with running_bot(bot_settings, fake_discord):
        statuses = [r.status for r in fake_discord.requests_to("PUT", GLOBAL)]
    assert statuses == [429, 200]
    assert len(fake_discord.command_syncs) == 1


async def test_only_the_process_with_shard_zero_syncs(
    fake_discord: FakeDiscord, database_url: str
) -> None:
    fake_discord.shards = 2
    settings = make_settings(fake_discord, database_url, SHARD_COUNT=2, SHARD_IDS="1")
    async with running_bot(settings, fake_discord) as bot:
        assert bot.shard_ids == [1]
        identify = fake_discord.identifies[-1]
        assert identify["shard"] == [1, 2]
    assert fake_discord.command_syncs == []
