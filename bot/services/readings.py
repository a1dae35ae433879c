"""Readings: import, list, show and remove, each scoped to one guild.

Every guild gets its own copy of the bundled readings when it is first seen, so whatever a
facilitator changes (prompts, for one) stays in that guild.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass

from sqlalchemy import ScalarSelect, SQLColumnExpression, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db import Database
from bot.db.models import Guild, Reading, Schedule, Section
from bot.errors import QUOTED, NotFound, UserError
from bot.parsing import parse_reading
from bot.reading.importer import ParsedReading
from bot.reading.prompts import TextKind, parse_kind
from bot.reading.text import reading_minutes
from bot.seeds import bundled_seeds
from bot.services.prompts import generated_rows


class DuplicateReading(UserError):
    """The same text (after normalisation) is already a reading in this guild."""

    def __init__(self, existing: ReadingSummary) -> None:
        super().__init__(
            f"This text is already here as “{QUOTED}” (reading #{existing.id}).",
            quoted=existing.title,
        )
        self.existing = existing


@dataclass(frozen=True)
class ReadingSummary:
    id: int
    title: str
    language: str
    source_name: str
    sections: int
    words: int
    bundled: bool
    kind: TextKind | None = None  # None for a reading stored before kinds were kept

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words)


@dataclass(frozen=True)
class ReadingSection:
    """A section of one of the guild's readings, for a list to pick one from."""

    id: int
    reading: str
    position: int
    title: str


@dataclass(frozen=True)
class SectionSummary:
    id: int
    position: int
    title: str
    headings: tuple[str, ...]
    words: int

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words)


def _summary(reading: Reading, sections: int) -> ReadingSummary:
    return ReadingSummary(
        id=reading.id,
        title=reading.title,
        language=reading.language,
        source_name=reading.source_name,
        sections=sections,
        words=reading.word_count,
        bundled=reading.bundled,
        kind=parse_kind(reading.kind),  # a stored word that is no kind reads as none
    )


@functools.cache
def parsed_seeds() -> tuple[ParsedReading, ...]:
    """The bundled readings, parsed once per process. Their metadata names their language,
    so the language detector's model is not loaded for them: a bot that never imports a
    reading never loads it."""
    return tuple(
        parse_reading(
            seed.read_bytes(),
            seed.path.name,
            title=seed.title,
            language=seed.language,
            detect_given_language=False,
        )
        for seed in bundled_seeds()
    )


async def ensure_guild(session: AsyncSession, guild_id: int, name: str = "") -> Guild:
    """The guild's row; on first sight it is created with its copy of the bundled readings."""
    guild = await session.get(Guild, guild_id)
    if guild is not None:
        if name and guild.name != name[:100]:
            guild.name = name[:100]
        return guild
    guild = Guild(id=guild_id, name=name[:100])
    session.add(guild)
    await session.flush()
    # Parsed once per process, about a second: in a thread, so other members' answers go on.
    for parsed in await asyncio.to_thread(parsed_seeds):
        await _store(session, guild_id, parsed, bundled=True)
    return guild


async def _store(
    session: AsyncSession, guild_id: int, parsed: ParsedReading, *, bundled: bool = False
) -> Reading:
    reading = Reading(
        guild_id=guild_id,
        bundled=bundled,
        title=parsed.title,
        language=parsed.language,
        source_name=parsed.source_name,
        content_hash=parsed.content_hash,
        word_count=parsed.word_count,
        kind=parsed.kind,
        sections=[
            Section(
                position=s.position,
                title=s.title[:200],
                headings="\n".join(s.headings),
                text=s.text,
                word_count=s.word_count,
                prompts=generated_rows(prompt_set) if prompt_set else [],
            )
            for s, prompt_set in zip(
                parsed.sections, parsed.prompts or [None] * len(parsed.sections), strict=True
            )
        ],
    )
    session.add(reading)
    await session.flush()
    return reading


def section_count(reading_id: int | SQLColumnExpression[int]) -> ScalarSelect[int]:
    """How many sections the reading has, as a scalar subquery: a column of a statement that
    reads more (`.label` it), correlated when `reading_id` is the outer statement's column
    (`Schedule.reading_id`), or a statement of its own through `count_sections`."""
    # Aliased, so that it never correlates to a Section the outer statement reads.
    counted = aliased(Section)
    return (
        select(func.count())
        .select_from(counted)
        .where(counted.reading_id == reading_id)
        .scalar_subquery()
    )


async def count_sections(session: AsyncSession, reading_id: int) -> int:
    """How many sections the reading has (`section_count`)."""
    return await session.scalar(select(section_count(reading_id))) or 0


async def guild_reading(session: AsyncSession, guild_id: int, reading_id: int) -> Reading:
    """The guild's reading `reading_id`; another guild's id is "not found"."""
    reading = await session.scalar(
        select(Reading).where(Reading.id == reading_id, Reading.guild_id == guild_id)
    )
    if reading is None:
        raise NotFound(f"There is no reading #{reading_id} in this server.")
    return reading


class Readings:
    """The readings of each guild: add, list, show and remove."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, guild_id: int, parsed: ParsedReading) -> ReadingSummary:
        """Store a parsed reading for a guild; the same text twice raises DuplicateReading."""
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)
            existing = await session.scalar(
                select(Reading).where(
                    Reading.guild_id == guild_id, Reading.content_hash == parsed.content_hash
                )
            )
            if existing is not None:
                count = await count_sections(session, existing.id)
                raise DuplicateReading(_summary(existing, count))
            reading = await _store(session, guild_id, parsed)
            return _summary(reading, len(parsed.sections))

    async def available(self, guild_id: int) -> list[ReadingSummary]:
        """Readings this guild can schedule, the bundled ones first."""
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)
            rows = await session.execute(
                select(Reading, section_count(Reading.id))
                .where(Reading.guild_id == guild_id)
                .order_by(Reading.bundled.desc(), Reading.title, Reading.id)
            )
            return [_summary(reading, int(n)) for reading, n in rows]

    async def every_section(self, guild_id: int) -> list[ReadingSection]:
        """Every section of the guild's readings, the readings in the order `available` lists
        them: one query, for a list to pick from."""
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)  # a new guild's first look lists the bundled
            rows = await session.execute(
                select(Section.id, Reading.title, Section.position, Section.title)
                .join(Reading, Reading.id == Section.reading_id)
                .where(Reading.guild_id == guild_id)
                .order_by(Reading.bundled.desc(), Reading.title, Reading.id, Section.position)
            )
            return [ReadingSection(*row) for row in rows]

    async def sections(
        self, guild_id: int, reading_id: int
    ) -> tuple[ReadingSummary, list[SectionSummary]]:
        """A reading of this guild and its sections, in order."""
        async with self.db.read() as session:
            reading = await guild_reading(session, guild_id, reading_id)
            sections = await reading.awaitable_attrs.sections
            return _summary(reading, len(sections)), [
                SectionSummary(s.id, s.position, s.title, tuple(s.heading_list), s.word_count)
                for s in sections
            ]

    async def remove(self, guild_id: int, reading_id: int) -> ReadingSummary:
        """Delete one of the guild's own readings. Bundled readings stay."""
        async with self.db.session() as session:
            reading = await guild_reading(session, guild_id, reading_id)
            if reading.bundled:
                raise UserError(
                    f"“{QUOTED}” comes with Study Circle and cannot be removed.",
                    quoted=reading.title,
                )
            in_use = await session.scalar(
                select(Schedule.id).where(Schedule.reading_id == reading.id).limit(1)
            )
            if in_use is not None:
                raise UserError(
                    f"Schedule #{in_use} reads “{QUOTED}”: delete that schedule first.",
                    quoted=reading.title,
                )
            summary = _summary(reading, await count_sections(session, reading.id))
            await session.delete(reading)
            return summary
