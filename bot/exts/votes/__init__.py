"""Assembly-style votes in Discord: `/topic …`, `/vote …`, `/motion propose`, their ballots,
reminders and results.

The cog adds its lines to section digests (a `DigestContributor` of `bot.exts.features`),
and the service (`bot.services.votes`) forgets a member's ballots on `/forget-me` (a
`MemberData` of `bot.services.features`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.votes.announcer import DiscordAnnouncer
from bot.exts.votes.cog import VotesCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    cog = VotesCog(bot)
    bot.services.votes.closing.announcer = DiscordAnnouncer(bot, cog.live)
    await bot.add_cog(cog)
