"""Installs the error handler on the command tree while the extension is loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
        self._previous: Any = None

    async def cog_load(self) -> None:
        tree = self.bot.tree
        self._previous = tree.on_error
        tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        self.bot.tree.on_error = self._previous  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await report_interaction_error(interaction, error)
