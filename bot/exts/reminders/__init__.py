"""Reminders by direct message (the service: bot/services/reminders.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.reminders.cog import DiscordDms, RemindersCog
from bot.services.reminders import BEHIND_JOB, DM_JOB, FANOUT_JOB

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    cog = RemindersCog(bot)
    bot.reminders.sender = DiscordDms(bot, cog)
    bot.scheduler.register(FANOUT_JOB, bot.reminders.handle_fanout)
    bot.scheduler.register(DM_JOB, bot.reminders.handle_dm)
    bot.scheduler.register(BEHIND_JOB, bot.reminders.handle_behind)
    bot.forget_hooks.append(bot.reminders.forget)
    await bot.add_cog(cog)
