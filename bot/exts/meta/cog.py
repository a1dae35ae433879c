"""The `/circle` command group: facts about the bot itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.exts.interactions import guild_member, reply, when_ready
from bot.exts.meta.render import about_embed, facilitator_role_text

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


class MetaCog(
    commands.GroupCog, name="Meta", group_name="circle", group_description="About Study Circle"
):
    """`/circle about` and `/circle facilitator-role`."""

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="about", description="What Study Circle does, and its version")
    async def about(self, interaction: discord.Interaction) -> None:
        await reply(interaction, embed=about_embed(__version__))

    @app_commands.command(
        name="facilitator-role",
        description="Choose the role whose members may run facilitator commands",
    )
    @app_commands.describe(role="The facilitators' role; leave it out to clear it")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def facilitator_role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        guild, _member = guild_member(interaction)
        await when_ready(
            interaction,
            self.bot.services.guilds.set_facilitator_role(guild.id, role.id if role else None),
        )
        await reply(interaction, facilitator_role_text(role.mention if role else None))
