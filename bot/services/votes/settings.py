"""The guild's vote settings: whether a motion that misses consensus falls back to a vote."""

from __future__ import annotations

from bot.db.models import VoteSettings
from bot.services.readings import ensure_guild
from bot.services.votes._common import VotesBase


class SettingsUseCases(VotesBase):
    """Reading and changing the guild's vote settings."""

    async def motion_fallback(self, guild_id: int) -> bool:
        async with self.db.session() as session:
            found = await session.get(VoteSettings, guild_id)
            return bool(found and found.motion_fallback)

    async def set_motion_fallback(self, guild_id: int, enabled: bool) -> None:
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)
            found = await session.get(VoteSettings, guild_id)
            if found is None:
                session.add(VoteSettings(guild_id=guild_id, motion_fallback=enabled))
            else:
                found.motion_fallback = enabled
