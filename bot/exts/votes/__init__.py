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

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    cog = VotesCog(bot)
    bot.services.votes.closing.announcer = DiscordAnnouncer(bot, cog.live)
    bot.modals.add(BlockReason)
    await bot.add_cog(cog)
