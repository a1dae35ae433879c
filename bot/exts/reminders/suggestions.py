"""`/schedule reminders`: a facilitator suggests reminders to the circle. The command is
declared in the `/schedule` group (`bot/exts/schedules/cog.py`), which answers it here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.exts.interactions import guild_member

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def suggest_reminders(
    bot: StudyCircleBot,
    interaction: discord.Interaction,
    schedule_id: int,
    post: bool,
    meeting: str | None,
    vote: bool,
    behind: bool,
) -> str:
    """A facilitator's suggestion of reminders (shown to members in `/remind`, never
    applied), and the answer saying so."""
    guild, _ = guild_member(interaction)
    suggestion = await bot.services.reminders.suggest(
        guild.id,
        schedule_id,
        on_post=post,
        before_meeting=meeting,
        before_vote=vote,
        weekly_behind=behind,
    )
    return (
        f"Suggested to the circle of {suggestion.describe()}. Members see it in "
        "`/remind` and take it if they wish; nobody is opted in."
    )
