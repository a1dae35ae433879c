"""The `/circle` command group: facts about the bot itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.exts.meta.render import about_embed

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


class Meta(commands.GroupCog, group_name="circle", group_description="About Study Circle"):
    """`/circle about`."""

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="about", description="What Study Circle does, and its version")
    async def about(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=about_embed(__version__), ephemeral=True)
