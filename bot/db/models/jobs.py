"""The durable job queue the scheduler runs."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, UTCDateTime, utcnow


class JobStatus(StrEnum):
    """Where a job stands (see `Job`); the values are stored."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


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
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.PENDING)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
