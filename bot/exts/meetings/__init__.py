"""Discussion meetings as Discord Scheduled Events (the service: bot/services/meetings.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.meetings.cog import MeetingsCog
from bot.exts.meetings.events import DiscordEvents
from bot.services.meetings import CANCEL_JOB, SYNC_JOB

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    meetings = bot.services.meetings
    events = DiscordEvents(bot)
    meetings.gateway = events
    bot.scheduler.register(SYNC_JOB, meetings.handle_sync)
    bot.scheduler.register(CANCEL_JOB, meetings.handle_cancel)
    await bot.add_cog(MeetingsCog(bot))
