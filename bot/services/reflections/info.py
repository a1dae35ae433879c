"""`ReflectionInfo` and the query that builds it, the messages that show shared reflections,
and the look-ups every part uses (a reflection as shown, one's own row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Row, Select, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Reading, Reflection, Section, SectionPost
from bot.db.models.reflections import Visibility
from bot.errors import NotFound


def is_shared(visibility: str, revealed_at: datetime | None) -> bool:
    """Whether the circle may read a reflection now: shared now, or meant for after the close
    and revealed by its digest. `SHARED` is the same rule in SQL."""
    return visibility == Visibility.NOW or (
        visibility == Visibility.AFTER_CLOSE and revealed_at is not None
    )


# `is_shared` as a filter on the reflections table, for the queries that only want those.
SHARED: ColumnElement[bool] = or_(
    Reflection.visibility == Visibility.NOW,
    and_(Reflection.visibility == Visibility.AFTER_CLOSE, Reflection.revealed_at.is_not(None)),
)


def is_waiting(visibility: str, revealed_at: datetime | None) -> bool:
    """Whether a reflection waits for its section's digest to reveal it. `WAITING` is the same
    rule in SQL."""
    return visibility == Visibility.AFTER_CLOSE and revealed_at is None


# `is_waiting` as a filter: the reflections a digest reveals.
WAITING: ColumnElement[bool] = and_(
    Reflection.visibility == Visibility.AFTER_CLOSE, Reflection.revealed_at.is_(None)
)


@dataclass(frozen=True)
class ReflectionInfo:
    id: int
    guild_id: int
    user_id: int
    author_name: str
    schedule_id: int | None
    section_id: int
    section_position: int
    section_title: str
    reading_title: str
    prompt_id: int | None
    prompt_text: str | None
    text: str
    visibility: Visibility
    thread_id: int | None
    channel_id: int | None
    message_id: int | None
    created_at: datetime
    updated_at: datetime
    revealed_at: datetime | None

    @property
    def shared(self) -> bool:
        """Whether the circle may read it now (`is_shared`)."""
        return is_shared(self.visibility, self.revealed_at)

    @property
    def edited(self) -> bool:
        return self.updated_at > self.created_at


@dataclass(frozen=True)
class PostedRef:
    """A message in Discord that shows shared reflections."""

    channel_id: int
    message_id: int


def reflection_query() -> Select[Reflection, int, str, str, int | None]:
    """Reflections with their section and reading, each row read by `queried_reflection`."""
    return (
        select(
            Reflection,
            Section.position,
            Section.title.label("section_title"),
            Reading.title.label("reading_title"),
            SectionPost.thread_id,
        )
        .join(Section, Section.id == Reflection.section_id)
        .join(Reading, Reading.id == Section.reading_id)
        .outerjoin(
            SectionPost,
            and_(
                SectionPost.schedule_id == Reflection.schedule_id,
                SectionPost.section_id == Reflection.section_id,
            ),
        )
    )


def queried_reflection(row: Row[Reflection, int, str, str, int | None]) -> ReflectionInfo:
    """A row of `reflection_query`, read by its columns' names."""
    return reflection_info(
        row.Reflection,
        position=row.position,
        section_title=row.section_title,
        reading_title=row.reading_title,
        thread_id=row.thread_id,
    )


def reflection_info(
    row: Reflection, *, position: int, section_title: str, reading_title: str, thread_id: int | None
) -> ReflectionInfo:
    """The reflection `row` in its section (`position`, `section_title`) of a reading."""
    return ReflectionInfo(
        id=row.id,
        guild_id=row.guild_id,
        user_id=row.user_id,
        author_name=row.author_name,
        schedule_id=row.schedule_id,
        section_id=row.section_id,
        section_position=position,
        section_title=section_title,
        reading_title=reading_title,
        prompt_id=row.prompt_id,
        prompt_text=row.prompt_text,
        text=row.text,
        visibility=Visibility(row.visibility),
        thread_id=thread_id,
        channel_id=row.channel_id,
        message_id=row.message_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        revealed_at=row.revealed_at,
    )


def posted_ref(row: Reflection) -> PostedRef | None:
    """Where the reflection is posted, or None when it is not."""
    if row.channel_id is None or row.message_id is None:
        return None
    return PostedRef(row.channel_id, row.message_id)


async def own_row(
    session: AsyncSession, guild_id: int, user_id: int, reflection_id: int
) -> Reflection:
    """The user's own reflection in this guild; NotFound for anyone else's."""
    row = await session.scalar(
        select(Reflection).where(
            Reflection.id == reflection_id,
            Reflection.guild_id == guild_id,
            Reflection.user_id == user_id,
        )
    )
    if row is None:
        raise NotFound(f"You have no reflection #{reflection_id} in this server.")
    return row


async def one_reflection(
    session: AsyncSession, guild_id: int, reflection_id: int
) -> ReflectionInfo:
    """The reflection as its author sees it."""
    await session.flush()
    row = (
        await session.execute(
            reflection_query().where(
                Reflection.id == reflection_id, Reflection.guild_id == guild_id
            )
        )
    ).one()
    return queried_reflection(row)
