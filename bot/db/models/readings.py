"""Guilds, their readings, the readings' sections and the sections' prompts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.models.base import Base, UTCDateTime, utcnow


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
    # argument, story, drama, verse or dialogue: detected at import or set by a facilitator.
    # None for readings stored before kinds were kept; their kind is read from the sections.
    kind: Mapped[str | None] = mapped_column(String(16), nullable=True, default=None)
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
    # Written by the configured language model (and checked), not by the engine's templates.
    by_model: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    edited: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
