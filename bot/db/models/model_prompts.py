"""Prompts written by a language model: each guild's switch and daily use, the answers kept
so that no section is paid for twice, and where each section's model prompts stand."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, UTCDateTime, utcnow


class ModelPromptState(StrEnum):
    """Where a section's model prompts stand (see `SectionModelPrompts`); the values are stored."""

    WAITING = "waiting"
    WRITING = "writing"
    WRITTEN = "written"
    ENGINE = "engine"


class ModelPromptSettings(Base):
    """Whether a guild's prompts are written by the configured model (on unless turned off)."""

    __tablename__ = "model_prompt_settings"

    guild_id: Mapped[int] = mapped_column(
        ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class ModelPromptUsage(Base):
    """How many requests a guild sent to the model on one UTC day."""

    __tablename__ = "model_prompt_usage"

    guild_id: Mapped[int] = mapped_column(
        ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    requests: Mapped[int] = mapped_column(Integer, default=0)


class ModelPromptAnswer(Base):
    """A model's answer for a section's text, keyed by the text's hash, the model and the
    request's version: the same section asked again (a restart, a regenerate, another
    guild's copy of a bundled reading) is answered from here."""

    __tablename__ = "model_prompt_answers"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SectionModelPrompts(Base):
    """Where a section's model-written prompts stand: `waiting` for the model (claimed as
    `writing` until `lease_until`), `written`, or `engine` (the model could not: `note` says
    why, for `/prompts show`)."""

    __tablename__ = "section_model_prompts"
    __table_args__ = (Index("ix_section_model_prompts_guild_id_state", "guild_id", "state"),)

    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True
    )
    guild_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(16))  # ModelPromptState
    note: Mapped[str | None] = mapped_column(String(300))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
