"""Counts for facilitators, per section and per prompt: never any reflection's text."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Prompt, Reading, Reflection, Section, SectionPost
from bot.db.models.reflections import Visibility
from bot.db.models.schedules import PostStatus
from bot.services.reflections.info import is_shared, is_waiting
from bot.services.schedules import BY_SECTION, pick_schedule
from bot.services.section_posts import not_posted


@dataclass(frozen=True)
class SectionCount:
    schedule_id: int
    section_id: int
    position: int
    title: str
    reflections: int
    authors: int
    shared: int
    waiting: int
    private: int


@dataclass(frozen=True)
class PromptCount:
    position: int | None
    text: str
    reflections: int


@dataclass(frozen=True)
class Summary:
    """Counts for facilitators: per section and per prompt. Never any reflection's text."""

    schedule_id: int
    reading_title: str
    sections: tuple[SectionCount, ...]
    prompts: tuple[PromptCount, ...]
    section_position: int | None


class Counts:
    """Summing up a schedule's reflections."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def summary(
        self,
        guild_id: int,
        *,
        user_id: int | None = None,
        schedule_id: int | None = None,
        position: int | None = None,
    ) -> Summary:
        """Counts per posted section (or for one section) and per prompt. No text at all."""
        async with self.db.session() as session:
            schedule = await pick_schedule(
                session, guild_id, schedule_id, user_id=user_id, how=BY_SECTION
            )
            reading = await session.get_one(Reading, schedule.reading_id)
            posted = list(
                await session.execute(
                    select(SectionPost.section_id, Section.position, Section.title)
                    .join(Section, Section.id == SectionPost.section_id)
                    .where(
                        SectionPost.schedule_id == schedule.id,
                        SectionPost.status == PostStatus.POSTED,
                    )
                    .order_by(Section.position)
                )
            )
            if position is not None:
                posted = [row for row in posted if row.position == position]
                if not posted:
                    raise not_posted(schedule.id, position)
            section_ids = [row.section_id for row in posted]
            rows = list(
                await session.execute(
                    select(
                        Reflection.section_id,
                        Reflection.user_id,
                        Reflection.visibility,
                        Reflection.revealed_at,
                        Reflection.prompt_id,
                    ).where(
                        Reflection.guild_id == guild_id,
                        Reflection.schedule_id == schedule.id,
                        Reflection.section_id.in_(section_ids),
                    )
                )
            )
            counts = []
            for section_id, pos, title in posted:
                mine = [r for r in rows if r.section_id == section_id]
                counts.append(
                    SectionCount(
                        schedule_id=schedule.id,
                        section_id=section_id,
                        position=pos,
                        title=title,
                        reflections=len(mine),
                        authors=len({r.user_id for r in mine}),
                        shared=sum(1 for r in mine if is_shared(r.visibility, r.revealed_at)),
                        waiting=sum(1 for r in mine if is_waiting(r.visibility, r.revealed_at)),
                        private=sum(1 for r in mine if r.visibility == Visibility.PRIVATE),
                    )
                )
            per_prompt: dict[int | None, int] = {}
            for row in rows:
                per_prompt[row.prompt_id] = per_prompt.get(row.prompt_id, 0) + 1
            prompts = await _prompt_counts(session, per_prompt)
            return Summary(schedule.id, reading.title, tuple(counts), prompts, position)


async def _prompt_counts(
    session: AsyncSession, per_prompt: dict[int | None, int]
) -> tuple[PromptCount, ...]:
    ids = [prompt_id for prompt_id in per_prompt if prompt_id is not None]
    known = {p.id: p for p in await session.scalars(select(Prompt).where(Prompt.id.in_(ids)))}
    counts = [
        PromptCount(known[pid].position, known[pid].text, n)
        for pid, n in per_prompt.items()
        if pid is not None and pid in known
    ]
    counts.sort(key=lambda c: (-c.reflections, c.position or 0))
    if per_prompt.get(None):
        counts.append(PromptCount(None, "No particular prompt", per_prompt[None]))
    return tuple(counts)
