"""A member's reflection settings: who may read their reflections by default."""

from __future__ import annotations

from bot.db.models import MemberSettings
from bot.services.readings import ensure_guild
from bot.services.reflections._common import DEFAULT_VISIBILITY, ReflectionsBase, check_visibility


class SettingsUseCases(ReflectionsBase):
    """Reading and changing a member's default visibility."""

    async def default_visibility(self, guild_id: int, user_id: int) -> str:
        async with self.db.session() as session:
            found = await session.get(MemberSettings, (guild_id, user_id))
            return found.default_visibility if found else DEFAULT_VISIBILITY

    async def set_default_visibility(self, guild_id: int, user_id: int, visibility: str) -> str:
        visibility = check_visibility(visibility)
        async with self.db.session() as session:
            found = await session.get(MemberSettings, (guild_id, user_id))
            if found is None:
                await ensure_guild(session, guild_id)
                session.add(
                    MemberSettings(
                        guild_id=guild_id,
                        user_id=user_id,
                        default_visibility=visibility,
                        updated_at=self.clock.now(),
                    )
                )
            else:
                found.default_visibility = visibility
            return visibility
