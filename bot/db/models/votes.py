"""Discussion topics members propose, the votes that decide among them, and their ballots."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models.base import Base, UTCDateTime, utcnow
from bot.voting import MotionThreshold, VoteReminder


class TopicStatus(StrEnum):
    """A proposed topic: open for votes, chosen by one, or taken off the list (see `Topic`);
    the values are stored."""

    OPEN = "open"
    CHOSEN = "chosen"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"
    MERGED = "merged"


class VoteKind(StrEnum):
    """A vote among options, or a consensus motion; the values are stored."""

    OPTIONS = "options"
    MOTION = "motion"


class VoteStatus(StrEnum):
    """Open for ballots, being closed, or closed with its result; the values are stored."""

    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class Topic(Base):
    """Something a member proposes to discuss, attached to a circle's section or a channel.

    `status`: open, withdrawn (by its proposer), removed or merged (by a facilitator; a merged
    topic names the one it joined in `merged_into_id`), or chosen (it won a vote).
    """

    __tablename__ = "topics"
    __table_args__ = (Index("ix_topics_guild_id_status", "guild_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    channel_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(200))
    # None once the proposer asked to be forgotten.
    proposed_by: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12), default=TopicStatus.OPEN)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Vote(Base):
    """A vote on options (approval, single choice, ranked) or a consensus motion.

    `status` goes open → closing (tallied, the secret destroyed, the result about to be
    posted) → closed (the result message is `result_message_id`). `secret_key` exists only
    while a secret vote is open: ballots' voter keys are HMACs of member ids with it.
    """

    __tablename__ = "votes"
    __table_args__ = (
        Index("ix_votes_guild_id_status", "guild_id", "status"),
        Index("ix_votes_schedule_id_status", "schedule_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(ForeignKey("guilds.id", ondelete="CASCADE"))
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("schedules.id", ondelete="SET NULL"))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    channel_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))  # VoteKind
    method: Mapped[str] = mapped_column(String(12))  # bot.voting.VoteMethod
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The topic each option came from (None for options typed inline).
    topic_ids: Mapped[list[int | None]] = mapped_column(JSON, default=list)
    min_choices: Mapped[int] = mapped_column(Integer, default=1)
    max_choices: Mapped[int | None] = mapped_column(Integer)
    threshold: Mapped[str] = mapped_column(String(16), default=MotionThreshold.MAJORITY)
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    quorum_percent: Mapped[int | None] = mapped_column(Integer)
    secret: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    remind: Mapped[str] = mapped_column(String(8), default=VoteReminder.COUNT)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tiebreak_seed: Mapped[str] = mapped_column(String(32))
    tiebreak_order: Mapped[list[int]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default=VoteStatus.OPEN)
    secret_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Bumped by every ballot: serialises ballots against closing on both backends.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    opened_by: Mapped[int | None] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[int | None] = mapped_column(BigInteger)
    # Circle members when the vote closed (None: not attached to a circle).
    eligible: Mapped[int | None] = mapped_column(Integer)
    result_message_id: Mapped[int | None] = mapped_column(BigInteger)
    winner_text: Mapped[str | None] = mapped_column(Text)
    winner_topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("topics.id", ondelete="SET NULL")
    )
    passed: Mapped[bool | None] = mapped_column(Boolean)
    # When the winning topic was shown as the focus of a section post.
    focus_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Ballot(Base):
    """One member's ballot in one vote; changing it replaces the choice.

    `voter_key` is the member id for open ballots; for secret ones, an HMAC hex digest while
    the vote is open and a random one after the close.
    `choice` is a list of option indices (approval, ranked best first), one index (single
    choice) or a stance (motions). Secret ballots carry no timestamp.
    """

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("vote_id", "voter_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    voter_key: Mapped[str] = mapped_column(String(64))
    choice: Mapped[Any] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)


class VoteSettings(Base):
    """A guild's voting rules: whether a blocked motion falls back to a 3/4 supermajority."""

    __tablename__ = "vote_settings"

    guild_id: Mapped[int] = mapped_column(
        ForeignKey("guilds.id", ondelete="CASCADE"), primary_key=True
    )
    motion_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
