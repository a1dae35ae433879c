"""`/settings` and `/forget-me`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.interactions import guild_id_of, guild_member, reply, when_ready
from bot.exts.options import EnumOption, TimeZone
from bot.exts.privacy import render
from bot.exts.privacy.forgetting import each_feature, notes
from bot.exts.privacy.views import DYNAMIC_ITEMS, forget_view
from bot.exts.reflections.render import VISIBILITY_LABELS
from bot.services.reflections import Visibility

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

VisibilityChoice = app_commands.Transform[Visibility, EnumOption(VISIBILITY_LABELS)]


class PrivacyCog(commands.Cog, name="Privacy"):
    """A member's settings in this server, and forgetting a member."""

    dynamic_items = DYNAMIC_ITEMS

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot

    @app_commands.command(name="settings", description="Your Study Circle settings in this server")
    @app_commands.describe(
        visibility="Who may read your new reflections unless you choose",
        timezone="Your time zone, for reminders' quiet hours (IANA name, start typing)",
    )
    async def settings(
        self,
        interaction: discord.Interaction,
        visibility: VisibilityChoice | None = None,
        timezone: TimeZone | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        user_id = interaction.user.id
        services = self.bot.services

        async def settings() -> str:
            if timezone is not None:
                key = await services.reminders.set_timezone(guild_id, user_id, timezone)
                if visibility is None:
                    return render.timezone_text(key)
            if visibility is None:
                current = await services.reflections.default_visibility(guild_id, user_id)
                return render.settings_text(current, changed=False)
            chosen = await services.reflections.set_default_visibility(
                guild_id, user_id, visibility
            )
            return render.settings_text(chosen, changed=True)

        await reply(interaction, await when_ready(interaction, settings()))

    @app_commands.command(
        name="forget-me", description="Delete everything Study Circle keeps about you here"
    )
    async def forget_me(self, interaction: discord.Interaction) -> None:
        guild, member = guild_member(interaction)
        services = self.bot.services
        held, complete = await when_ready(
            interaction,
            each_feature(
                services,
                "count a member's data",
                guild.id,
                lambda f: f.held_about_member(guild.id, member.id),
            ),
        )
        # With nothing kept there is nothing to confirm; a feature that could not count its
        # part is not taken to keep nothing.
        anything = not complete or any(held.values())
        await reply(
            interaction,
            embed=render.forget_embed(held, notes(services), uncounted=not complete),
            view=forget_view(member.id) if anything else discord.utils.MISSING,
        )
