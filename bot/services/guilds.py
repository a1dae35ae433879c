"""Per-guild settings."""

from __future__ import annotations

from bot.db import Database
from bot.db.models import Guild
from bot.services.readings import ensure_guild


async def facilitator_role(db: Database, guild_id: int) -> int | None:
    async with db.session() as session:
        guild = await session.get(Guild, guild_id)
        return guild.facilitator_role_id if guild else None


async def set_facilitator_role(db: Database, guild_id: int, role_id: int | None) -> None:
    async with db.session() as session:
        guild = await ensure_guild(session, guild_id)
        guild.facilitator_role_id = role_id
