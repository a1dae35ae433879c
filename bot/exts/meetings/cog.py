"""The meetings feature's part in section digests (its commands live under `/schedule`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from discord.ext import commands

from bot.exts.features import DigestPart
from bot.exts.meetings.answers import meeting_summary

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


class MeetingsCog(commands.Cog, name="Meetings"):
    """A `DigestContributor`: the digest's line about the section's meeting."""

    digest_part = DigestPart.MEETING

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot

    async def digest_lines(self, guild_id: int, schedule_id: int, section_id: int) -> list[str]:
        return await meeting_summary(self.bot, guild_id, schedule_id, section_id)
