"""`Reflections`: the feature's parts, and what it keeps about a member.

A cog calls a part: `reflections.targets` (the section to reflect on, posted sections by name),
`reflections.writing` (write, edit, delete, within the limits), `reflections.reading` (one's
own, and what a message shares), `reflections.counts` (the facilitators' summary) and
`reflections.settling` (a reflection's own message across crashes). A member's default
visibility, and what `/forget-me` shows and deletes, are the service's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import MemberSettings, Reflection
from bot.db.models.reflections import Visibility
from bot.scheduler import Scheduler
from bot.scheduling.clock import Clock
from bot.services.readings import ensure_guild
from bot.services.reflections._common import DEFAULT_VISIBILITY, check_visibility
from bot.services.reflections.info import PostedRef, posted_ref
from bot.services.reflections.reading import Reader
from bot.services.reflections.sections import Target, Targets, find_target
from bot.services.reflections.settling import Settling
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


@dataclass(frozen=True)
class Held:
    """What this feature keeps about a member, as /forget-me's confirmation counts it."""

    reflections: int
    settings: int


@dataclass(frozen=True)
class Forgotten:
    """What `/forget-me` deleted of this feature's, and the messages Discord still shows."""

    reflections: int
    settings: int
    stale: tuple[PostedRef, ...]


class Reflections:
    """Reflections, bound to the database, the clock and the job queue (which settles a
    shared reflection's message after a crash)."""

    def __init__(self, db: Database, clock: Clock, scheduler: Scheduler) -> None:
        self.db = db
        self.clock = clock
        self.targets = Targets(db)
        self.writing = Writing(db, clock, scheduler)
        self.reading = Reader(db)
        self.counts = Counts(db)
        self.settling = Settling(db)

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

    async def set_default_visibility(self, guild_id: int, user_id: int, visibility: str) -> str:
        """Change the member's default visibility in the guild."""
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

    async def forget(self, guild_id: int, user_id: int) -> Forgotten:
        """Delete what this feature keeps about the member in this guild: reflections and
        settings (the other features forget theirs through `MemberData`). Messages showing
        their shared reflections go stale."""
        async with self.db.session() as session:
            rows = list(
                await session.scalars(
                    select(Reflection).where(
                        Reflection.guild_id == guild_id, Reflection.user_id == user_id
                    )
                )
            )
            stale = {ref for ref in (posted_ref(row) for row in rows) if ref is not None}
            for row in rows:
                await session.delete(row)
            settings = await session.execute(
                delete(MemberSettings).where(
                    MemberSettings.guild_id == guild_id, MemberSettings.user_id == user_id
                )
            )
            return Forgotten(
                reflections=len(rows),
                settings=int(settings.rowcount or 0),
                stale=tuple(sorted(stale, key=lambda r: r.message_id)),
            )

    async def holdings(self, guild_id: int, user_id: int) -> Held:
        """What `forget` would delete of this feature's, for /forget-me's confirmation (the
        other features count theirs through `MemberData`)."""
        async with self.db.read() as session:
            reflections = await session.scalar(
                select(func.count())
                .select_from(Reflection)
                .where(Reflection.guild_id == guild_id, Reflection.user_id == user_id)
            )
            settings = await session.scalar(
                select(func.count())
                .select_from(MemberSettings)
                .where(MemberSettings.guild_id == guild_id, MemberSettings.user_id == user_id)
            )
            return Held(reflections=int(reflections or 0), settings=int(settings or 0))
