"""`/circle about`: what the bot does and which version is running."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.meta.cog import MetaCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(MetaCog(bot))
