"""`/forget-me`: what is kept about a member, and deleting it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from bot.db.models import MemberSettings, Membership, Progress, Reflection, Schedule
from bot.services.reflections._common import ReflectionsBase
from bot.services.reflections.views import PostedRef, posted_ref


@dataclass(frozen=True)
class Forgotten:
    """What `/forget-me` deleted, and what Discord still has to change."""

    reflections: int
    progress: int
    memberships: int
    settings: int
    stale: tuple[PostedRef, ...]
    role_ids: tuple[int, ...]


class ForgettingUseCases(ReflectionsBase):
    """Forgetting a member, and saying what would be forgotten."""

    async def forget(self, guild_id: int, user_id: int) -> Forgotten:
        """Delete everything kept about the member in this guild (this feature's part, with
        their progress and memberships). Messages showing their shared reflections go stale."""
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
            progress = await session.execute(
                delete(Progress).where(Progress.guild_id == guild_id, Progress.user_id == user_id)
            )
            joined = list(
                await session.execute(
                    select(Membership.id, Schedule.role_id)
                    .join(Schedule, Schedule.id == Membership.schedule_id)
                    .where(Schedule.guild_id == guild_id, Membership.user_id == user_id)
                )
            )
            if joined:
                await session.execute(
                    delete(Membership).where(Membership.id.in_([row[0] for row in joined]))
                )
            settings = await session.execute(
                delete(MemberSettings).where(
                    MemberSettings.guild_id == guild_id, MemberSettings.user_id == user_id
                )
            )
            return Forgotten(
                reflections=len(rows),
                progress=int(progress.rowcount or 0),
                memberships=len(joined),
                settings=int(settings.rowcount or 0),
                stale=tuple(sorted(stale, key=lambda r: r.message_id)),
                role_ids=tuple(sorted({role for _, role in joined if role is not None})),
            )

    async def holdings(self, guild_id: int, user_id: int) -> tuple[int, int, int]:
        """(reflections, sections marked read, memberships) kept about the member here."""
        async with self.db.session() as session:
            reflections = await session.scalar(
                select(func.count())
                .select_from(Reflection)
                .where(Reflection.guild_id == guild_id, Reflection.user_id == user_id)
            )
            progress = await session.scalar(
                select(func.count())
                .select_from(Progress)
                .where(Progress.guild_id == guild_id, Progress.user_id == user_id)
            )
            memberships = await session.scalar(
                select(func.count())
                .select_from(Membership)
                .join(Schedule, Schedule.id == Membership.schedule_id)
                .where(Schedule.guild_id == guild_id, Membership.user_id == user_id)
            )
            return int(reflections or 0), int(progress or 0), int(memberships or 0)
