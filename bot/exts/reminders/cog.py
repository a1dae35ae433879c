"""`/remind`: what a member is reminded of by DM; and telling them once when DMs failed."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.discord_limits import DMS_CLOSED
from bot.exts.interactions import guild_id_of, reply, when_ready
from bot.exts.reminders import render
from bot.services.reminders import ReminderMessage

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)


class DiscordDms:
    """The `DmSender` of reminders."""

    def __init__(self, bot: StudyCircleBot, cog: RemindersCog) -> None:
        self.bot = bot
        self.cog = cog

    async def send(self, user_id: int, message: ReminderMessage) -> bool:
        try:
            channel = await self.bot.create_dm(discord.Object(user_id))
            await channel.send(
                render.dm_text(message), allowed_mentions=discord.AllowedMentions.none()
            )
        except discord.Forbidden as exc:
            if exc.code != DMS_CLOSED:
                raise
            self.cog.closed.add((message.guild_id, user_id))
            return False
        return True


class RemindersCog(commands.Cog, name="Reminders"):
    """Members' reminders by direct message."""

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot
        # (guild, member) whose DMs failed and who have not been told yet.
        self.closed: set[tuple[int, int]] = set()

    async def cog_load(self) -> None:
        self.closed.update(await self.bot.services.reminders.closed_untold())

    @app_commands.command(
        name="remind", description="Reminders by direct message (all off until you choose)"
    )
    @app_commands.describe(
        post="A DM when a section of your circles is posted",
        meeting="Before each meeting: e.g. “1d, 1h” (or “off”)",
        vote="Before a vote you have not voted in closes",
        behind=f"{render.WEEKLY_AT}, how many sections you are behind (if any)",
        quiet="No DMs in these hours of your time zone: e.g. “22:00-08:00” (or “off”)",
        suggested="Take the reminders your circles' facilitators suggest",
    )
    async def remind(
        self,
        interaction: discord.Interaction,
        post: bool | None = None,
        meeting: app_commands.Range[str, 1, 40] | None = None,
        vote: bool | None = None,
        behind: bool | None = None,
        quiet: app_commands.Range[str, 1, 20] | None = None,
        suggested: bool = False,
    ) -> None:
        guild_id = guild_id_of(interaction)
        chosen: dict[str, Any] = {
            "on_post": post,
            "before_meeting": meeting,
            "before_vote": vote,
            "weekly_behind": behind,
            "quiet": quiet,
        }
        text = await when_ready(
            interaction, self._remind(guild_id, interaction.user.id, chosen, suggested=suggested)
        )
        await reply(interaction, text)

    async def _remind(
        self, guild_id: int, user_id: int, chosen: dict[str, Any], *, suggested: bool
    ) -> str:
        """Take the suggestions, change the settings, or show them; the answer."""
        if suggested:
            settings = await self.bot.services.reminders.take_suggestions(guild_id, user_id)
            self.closed.discard((guild_id, user_id))
            return render.settings_text(settings, changed=True)
        if all(value is None for value in chosen.values()):
            settings = await self.bot.services.reminders.settings(guild_id, user_id)
            text = render.settings_text(settings, changed=False)
            offered = await self.bot.services.reminders.suggestions(guild_id, user_id)
            if offered:
                text += "\n\n" + render.suggestions_text(offered)
            return text
        settings = await self.bot.services.reminders.change(guild_id, user_id, **chosen)
        self.closed.discard((guild_id, user_id))
        return render.settings_text(settings, changed=True)

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command[Any, ..., Any]
    ) -> None:
        """Tell a member once, privately, that their reminders stopped because DMs failed."""
        key = (interaction.guild_id or 0, interaction.user.id)
        if key not in self.closed or command.qualified_name == "remind":
            return
        self.closed.discard(key)
        try:
            if await self.bot.services.reminders.untold_closed(*key):
                await reply(interaction, render.CLOSED_NOTICE)
        except discord.HTTPException:
            log.warning("Could not tell a member that their reminders stopped")
