"""Reminders by direct message (the service: bot/services/reminders.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.reminders.cog import DiscordDms, RemindersCog
from bot.services.reminders import BEHIND_JOB, DM_JOB, FANOUT_JOB

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    reminders = bot.services.reminders
    cog = RemindersCog(bot)
    reminders.sender = DiscordDms(bot, cog)
    bot.scheduler.register(FANOUT_JOB, reminders.handle_fanout)
    bot.scheduler.register(DM_JOB, reminders.handle_dm)
    bot.scheduler.register(BEHIND_JOB, reminders.handle_behind)
    await bot.add_cog(cog)
