"""Installs the error handler on the command tree while the extension is loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.interactions import report_interaction_error

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


class ErrorsCog(commands.Cog, name="Errors"):
    """Answers every failed slash command, privately: a clear message or an error id."""

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot
        # The tree's handler before this one, put back when the extension is unloaded.
        self._previous = bot.tree.on_error

    async def cog_load(self) -> None:
        self.bot.tree.error(self.on_app_command_error)

    async def cog_unload(self) -> None:
        self.bot.tree.error(self._previous)

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_interaction_error(interaction, error)
