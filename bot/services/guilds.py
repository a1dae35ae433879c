"""Per-guild settings."""

from __future__ import annotations

from bot.db import Database
from bot.db.models import Guild
from bot.services.readings import ensure_guild


class Guilds:
    """A guild's own settings: who its facilitators are."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def facilitator_role(self, guild_id: int) -> int | None:
        """The role whose members may run facilitator commands, if one is set."""
        async with self.db.read() as session:
            guild = await session.get(Guild, guild_id)
            return guild.facilitator_role_id if guild else None

    async def set_facilitator_role(self, guild_id: int, role_id: int | None) -> None:
        """Set (or with None, clear) the facilitators' role."""
        async with self.db.session() as session:
            guild = await ensure_guild(session, guild_id)
            guild.facilitator_role_id = role_id
