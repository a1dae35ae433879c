"""Assembly-style votes in Discord: `/topic …`, `/vote …`, `/motion propose`, their ballots,
reminders and results.

The service (`bot.services.votes`) adds its lines to section digests and forgets a member's
ballots on `/forget-me`, through the protocols of `bot.services.features`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.votes.announcer import DiscordAnnouncer
from bot.exts.votes.cog import VotesCog
from bot.exts.votes.views import BlockReason
from bot.services.votes import CLOSE_JOB, REMIND_JOB, WAL_JOB

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    service = bot.services.votes
    cog = VotesCog(bot, service)
    closing = service.closing
    closing.announcer = DiscordAnnouncer(bot, cog.live)
    bot.scheduler.register(CLOSE_JOB, closing.handle_close, give_up=closing.give_up_close)
    bot.scheduler.register(REMIND_JOB, closing.handle_remind)
    bot.scheduler.register(WAL_JOB, closing.empty_wal)
    bot.modals.add(BlockReason)
    await bot.add_cog(cog)
