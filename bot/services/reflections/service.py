"""`Reflections`: the feature's parts, and what it keeps about a member.

A cog calls a part: `reflections.targets` (the section to reflect on, posted sections by name),
`reflections.writing` (write, edit, delete, within the limits), `reflections.reading` (one's
own, and what a message shares), `reflections.counts` (the facilitators' summary) and
`reflections.settling` (a reflection's own message across crashes). A member's default
visibility is the service's own, and so is what `/forget-me` counts and deletes of this
feature's: `Reflections` is a `MemberData` (`bot.services.features`) like every feature.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import MemberSettings, Reflection
from bot.db.models.reflections import Visibility
from bot.scheduler import Scheduler
from bot.scheduling.clock import Clock
from bot.services.features import Kept
from bot.services.member_rows import MemberRows, count_rows
from bot.services.readings import ensure_guild
from bot.services.reflections._common import DEFAULT_VISIBILITY, check_visibility
from bot.services.reflections.info import posted_ref
from bot.services.reflections.reading import Reader
from bot.services.reflections.sections import Target, Targets, find_target
from bot.services.reflections.settling import ReflectionMessages, Settling
from bot.services.reflections.summary import Counts
from bot.services.reflections.writing import Writing, check_rate


@dataclass(frozen=True)
class NewReflection:
    """What the modal for a new reflection shows: the section with its prompts, and the
    visibility chosen unless the member changes it."""

    target: Target
    visibility: Visibility


async def _default_visibility(session: AsyncSession, guild_id: int, user_id: int) -> Visibility:
    found = await session.get(MemberSettings, (guild_id, user_id))
    return Visibility(found.default_visibility) if found else DEFAULT_VISIBILITY


# What /forget-me deletes (`MemberData`); a member has one row of settings at most.
REFLECTIONS = Kept("reflection", "reflections")
SETTINGS = Kept.uncounted("your settings")


class Reflections:
    """Reflections, bound to the database, the clock and the job queue (which settles a
    shared reflection's message after a crash)."""

    def __init__(self, db: Database, *, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.targets = Targets(db)
        self.writing = Writing(db, scheduler=scheduler, clock=clock)
        self.reading = Reader(db)
        self.counts = Counts(db)
        self.settling = Settling(db, self._messages)
        # The Discord side, attached by the reflections extension: the settle job and
        # `forget_member` both use it.
        self.messages: ReflectionMessages | None = None

    def _messages(self) -> ReflectionMessages:
        if self.messages is None:
            raise RuntimeError("reflections have no Discord side yet")
        return self.messages

    async def default_visibility(self, guild_id: int, user_id: int) -> Visibility:
        """Who may read the member's new reflections unless they choose (only them, at first)."""
        async with self.db.read() as session:
            return await _default_visibility(session, guild_id, user_id)

    async def new_reflection(
        self,
        guild_id: int,
        user_id: int,
        *,
        section_id: int | None = None,
        schedule_id: int | None = None,
        position: int | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
    ) -> NewReflection:
        """What to open the modal with, in one read: the section meant (`find_section`), and
        the member's default visibility; refused (UserError) when the member has written too
        many reflections just now. The submission checks everything again."""
        async with self.db.read() as session:
            target = await find_target(
                session,
                guild_id,
                user_id=user_id,
                section_id=section_id,
                schedule_id=schedule_id,
                position=position,
                channel_id=channel_id,
                message_id=message_id,
            )
            await check_rate(session, guild_id, user_id, self.clock.now())
            visibility = await _default_visibility(session, guild_id, user_id)
            return NewReflection(target, visibility)

    async def set_default_visibility(
        self, guild_id: int, user_id: int, visibility: str
    ) -> Visibility:
        """Change the member's default visibility in the guild."""
        chosen = check_visibility(visibility)
        async with self.db.session() as session:
            found = await session.get(MemberSettings, (guild_id, user_id))
            if found is None:
                await ensure_guild(session, guild_id)
                session.add(
                    MemberSettings(
                        guild_id=guild_id,
                        user_id=user_id,
                        default_visibility=chosen,
                        updated_at=self.clock.now(),
                    )
                )
            else:
                found.default_visibility = chosen
            return chosen

    def _member_rows(self, guild_id: int, user_id: int) -> tuple[MemberRows, MemberRows]:
        """What the feature keeps about the member (`MemberData`): their reflections and
        their settings, which /forget-me deletes."""
        return (
            MemberRows(
                REFLECTIONS,
                Reflection,
                Reflection.guild_id == guild_id,
                Reflection.user_id == user_id,
            ),
            MemberRows(
                SETTINGS,
                MemberSettings,
                MemberSettings.guild_id == guild_id,
                MemberSettings.user_id == user_id,
            ),
        )

    async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await count_rows(self.db, self._member_rows(guild_id, user_id))

    async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        """For /forget-me (`MemberData`): delete the member's reflections and settings in this
        guild. The messages showing their shared reflections are settled first (a crash may
        have kept one from being recorded) and shown again after, without them. Raises, and
        deletes nothing, when the messages cannot be settled or there is no Discord side: the
        rows must not go while a message still shows the member's words."""
        messages = self._messages()
        await messages.settle(guild_id, user_id=user_id)
        reflections, settings = self._member_rows(guild_id, user_id)
        async with self.db.session() as session:
            # Loaded rather than deleted by a statement: their messages are refreshed after.
            rows = list(await session.scalars(select(Reflection).where(*reflections.where)))
            stale = {ref for ref in (posted_ref(row) for row in rows) if ref is not None}
            for row in rows:
                await session.delete(row)
            forgotten = {REFLECTIONS: len(rows), SETTINGS: await settings.forget(session)}
        if stale:
            await messages.refresh(guild_id, sorted(stale, key=lambda r: r.message_id))
        return forgotten
