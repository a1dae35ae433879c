"""Discussion meetings as Discord Scheduled Events (the service: bot/services/meetings.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.meetings.cog import MeetingsCog
from bot.exts.meetings.events import DiscordEvents

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    bot.services.meetings.gateway = DiscordEvents(bot)
    await bot.add_cog(MeetingsCog(bot))
