"""Reminders by direct message (the service: bot/services/reminders.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.reminders.cog import DiscordDms, RemindersCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    reminders = bot.services.reminders
    cog = RemindersCog(bot)
    reminders.sender = DiscordDms(bot, cog)
    await bot.add_cog(cog)
