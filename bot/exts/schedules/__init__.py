"""Reading schedules in Discord: `/schedule …`, section posts, and their buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.schedules.cog import SchedulesCog
from bot.exts.schedules.poster import DiscordPoster

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    bot.services.posting.poster = DiscordPoster(bot)
    await bot.add_cog(SchedulesCog(bot))
