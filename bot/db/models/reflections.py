"""Members' reflections on sections, the digests that close sections, and members' settings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, UTCDateTime, utcnow


class Visibility(StrEnum):
    """Who may read a reflection (see `Reflection`); the values are stored."""

    PRIVATE = "private"
    AFTER_CLOSE = "after_close"
    NOW = "now"


class DigestStatus(StrEnum):
    """A digest: being posted, or posted; the values are stored."""

    POSTING = "posting"
    POSTED = "posted"


class Reflection(Base):
    """What a member wrote about a section, and who may read it.

    `visibility` is "private" (the author alone), "after_close" (revealed in the section's
    thread by its digest, then `revealed_at` is set) or "now" (posted in the thread at once).
    A shared reflection's message is `channel_id`/`message_id`: its own message, or one part
    of the digest that revealed it. `author_name` is the author's display name when they last
    wrote it, shown with shared reflections. `prompt_text` keeps the prompt as it read then.
    `post_started_at` is set, in the transaction that decides to post the reflection as its
    own message, until that message's id is recorded: after a crash in between, the message
    Discord may have made is looked for in the thread (by its footer) from that time on.
    """

    __tablename__ = "reflections"
    __table_args__ = (
        Index("ix_reflections_guild_id_user_id", "guild_id", "user_id"),
        Index("ix_reflections_schedule_id_section_id", "schedule_id", "section_id"),
        Index("ix_reflections_message_id", "message_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    author_name: Mapped[str] = mapped_column(String(100), default="")
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    prompt_id: Mapped[int | None] = mapped_column(ForeignKey("prompts.id", ondelete="SET NULL"))
    prompt_text: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(16))
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revealed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    post_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Digest(Base):
    """The digest that closed one section of one schedule: posted once.

    The row is written ("posting") before anything is sent, and marked "posted" with its
    message once Discord has it, so a restart in between finds it and does not post twice.
    """

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("schedule_id", "section_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"), index=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default=DigestStatus.POSTING)
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MemberSettings(Base):
    """A member's own choices in one guild (set with /settings)."""

    __tablename__ = "member_settings"

    guild_id: Mapped[int] = mapped_column(
        ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    default_visibility: Mapped[str] = mapped_column(String(16), default=Visibility.PRIVATE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
