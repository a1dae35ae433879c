"""`/circle`: the bot itself, not a feature of it. `/circle about` says what Study Circle
does and which version runs; `/circle facilitator-role` says who in the server may run the
facilitator commands of every feature, so it belongs to none of them (the role is kept by
`bot/services/guilds.py`, which every feature's `facilitator_only` check reads)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.meta.cog import MetaCog

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    await bot.add_cog(MetaCog(bot))
