"""Assembly-style votes in Discord: `/topic …`, `/vote …`, `/motion propose`, their ballots,
reminders and results.

Hooks for the reflections feature (lists on the bot): a section's digest lists
`vote_summaries` for it, and `/forget-me` runs `forget_member`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.votes.cog import VotesCog
from bot.services.votes import (
    CLOSE_JOB,
    REMIND_JOB,
    WAL_JOB,
    Votes,
    forget_member,
    vote_summaries,
)

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    service = Votes(bot.database, bot.scheduler, bot.clock)
    service.opened_hooks = bot.vote_opened_hooks
    cog = VotesCog(bot, service)
    bot.scheduler.register(CLOSE_JOB, cog.handle_close)
    bot.scheduler.register(REMIND_JOB, cog.handle_remind)
    bot.scheduler.register(WAL_JOB, service.empty_wal)
    bot.give_up_handlers[CLOSE_JOB] = cog.give_up_close
    db = bot.database

    async def summaries(guild_id: int, schedule_id: int, section_id: int) -> list[str]:
        return await vote_summaries(db, guild_id, schedule_id, section_id)

    async def forget(guild_id: int, user_id: int) -> dict[str, int]:
        return await forget_member(db, guild_id, user_id)

    bot.vote_summaries.append(summaries)
    bot.forget_hooks.append(forget)
    await bot.add_cog(cog)
