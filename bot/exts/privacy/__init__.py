"""A member's privacy in Discord: `/settings` (their defaults in this server) and `/forget-me`.

`/forget-me` belongs to no feature and knows none: it lists what every `MemberData` of
`bot.services.features` says it holds about the member (reflections, progress and
memberships, reminder settings, ballots, ...), with what the features' cogs say it means,
before the member confirms; then each cog with a part on Discord undoes it (the members
feature takes back its circle roles), and each `MemberData` forgets (`forgetting`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.privacy.cog import PrivacyCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(PrivacyCog(bot))
