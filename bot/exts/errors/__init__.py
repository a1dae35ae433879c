"""The command tree's error handler: every failed slash command is answered privately by
`bot.exts.interactions.report_interaction_error`, as failed buttons, menus and modals are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.errors.cog import ErrorsCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(ErrorsCog(bot))
