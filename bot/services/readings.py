"""Readings: import, list, show and remove, scoped to a guild (bundled ones are shared)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db import Database
from bot.db.models import Guild, Reading, Section
from bot.errors import NotFound, UserError
from bot.reading.importer import ParsedReading, parse_reading
from bot.reading.text import reading_minutes
from bot.seeds import bundled_seeds


class DuplicateReading(UserError):
    """The same text (after normalisation) is already a reading in this guild."""

    def __init__(self, existing: ReadingSummary) -> None:
        super().__init__(
            f"This text is already here as “{existing.title}” (reading #{existing.id})."
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

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words)


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


def _summary(reading: Reading, section_count: int) -> ReadingSummary:
    return ReadingSummary(
        id=reading.id,
        title=reading.title,
        language=reading.language,
        source_name=reading.source_name,
        sections=section_count,
        words=reading.word_count,
        bundled=reading.guild_id is None,
    )


async def ensure_guild(session: AsyncSession, guild_id: int, name: str = "") -> Guild:
    """The guild's row, created on first sight."""
    guild = await session.get(Guild, guild_id)
    if guild is None:
        guild = Guild(id=guild_id, name=name[:100])
        session.add(guild)
        await session.flush()
    elif name and guild.name != name[:100]:
        guild.name = name[:100]
    return guild


def _visible_in(guild_id: int):  # type: ignore[no-untyped-def]
    return or_(Reading.guild_id == guild_id, Reading.guild_id.is_(None))


async def _store(session: AsyncSession, guild_id: int | None, parsed: ParsedReading) -> Reading:
    reading = Reading(
        guild_id=guild_id,
        title=parsed.title,
        language=parsed.language,
        source_name=parsed.source_name,
        content_hash=parsed.content_hash,
        word_count=parsed.word_count,
        sections=[
            Section(
                position=s.position,
                title=s.title[:200],
                headings="\n".join(s.headings),
                text=s.text,
                word_count=s.word_count,
            )
            for s in parsed.sections
        ],
    )
    session.add(reading)
    await session.flush()
    return reading


async def import_reading(db: Database, guild_id: int, parsed: ParsedReading) -> ReadingSummary:
    """Store a parsed reading for a guild; the same text twice raises DuplicateReading."""
    async with db.session() as session:
        await ensure_guild(session, guild_id)
        existing = await session.scalar(
            select(Reading).where(
                Reading.content_hash == parsed.content_hash, _visible_in(guild_id)
            )
        )
        if existing is not None:
            count = len(await existing.awaitable_attrs.sections)
            raise DuplicateReading(_summary(existing, count))
        reading = await _store(session, guild_id, parsed)
        return _summary(reading, len(parsed.sections))


async def ensure_bundled_readings(db: Database) -> list[ReadingSummary]:
    """Make sure every bundled seed is stored once, visible in every guild."""
    out = []
    async with db.session() as session:
        for seed in bundled_seeds():
            parsed = parse_reading(
                seed.read_bytes(), seed.path.name, title=seed.title, language=seed.language
            )
            existing = await session.scalar(
                select(Reading).where(
                    Reading.guild_id.is_(None), Reading.content_hash == parsed.content_hash
                )
            )
            reading = existing or await _store(session, None, parsed)
            out.append(_summary(reading, len(parsed.sections)))
    return out


async def list_readings(db: Database, guild_id: int) -> list[ReadingSummary]:
    """Readings this guild can schedule: its own and the bundled ones."""
    async with db.session() as session:
        rows = await session.scalars(
            select(Reading)
            .where(_visible_in(guild_id))
            .options(selectinload(Reading.sections).load_only(Section.id))
            .order_by(Reading.guild_id.is_(None).desc(), Reading.title, Reading.id)
        )
        return [_summary(r, len(r.sections)) for r in rows]


async def _visible_reading(session: AsyncSession, guild_id: int, reading_id: int) -> Reading:
    reading = await session.scalar(
        select(Reading).where(Reading.id == reading_id, _visible_in(guild_id))
    )
    if reading is None:
        raise NotFound(f"There is no reading #{reading_id} in this server.")
    return reading


async def reading_sections(
    db: Database, guild_id: int, reading_id: int
) -> tuple[ReadingSummary, list[SectionSummary]]:
    """A reading visible in this guild and its sections, in order."""
    async with db.session() as session:
        reading = await _visible_reading(session, guild_id, reading_id)
        sections = await reading.awaitable_attrs.sections
        return _summary(reading, len(sections)), [
            SectionSummary(s.id, s.position, s.title, tuple(s.heading_list), s.word_count)
            for s in sections
        ]


async def remove_reading(db: Database, guild_id: int, reading_id: int) -> ReadingSummary:
    """Delete one of the guild's own readings. Bundled readings cannot be removed."""
    async with db.session() as session:
        reading = await _visible_reading(session, guild_id, reading_id)
        if reading.guild_id is None:
            raise UserError(f"“{reading.title}” comes with Study Circle and cannot be removed.")
        summary = _summary(reading, len(await reading.awaitable_attrs.sections))
        await session.delete(reading)
        return summary
