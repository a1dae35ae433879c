"""The central error handler for slash commands (and a helper for views and modals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.errors.cog import ErrorsCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(ErrorsCog(bot))
