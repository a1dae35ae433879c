"""Readings and their prompts in Discord: `/reading …` and `/prompts …`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.readings.cog import ReadingsCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(ReadingsCog(bot))
