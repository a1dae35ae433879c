"""Discussion meetings as Discord Scheduled Events (the service: bot/services/meetings.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.meetings.commands import meeting_summary
from bot.exts.meetings.events import DiscordEvents
from bot.services.meetings import CANCEL_JOB, SYNC_JOB

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    events = DiscordEvents(bot)
    bot.meetings.gateway = events
    bot.meeting_events = events
    bot.scheduler.register(SYNC_JOB, bot.meetings.handle_sync)
    bot.scheduler.register(CANCEL_JOB, bot.meetings.handle_cancel)

    async def digest_line(guild_id: int, schedule_id: int, section_id: int) -> list[str]:
        return await meeting_summary(bot, events, guild_id, schedule_id, section_id)

    bot.meeting_summaries.append(digest_line)
