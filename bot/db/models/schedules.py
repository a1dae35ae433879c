"""Reading schedules, the sections they posted, their members and members' progress."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, LocalTime, UTCDateTime, utcnow


class ScheduleStatus(StrEnum):
    """Where a schedule stands; the values are stored."""

    ACTIVE = "active"
    PAUSED = "paused"
    FINISHED = "finished"
    DELETED = "deleted"


class MissedPolicy(StrEnum):
    """What a schedule posts for the dates it missed while the bot was down: all of them,
    only the latest, or none; the values are stored."""

    ALL = "all"
    LATEST = "latest"
    SKIP = "skip"


class PostStatus(StrEnum):
    """A section post: being posted, or posted (announcement and thread recorded)."""

    POSTING = "posting"
    POSTED = "posted"


class Schedule(Base):
    """A circle: one reading posted in one channel on a cadence, with its own role."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"), index=True)
    reading_id: Mapped[int] = mapped_column(ForeignKey("readings.id", ondelete="RESTRICT"))
    channel_id: Mapped[int] = mapped_column(BigInteger)
    forum: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence_kind: Mapped[str] = mapped_column(String(16))
    at_time: Mapped[time] = mapped_column(LocalTime)
    tz: Mapped[str] = mapped_column(String(64))
    anchor: Mapped[date] = mapped_column(Date)
    every_days: Mapped[int] = mapped_column(Integer, default=1)
    weekdays: Mapped[str] = mapped_column(String(20), default="")  # "0,3": Monday, Thursday
    sections_per_post: Mapped[int] = mapped_column(Integer, default=1)
    ping_role: Mapped[bool] = mapped_column(Boolean, default=False)
    role_id: Mapped[int | None] = mapped_column(BigInteger)
    missed_policy: Mapped[str] = mapped_column(String(8), default=MissedPolicy.ALL)
    status: Mapped[str] = mapped_column(String(12), default=ScheduleStatus.ACTIVE)
    next_position: Mapped[int] = mapped_column(Integer, default=1)
    next_post_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SectionPost(Base):
    """A section as posted by a schedule: its announcement and thread, once each."""

    __tablename__ = "section_posts"
    __table_args__ = (UniqueConstraint("schedule_id", "section_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=PostStatus.POSTING)
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
