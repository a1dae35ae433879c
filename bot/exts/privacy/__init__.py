"""A member's privacy in Discord: `/settings` (their defaults in this server) and `/forget-me`.

`/forget-me` belongs to no feature: it lists what every `MemberData` of
`bot.services.features` says it holds about the member (reflections, progress and
memberships, reminder settings, ballots, ...) before the member confirms, then has each one
forget it, and takes back the circle roles the memberships gave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.privacy.cog import PrivacyCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(PrivacyCog(bot))
