"""Reading reflections: one's own (one, all, or for export), and those a message shares."""

from __future__ import annotations

from sqlalchemy import select

from bot.db import Database
from bot.db.models import Prompt, Reflection
from bot.services.reflections.info import (
    ReflectionInfo,
    one_reflection,
    own_row,
    queried_reflection,
    reflection_query,
)
from bot.services.reflections.sections import PromptChoice, prompt_choice


class Reader:
    """Listing and opening reflections, each only to those who may read it."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def own(self, guild_id: int, user_id: int, reflection_id: int) -> ReflectionInfo:
        """One of the member's own reflections (another's is "not found", whoever asks)."""
        async with self.db.read() as session:
            row = await own_row(session, guild_id, user_id, reflection_id)
            return await one_reflection(session, guild_id, row.id)

    async def for_edit(
        self, guild_id: int, user_id: int, reflection_id: int
    ) -> tuple[ReflectionInfo, tuple[PromptChoice, ...]]:
        """One's own reflection with the prompts it may answer (its section's)."""
        async with self.db.read() as session:
            row = await own_row(session, guild_id, user_id, reflection_id)
            prompts = await session.scalars(
                select(Prompt)
                .where(Prompt.section_id == row.section_id, Prompt.hidden.is_(False))
                .order_by(Prompt.position, Prompt.id)
            )
            choices = tuple(prompt_choice(p) for p in prompts)
            return await one_reflection(session, guild_id, row.id), choices

    async def mine(self, guild_id: int, user_id: int) -> list[ReflectionInfo]:
        """The member's reflections in the guild, newest first."""
        async with self.db.read() as session:
            rows = await session.execute(
                reflection_query()
                .where(Reflection.guild_id == guild_id, Reflection.user_id == user_id)
                .order_by(Reflection.created_at.desc(), Reflection.id.desc())
            )
            return [queried_reflection(row) for row in rows]

    async def export(self, guild_id: int, user_id: int) -> list[ReflectionInfo]:
        """The member's reflections in reading order, for their own keeping."""
        found = await self.mine(guild_id, user_id)
        return sorted(
            found, key=lambda r: (r.reading_title, r.section_position, r.created_at, r.id)
        )

    async def shared_in(
        self, guild_id: int, channel_id: int, message_id: int
    ) -> list[ReflectionInfo]:
        """The shared reflections a message shows, oldest first. Private ones never."""
        async with self.db.read() as session:
            rows = await session.execute(
                reflection_query()
                .where(
                    Reflection.guild_id == guild_id,
                    Reflection.channel_id == channel_id,
                    Reflection.message_id == message_id,
                )
                .order_by(Reflection.id)
            )
            return [
                reflection
                for reflection in (queried_reflection(row) for row in rows)
                if reflection.shared
            ]
