"""A vote as it stands: its ballots read and tallied into a `VoteState`.

The live tally, closing, the export and the digests read a vote's ballots here, as plain
rows, and tally them by the vote's method (or by consensus for a motion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Ballot, Membership, Vote
from bot.services.votes._common import MOTION, OPEN
from bot.voting import (
    APPROVAL,
    SINGLE,
    QuorumRule,
    VoteResult,
    approval,
    consensus,
    ranked,
    single,
)
from bot.voting.results import BlockReason


class BallotRow(NamedTuple):
    """What a tally or an export reads of a ballot."""

    voter_key: str
    choice: Any
    reason: str | None


_BALLOT_ROWS = (
    select(Ballot.voter_key, Ballot.choice, Ballot.reason)
    .where(Ballot.vote_id == bindparam("vote"))
    .order_by(Ballot.id)
)
_ELIGIBLE = (
    select(func.count())
    .select_from(Membership)
    .where(Membership.schedule_id == bindparam("schedule"))
)


async def ballot_rows(session: AsyncSession, vote_id: int) -> list[BallotRow]:
    """Every ballot of the vote, as plain rows."""
    # Rows, not ORM objects: the live tally reads every ballot of a vote while a whole server
    # is voting, and ORM objects made that ~5x the work (bench/RESULTS.md).
    return [BallotRow(*row) for row in await session.execute(_BALLOT_ROWS, {"vote": vote_id})]


async def eligible_count(session: AsyncSession, vote: Vote) -> int | None:
    """How many members may vote: the circle's size, or None for a vote outside a circle."""
    if vote.schedule_id is None:
        return None
    count = await session.scalar(_ELIGIBLE, {"schedule": vote.schedule_id})
    return int(count or 0)


def _reason(vote: Vote, ballot: BallotRow) -> BlockReason | None:
    if not ballot.reason:
        return None
    if not vote.secret and ballot.voter_key.isdigit():
        return BlockReason(ballot.reason, int(ballot.voter_key))
    return BlockReason(ballot.reason)


def tally(vote: Vote, ballots: Sequence[BallotRow], eligible: int | None) -> VoteResult:
    """The vote's result over `ballots`, with its quorum counted against `eligible`."""
    rule = QuorumRule(vote.quorum_percent, eligible)
    if vote.kind == MOTION:
        return consensus.tally(
            [(b.choice, _reason(vote, b)) for b in ballots],
            threshold=consensus.THRESHOLDS[vote.threshold],
            fallback=vote.fallback,
            quorum=rule,
        )
    labels = tuple(vote.options)
    order = tuple(vote.tiebreak_order)
    if vote.method == APPROVAL:
        return approval.tally(labels, [b.choice for b in ballots], quorum=rule, tiebreak=order)
    if vote.method == SINGLE:
        return single.tally(labels, [b.choice for b in ballots], quorum=rule, tiebreak=order)
    return ranked.tally(labels, [b.choice for b in ballots], quorum=rule, tiebreak=order)


@dataclass(frozen=True)
class VoteState:
    """A vote as the Discord side shows it. `result` is the live tally (None while results
    are hidden) or, once closing or closed, the final result."""

    id: int
    guild_id: int
    kind: str
    method: str
    question: str
    options: tuple[str, ...]
    topic_ids: tuple[int | None, ...]
    min_choices: int
    max_choices: int
    threshold: str
    fallback: bool
    closes_at: datetime
    quorum_percent: int | None
    secret: bool
    hidden: bool
    remind: str
    tiebreak_seed: str
    tiebreak_order: tuple[int, ...]
    status: str
    opened_by: int | None
    channel_id: int
    message_id: int | None
    schedule_id: int | None
    section_id: int | None
    eligible: int | None
    ballots: int
    result: VoteResult | None
    closed_at: datetime | None
    closed_by: int | None
    result_message_id: int | None
    winner_text: str | None

    @property
    def is_motion(self) -> bool:
        return self.kind == MOTION

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def quorum_required(self) -> int | None:
        return QuorumRule(self.quorum_percent, self.eligible).required

    @property
    def from_topics(self) -> bool:
        return any(t is not None for t in self.topic_ids)


async def load_vote_state(session: AsyncSession, vote: Vote) -> VoteState:
    """The vote as members see it, tallied (the result is None while results are hidden). A
    ballot's receipt is built from its batch instead (`state_of`): tallying every ballot for
    every click made a burst of N clicks cost N² (see bench/RESULTS.md)."""
    ballots = await ballot_rows(session, vote.id)
    eligible = await eligible_count(session, vote) if vote.status == OPEN else vote.eligible
    visible = vote.status != OPEN or not vote.hidden
    result = tally(vote, ballots, eligible) if visible else None
    return state_of(vote, ballots=len(ballots), eligible=eligible, result=result)


def state_of(
    vote: Vote, *, ballots: int, eligible: int | None, result: VoteResult | None
) -> VoteState:
    """The view of `vote` with its counts and result, as found by the caller."""
    return VoteState(
        id=vote.id,
        guild_id=vote.guild_id,
        kind=vote.kind,
        method=vote.method,
        question=vote.question,
        options=tuple(vote.options),
        topic_ids=tuple(vote.topic_ids),
        min_choices=vote.min_choices,
        max_choices=vote.max_choices or len(vote.options),
        threshold=vote.threshold,
        fallback=vote.fallback,
        closes_at=vote.closes_at,
        quorum_percent=vote.quorum_percent,
        secret=vote.secret,
        hidden=vote.hidden,
        remind=vote.remind,
        tiebreak_seed=vote.tiebreak_seed,
        tiebreak_order=tuple(vote.tiebreak_order),
        status=vote.status,
        opened_by=vote.opened_by,
        channel_id=vote.channel_id,
        message_id=vote.message_id,
        schedule_id=vote.schedule_id,
        section_id=vote.section_id,
        eligible=eligible,
        ballots=ballots,
        result=result,
        closed_at=vote.closed_at,
        closed_by=vote.closed_by,
        result_message_id=vote.result_message_id,
        winner_text=vote.winner_text,
    )
