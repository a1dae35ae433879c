"""Reading schedules in Discord: `/schedule …`, section posts, and their buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.schedules.cog import SchedulesCog
from bot.exts.schedules.poster import DiscordPoster
from bot.services.schedules import POST_JOB, POST_NOW_JOB

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    posting = bot.services.posting
    posting.poster = DiscordPoster(bot)
    bot.scheduler.register(POST_JOB, posting.handle, give_up=posting.give_up)
    bot.scheduler.register(POST_NOW_JOB, posting.handle, give_up=posting.give_up)
    await bot.add_cog(SchedulesCog(bot))
