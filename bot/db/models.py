"""Typed ORM models. Each later feature adds its tables here, with a migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names make migrations reproducible on SQLite's batch mode and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(AsyncAttrs, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Guild(Base):
    """A Discord server the bot has seen."""

    __tablename__ = "guilds"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(100), default="")
    # Members with this role may run facilitator commands (besides Manage Server).
    facilitator_role_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reading(Base):
    """A text a circle reads. Each guild has its own copy of the bundled readings, so a
    facilitator's edits to their prompts stay in that guild."""

    __tablename__ = "readings"
    __table_args__ = (UniqueConstraint("guild_id", "content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"), index=True)
    bundled: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(16), default="en")
    source_name: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sections: Mapped[list[Section]] = relationship(
        back_populates="reading",
        order_by="Section.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class Section(Base):
    """One reading section, posted as a unit. `headings` holds every heading it contains."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("reading_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("readings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    headings: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)

    reading: Mapped[Reading] = relationship(back_populates="sections")
    prompts: Mapped[list[Prompt]] = relationship(
        order_by="Prompt.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def heading_list(self) -> list[str]:
        return [h for h in self.headings.split("\n") if h]


class Prompt(Base):
    """A discussion prompt of a section: generated at import, or written by a facilitator.

    A generated prompt a facilitator edits is `edited`; one they remove is kept `hidden`, so
    that regenerating neither overwrites the edit nor brings the removed prompt back.
    """

    __tablename__ = "prompts"
    __table_args__ = (Index("ix_prompts_section_id_position", "section_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    paragraph: Mapped[int | None] = mapped_column(Integer)
    key_phrase: Mapped[str | None] = mapped_column(String(200))
    template: Mapped[str] = mapped_column(String(80), default="")
    move: Mapped[str] = mapped_column(String(32), default="")
    generated_text: Mapped[str | None] = mapped_column(Text)
    by_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BotState(Base):
    """Small facts the bot keeps between runs, by key (e.g. the hash of the synced commands)."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Job(Base):
    """A unit of work due at a moment, run once by the scheduler (bot/scheduler.py).

    `status` goes pending → running → done, or back to pending with a later `due_at` after a
    failure, or failed when the attempts run out. A running job whose `lease_until` has passed
    was abandoned by a process that died, and may be claimed again. `dedupe_key` makes
    enqueueing idempotent: a key that exists is not added twice.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set for jobs that belong to a guild, so each shard process loads only its own guilds'.
    guild_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Schedule(Base):
    """A circle: one reading posted in one channel on a cadence, with its own role."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"), index=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("readings.id", ondelete="RESTRICT"))
    channel_id: Mapped[int] = mapped_column(BigInteger)
    forum: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence_kind: Mapped[str] = mapped_column(String(16))
    at_time: Mapped[str] = mapped_column(String(5))  # local "HH:MM"
    tz: Mapped[str] = mapped_column(String(64))
    anchor: Mapped[date] = mapped_column(Date)
    every_days: Mapped[int] = mapped_column(Integer, default=1)
    weekdays: Mapped[str] = mapped_column(String(20), default="")  # "0,3": Monday, Thursday
    sections_per_post: Mapped[int] = mapped_column(Integer, default=1)
    ping_role: Mapped[bool] = mapped_column(Boolean, default=False)
    role_id: Mapped[int | None] = mapped_column(BigInteger)
    missed_policy: Mapped[str] = mapped_column(String(8), default="all")
    status: Mapped[str] = mapped_column(String(12), default="active")
    next_position: Mapped[int] = mapped_column(Integer, default=1)
    next_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SectionPost(Base):
    """A section as posted by a schedule: its announcement and thread, once each."""

    __tablename__ = "section_posts"
    __table_args__ = (UniqueConstraint("schedule_id", "section_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="posting")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class Membership(Base):
    """A member who joined a schedule's circle."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("schedule_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Progress(Base):
    """A member marked a section read."""

    __tablename__ = "progress"
    __table_args__ = (UniqueConstraint("user_id", "section_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
