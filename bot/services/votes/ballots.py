"""A vote's ballots: who may vote, casting and changing a ballot, secret voter keys, and the
vote as its ballots stand (`VoteState`).

A secret ballot's voter key is HMAC-SHA256(member id) under a random per-vote key kept on the
vote while it is open, so one member has one ballot and can change it; closing destroys the
key (see `closing`).

Ballots cast while others are being written are written together, one transaction a batch
(`bot.db.engine.Coalescer`): when a whole server votes at once, the vote's row is written
once per batch instead of once per ballot, one after the other.

The vote's message, closing, the export and the digests read a vote's ballots here too, as
plain rows, and tally them by the vote's method (or by consensus for a motion).
"""

from __future__ import annotations

import hashlib
import hmac
import typing
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Coalescer, Database
from bot.db.models import Ballot, Membership, Vote
from bot.db.models.votes import VoteKind, VoteStatus
from bot.errors import MOMENT, UserError
from bot.reading.text import has_visible_text
from bot.scheduling.clock import Clock
from bot.services.votes._common import guild_vote
from bot.voting import (
    METHODS,
    BallotError,
    MotionThreshold,
    QuorumRule,
    VoteMethod,
    VoteReminder,
    VoteResult,
    VoteRules,
)
from bot.voting.results import BlockReason

# A mapped class's `__table__` is typed as any FromClause; these are Tables, which INSERT and
# UPDATE take.
_vote_table = typing.cast(Table, Vote.__table__)
_ballot_table = typing.cast(Table, Ballot.__table__)
_membership_table = typing.cast(Table, Membership.__table__)

# A batch's statements, built once (a burst runs them for every hundred ballots). Writing to
# the vote first serialises the batch with the closing: SQLite takes its write lock here,
# PostgreSQL locks the row. The same statement returns the vote and its counts.
_CLAIM = (
    update(Vote)
    .where(
        Vote.id == bindparam("vote"),
        Vote.guild_id == bindparam("guild"),
        Vote.status == VoteStatus.OPEN,
        Vote.closes_at > bindparam("now"),
    )
    .values(revision=Vote.revision + 1)
    .returning(
        Vote,
        select(func.count())
        .select_from(_ballot_table)
        .where(_ballot_table.c.vote_id == _vote_table.c.id)
        .scalar_subquery(),
        select(func.count())
        .select_from(_membership_table)
        .where(_membership_table.c.schedule_id == _vote_table.c.schedule_id)
        .scalar_subquery(),
    )
    .execution_options(synchronize_session=False)
)
_MEMBERS = select(_membership_table.c.user_id).where(
    _membership_table.c.schedule_id == bindparam("schedule"),
    _membership_table.c.user_id.in_(bindparam("users", expanding=True)),
)
_EXISTING = select(_ballot_table.c.voter_key, _ballot_table.c.id).where(
    _ballot_table.c.vote_id == bindparam("vote"),
    _ballot_table.c.voter_key.in_(bindparam("keys", expanding=True)),
)
# Plain rows rather than ORM objects: on SQLite the ORM inserts one row a statement (it wants
# each new id back in order), which made a burst of ballots cost a round trip each.
_INSERT = insert(_ballot_table)
_CHANGE = update(_ballot_table).where(_ballot_table.c.id == bindparam("ballot"))
# A vote's ballots and its circle's size, read for its tally.
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


# -- the vote as its ballots stand --------------------------------------------------------


class BallotRow(NamedTuple):
    """What a tally or an export reads of a ballot."""

    voter_key: str
    choice: Any
    reason: str | None


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


def _reason(vote: Vote, ballot: BallotRow, text: str) -> BlockReason:
    """The reason a ballot gives, naming its voter only where ballots are open."""
    if not vote.secret and ballot.voter_key.isdigit():
        return BlockReason(text, int(ballot.voter_key))
    return BlockReason(text)


def rules_of(vote: Vote, eligible: int | None = None) -> VoteRules:
    """What the vote's method reads of it, its quorum counted against `eligible`."""
    return VoteRules(
        labels=tuple(vote.options),
        min_choices=vote.min_choices,
        max_choices=vote.max_choices,
        threshold=MotionThreshold(vote.threshold),
        fallback=vote.fallback,
        quorum=QuorumRule(vote.quorum_percent, eligible),
        tiebreak=tuple(vote.tiebreak_order),
    )


def tally(vote: Vote, ballots: Sequence[BallotRow], eligible: int | None) -> VoteResult:
    """The vote's result over `ballots`, with its quorum counted against `eligible`."""

    def reasons() -> dict[int, BlockReason]:
        # Asked for by a motion only: the live tally of a large vote pays nothing for them.
        return {i: _reason(vote, b, b.reason) for i, b in enumerate(ballots) if b.reason}

    choices = [b.choice for b in ballots]
    return METHODS[VoteMethod(vote.method)].count(rules_of(vote, eligible), choices, reasons)


@dataclass(frozen=True)
class VoteState:
    """A vote as the Discord side shows it. `result` is the live tally (None while results
    are hidden) or, once closing or closed, the final result."""

    id: int
    guild_id: int
    kind: VoteKind
    method: VoteMethod
    question: str
    options: tuple[str, ...]
    topic_ids: tuple[int | None, ...]
    min_choices: int
    max_choices: int
    threshold: MotionThreshold
    fallback: bool
    closes_at: datetime
    quorum_percent: int | None
    secret: bool
    hidden: bool
    remind: VoteReminder
    tiebreak_seed: str
    tiebreak_order: tuple[int, ...]
    status: VoteStatus
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
        return self.kind == VoteKind.MOTION

    @property
    def is_open(self) -> bool:
        return self.status == VoteStatus.OPEN

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
    eligible = (
        await eligible_count(session, vote) if vote.status == VoteStatus.OPEN else vote.eligible
    )
    visible = vote.status != VoteStatus.OPEN or not vote.hidden
    result = tally(vote, ballots, eligible) if visible else None
    return state_of(vote, ballots=len(ballots), eligible=eligible, result=result)


def state_of(
    vote: Vote, *, ballots: int, eligible: int | None, result: VoteResult | None
) -> VoteState:
    """The state of `vote` with its counts and result, as found by the caller."""
    return VoteState(
        id=vote.id,
        guild_id=vote.guild_id,
        # The model stores plain strings; the state names them by their enums.
        kind=VoteKind(vote.kind),
        method=VoteMethod(vote.method),
        question=vote.question,
        options=tuple(vote.options),
        topic_ids=tuple(vote.topic_ids),
        min_choices=vote.min_choices,
        max_choices=vote.max_choices or len(vote.options),
        threshold=MotionThreshold(vote.threshold),
        fallback=vote.fallback,
        closes_at=vote.closes_at,
        quorum_percent=vote.quorum_percent,
        secret=vote.secret,
        hidden=vote.hidden,
        remind=VoteReminder(vote.remind),
        tiebreak_seed=vote.tiebreak_seed,
        tiebreak_order=tuple(vote.tiebreak_order),
        status=VoteStatus(vote.status),
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


# -- casting ------------------------------------------------------------------------------


def voter_key(vote: Vote, user_id: int) -> str:
    """The ballot key of `user_id` in `vote`: the id itself, or its HMAC while secret."""
    if not vote.secret:
        return str(user_id)
    if vote.secret_key is None:
        raise UserError(f"Vote #{vote.id} is closed.")
    return hmac.new(vote.secret_key, str(user_id).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class BallotReceipt:
    vote: VoteState
    choice: Any
    reason: str | None
    changed: bool


@dataclass(frozen=True)
class _Cast:
    guild_id: int
    vote_id: int
    user_id: int
    choice: Any
    reason: str | None


def _closed(vote: Vote) -> UserError:
    what = "motion" if vote.kind == VoteKind.MOTION else "vote"
    return UserError(
        f"This {what} (#{vote.id}) closed {MOMENT}: your ballot was not counted.",
        moment=vote.closed_at or vote.closes_at,
    )


def _check_open(vote: Vote, now: datetime) -> None:
    """Refuse a ballot once the vote is closing or past its closing time: `_CLAIM`'s rule,
    checked again here to say why a ballot was refused."""
    if vote.status != VoteStatus.OPEN or vote.closes_at <= now:
        raise _closed(vote)


async def _voters(session: AsyncSession, vote: Vote, users: set[int]) -> set[int]:
    """Those of `users` who may vote: the circle's members, or anyone without a circle."""
    if vote.schedule_id is None:
        return users
    return set(await session.scalars(_MEMBERS, {"schedule": vote.schedule_id, "users": users}))


def _not_a_member(vote: Vote) -> UserError:
    return UserError(
        f"Only members of the circle of schedule #{vote.schedule_id} can vote. "
        "Join the circle with `/join` first, then vote again."
    )


class Ballots:
    """Starting, checking and casting a member's ballot."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        # Ballots cast while a batch is being written go in the next batch, together.
        self._casts = Coalescer(self._cast_together)

    async def start_ballot(
        self, guild_id: int, vote_id: int, user_id: int
    ) -> tuple[VoteState, Any | None]:
        """The vote and the member's current choice (theirs alone to see), checking first
        that they may vote in it."""
        async with self.db.read() as session:
            vote = await guild_vote(session, guild_id, vote_id)
            await self._check_voter(session, vote, user_id)
            choice = await session.scalar(
                select(Ballot.choice).where(
                    Ballot.vote_id == vote.id, Ballot.voter_key == voter_key(vote, user_id)
                )
            )
            return await load_vote_state(session, vote), choice

    async def open_state(self, guild_id: int, vote_id: int) -> VoteState:
        """The vote as it stands while a member makes their ballot; refused (UserError) once
        it closed, as a ballot cast then would be."""
        async with self.db.read() as session:
            vote = await guild_vote(session, guild_id, vote_id)
            _check_open(vote, self.clock.now())
            return await load_vote_state(session, vote)

    async def standing(self, vote_id: int) -> VoteState | None:
        """The vote as its ballots stand (None if it is gone): what its message shows."""
        async with self.db.read() as session:
            vote = await session.get(Vote, vote_id, populate_existing=True)
            return None if vote is None else await load_vote_state(session, vote)

    async def _check_voter(self, session: AsyncSession, vote: Vote, user_id: int) -> None:
        _check_open(vote, self.clock.now())
        if user_id not in await _voters(session, vote, {user_id}):
            raise _not_a_member(vote)

    async def cast(
        self,
        guild_id: int,
        vote_id: int,
        user_id: int,
        choice: Any,
        reason: str | None = None,
    ) -> BallotReceipt:
        """Record the member's ballot, replacing an earlier one: the latest counts."""
        return await self._casts.submit(_Cast(guild_id, vote_id, user_id, choice, reason))

    async def _cast_together(self, casts: list[_Cast]) -> list[BallotReceipt | Exception]:
        """Write a batch of ballots in one transaction; each gets its receipt or its error."""
        now = self.clock.now()
        results: dict[int, BallotReceipt | Exception] = {}
        by_vote: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
        for index, cast in enumerate(casts):
            by_vote[cast.guild_id, cast.vote_id].append(index)
        async with self.db.session() as session:
            for (guild_id, vote_id), indices in by_vote.items():
                try:
                    await self._cast_into(session, guild_id, vote_id, casts, indices, now, results)
                except UserError as exc:  # about the vote itself: unknown or closed
                    for index in indices:
                        results.setdefault(index, exc)
        return [results[index] for index in range(len(casts))]

    async def _cast_into(
        self,
        session: AsyncSession,
        guild_id: int,
        vote_id: int,
        casts: list[_Cast],
        indices: list[int],
        now: datetime,
        results: dict[int, BallotReceipt | Exception],
    ) -> None:
        claimed = (
            await session.execute(_CLAIM, {"vote": vote_id, "guild": guild_id, "now": now})
        ).one_or_none()
        if claimed is None:
            vote = await guild_vote(session, guild_id, vote_id)
            _check_open(vote, now)
            raise UserError(f"Vote #{vote.id} is not taking ballots.")
        vote, ballots_before, eligible = claimed
        users = {casts[index].user_id for index in indices}
        members = await _voters(session, vote, users)
        keys = {user: voter_key(vote, user) for user in users}
        found = await session.execute(_EXISTING, {"vote": vote.id, "keys": set(keys.values())})
        existing: dict[str, int] = {key: ballot_id for key, ballot_id in found}
        new: dict[str, dict[str, Any]] = {}
        changed: dict[int, dict[str, Any]] = {}
        accepted: list[tuple[int, Any, str | None, bool]] = []
        rules = rules_of(vote)
        for index in indices:
            cast = casts[index]
            if cast.user_id not in members:
                results[index] = _not_a_member(vote)
                continue
            try:
                choice, reason = _validated(vote, rules, cast.choice, cast.reason)
            except UserError as exc:
                results[index] = exc
                continue
            key = keys[cast.user_id]
            ballot_id = existing.get(key)
            row = {"choice": choice, "reason": reason}
            # A member who clicks twice in one batch changed their mind: the later click counts.
            was_cast = ballot_id is not None or key in new
            if ballot_id is None:
                new[key] = {"vote_id": vote.id, "voter_key": key, **row}
            else:
                changed[ballot_id] = {"ballot": ballot_id, **row}
            accepted.append((index, choice, reason, was_cast))
        if new:
            await session.execute(_INSERT, list(new.values()))
        if changed:
            await session.execute(_CHANGE, list(changed.values()))
        # The vote's row is held until commit, so no other batch wrote ballots in between.
        state = state_of(
            vote,
            ballots=ballots_before + len(new),
            eligible=eligible if vote.schedule_id is not None else None,
            result=None,
        )
        for index, choice, reason, was_cast in accepted:
            results[index] = BallotReceipt(state, choice, reason, was_cast)


def _validated(
    vote: Vote, rules: VoteRules, choice: Any, reason: str | None
) -> tuple[Any, str | None]:
    """The ballot as stored, once the rules of the vote's method accept it."""
    # A reason with nothing visible in it (zero-width spaces, say) is no reason.
    visible = reason if reason is not None and has_visible_text(reason) else None
    method = METHODS[VoteMethod(vote.method)]
    try:
        return method.check_ballot(rules, choice, visible)
    except BallotError as exc:
        raise UserError(str(exc)) from None
    except (TypeError, ValueError):
        raise UserError("That ballot does not fit this vote.") from None
