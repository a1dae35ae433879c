"""Buttons and modals declared by cogs keep working after a restart (their `dynamic_items`,
registered by setup_hook)."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord.ext import commands

from bot.app import StudyCircleBot
from bot.exts.interactions import DynamicModal, ModalValues, reply
from bot.settings import Settings
from tests.fakediscord import FakeDiscord, FakeMessage
from tests.fakediscord.fixtures import running_bot


class Counter(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"test:counter:(?P<id>\d+)",
):
    def __init__(self, record_id: int) -> None:
        super().__init__(discord.ui.Button(label="Count", custom_id=f"test:counter:{record_id}"))
        self.record_id = record_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> Counter:
        return cls(int(match["id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"record {self.record_id}", ephemeral=True)


NOTE = "test:note"


class Note(DynamicModal, template=r"test:note:(?P<id>\d+)"):
    def __init__(self, record_id: int) -> None:
        super().__init__(f"test:note:{record_id}")
        self.record_id = record_id

    @classmethod
    def from_custom_id(cls, match: re.Match[str]) -> Note:
        return cls(int(match["id"]))

    def form(self) -> discord.ui.Modal:
        return self.modal("Note", discord.ui.TextInput(label="Note", custom_id=NOTE))

    async def on_submit(self, interaction: discord.Interaction, values: ModalValues) -> None:
        await reply(interaction, f"record {self.record_id}: {values.text(NOTE)}")


class Buttons(commands.Cog):
    dynamic_items = (Counter, Note)


async def test_a_button_from_before_the_restart_still_works(
    bot_settings: Settings, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    # A message the bot posted in an earlier run: no view of this process knows it.
    old = FakeMessage(
        id=fake_discord.state.snowflakes.next(),
        channel_id=world.reading.id,
        guild_id=world.guild.id,
        author=fake_discord.bot_user,
        content="Section 3",
        components=[
            {
                "type": 1,
                "components": [
                    {"type": 2, "style": 2, "label": "Count", "custom_id": "test:counter:42"}
                ],
            }
        ],
    )
    fake_discord.state.store_message(old)

    async def add_buttons(bot: StudyCircleBot) -> None:
        await bot.add_cog(Buttons())

    async with running_bot(bot_settings, fake_discord, prepare=add_buttons):
        result = await fake_discord.click(old, "test:counter:42", user=world.member)

    assert result.content == "record 42"
    assert result.ephemeral


async def test_a_modal_opened_before_the_restart_is_answered_by_the_cog_that_lists_it(
    bot_settings: Settings, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    # Opened in an earlier run, submitted to this one.
    submitted = fake_discord.payloads.modal_submit(
        Note(42).form().to_dict(), {NOTE: "page 12"}, user=world.member, channel=world.general
    )

    async def add_buttons(bot: StudyCircleBot) -> None:
        await bot.add_cog(Buttons())

    async with running_bot(bot_settings, fake_discord, prepare=add_buttons):
        result = await fake_discord.interact(submitted)

    assert result.text == "record 42: page 12"
    assert result.ephemeral
