"""A member's own reading in Discord: `/join`, `/leave`, `/done`, `/progress`, `/catchup`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.members.cog import MembersCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(MembersCog(bot))
