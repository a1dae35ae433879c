"""Discussion meetings of a circle (each a Discord Scheduled Event) and members' reminders."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, LocalTime, UTCDateTime, utcnow


class MeetingStatus(StrEnum):
    """A meeting: its event being created, scheduled in Discord, or cancelled; the values are
    stored."""

    CREATING = "creating"
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class MeetingPlan(Base):
    """When and where a schedule's circle meets about each post (see bot/scheduling/meetings)."""

    __tablename__ = "meeting_plans"

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), primary_key=True
    )
    rule_kind: Mapped[str] = mapped_column(String(8))  # "after" or "weekly"
    at_time: Mapped[time] = mapped_column(LocalTime)
    days_after: Mapped[int] = mapped_column(Integer, default=1)
    weekday: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=60)
    # A voice or stage channel of the server, or else a place or link outside Discord.
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    stage: Mapped[bool] = mapped_column(Boolean, default=False)
    place: Mapped[str | None] = mapped_column(String(100))
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Meeting(Base):
    """One meeting: the discussion of one post, and the Discord event that announces it.

    `status` (`MeetingStatus`) is creating from before the event is asked of Discord until its
    id is saved (a restart then looks for the event by its reference before creating it
    again), scheduled, or cancelled. `generation` counts the events made for it (one more after
    each cancel), so the reference tells a new event from a cancelled one.
    """

    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("schedule_id", "section_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10), default=MeetingStatus.CREATING)
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    # What the event last said, hashed: a change of any field means an update.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    post_linked: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderPrefs(Base):
    """What a member asked to be reminded of in one server, by DM. All off by default."""

    __tablename__ = "reminder_prefs"
    __table_args__ = (UniqueConstraint("guild_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    tz: Mapped[str | None] = mapped_column(String(64))
    quiet_start: Mapped[time | None] = mapped_column(LocalTime)
    quiet_end: Mapped[time | None] = mapped_column(LocalTime)
    on_post: Mapped[bool] = mapped_column(Boolean, default=False)
    before_meeting: Mapped[str] = mapped_column(String(40), default="")  # minutes: "1440,60"
    before_vote: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly_behind: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when a DM failed as closed: no more tries until the member turns reminders on again.
    dms_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dms_closed_told: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderSuggestion(Base):
    """The reminders a facilitator suggests to a circle's members; it opts nobody in."""

    __tablename__ = "reminder_suggestions"

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), primary_key=True
    )
    on_post: Mapped[bool] = mapped_column(Boolean, default=False)
    before_meeting: Mapped[str] = mapped_column(String(40), default="")
    before_vote: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly_behind: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CalendarSequence(Base):
    """How many times a schedule's dates changed: the SEQUENCE of its calendar's entries, so
    that importing a newer file updates the entries instead of adding them again."""

    __tablename__ = "calendar_sequences"

    schedule_id: Mapped[int] = mapped_column(
        ForeignKey("schedules.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int] = mapped_column(Integer, default=0)
