"""Closing a vote once, and reminding those who have not voted.

`close` does it, for `/vote close` (`close_by_hand`, which first checks who asks, and tells
them when the vote is closed already) or from the closing job (`CLOSE_JOB`, which passes over a
vote closed already in silence): `begin_close` moves the vote to "closing" (tallied, key
destroyed) in one transaction; the announcer (the Discord side, a `VoteAnnouncer`) posts the
result with a nonce derived from the vote, then `finish_close` marks it closed. A retry finds
"closing" and posts with the same nonce. The reminder job (`REMIND_JOB`) has the announcer post
the count of those who have not voted.

A secret vote's closing destroys its key and rewrites the ballots in a random order under
fresh random keys, so that nothing in the database links a ballot to a member any more, and a
copy taken while the vote was open cannot be joined to the closed ballots by their keys. On
SQLite, freed space is zeroed (`secure_delete`, see `bot.db.engine`) and the write-ahead log,
which still holds old pages with the key, is emptied. Another program reading the file in a
transaction (a backup, a shell) keeps the log from being emptied: a job (`WAL_JOB`) tries again
with growing delays, across restarts, until it is done.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database, rows_matched
from bot.db.models import Ballot, Topic, Vote
from bot.db.models.votes import TopicStatus, VoteKind, VoteStatus
from bot.errors import UserError
from bot.locks import KeyedLocks
from bot.scheduler import JobContext, Scheduler
from bot.scheduling.clock import Clock
from bot.scheduling.retry import backoff
from bot.services.votes._common import (
    WAL_JOB,
    circle_members,
    close_key,
    guild_vote,
    remind_key,
    wal_key,
)
from bot.services.votes.ballots import (
    VoteState,
    ballot_rows,
    eligible_count,
    load_vote_state,
    tally,
    voter_key,
)
from bot.voting import VoteReminder, VoteResult

log = logging.getLogger(__name__)

# A vote closed by hand keeps its closing job as a safety net, due this long after.
CLOSE_SAFETY_NET = timedelta(minutes=2)
# Emptying the write-ahead log after a secret vote, while another program reads: first retry,
# then twice as long each time, up to the cap.
WAL_RETRY_FIRST = timedelta(seconds=15)
WAL_RETRY_CAP = timedelta(minutes=10)


def wal_retry_delay(attempt: int) -> timedelta:
    """How long before try number `attempt` (1-based) after the close's own try failed."""
    return backoff(attempt, first=WAL_RETRY_FIRST, cap=WAL_RETRY_CAP)


def result_nonce(vote_id: int) -> str:
    """The result message's nonce: stable per vote, at most 25 characters."""
    return f"vr{vote_id}"[:25]


def reminder_nonce(vote_id: int) -> str:
    return f"vm{vote_id}"[:25]


def _already(vote_id: int, status: str) -> UserError:
    """A vote that is no longer open, for a member who asked to close it."""
    return UserError(f"Vote #{vote_id} is already {status}.")


@dataclass(frozen=True)
class Announcement:
    """A vote to announce: its final result, and whether an earlier attempt began it."""

    vote: VoteState
    recovering: bool


@dataclass(frozen=True)
class Reminder:
    vote: VoteState
    not_voted: int | None  # None: the vote has no circle to count
    ping: tuple[int, ...]  # members to ping (open ballots that asked for pings)


class VoteAnnouncer(Protocol):
    """The Discord side of closing and reminding."""

    async def post_result(self, closing: Announcement) -> int:
        """Stop the vote's live tally and post its result with `result_nonce`; when
        `closing.recovering`, first look for the result an earlier attempt posted. Returns the
        result message's id."""
        ...

    async def show_closed(self, vote: VoteState, result_message_id: int) -> None:
        """Take the ballot off the vote's message and point it to the result."""
        ...

    async def remind(self, reminder: Reminder) -> None:
        """Post the reminder in the vote's channel with `reminder_nonce`."""
        ...


class Closing:
    """Closing votes (by hand or when due) and reminding non-voters."""

    def __init__(self, db: Database, *, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock
        # The Discord side, attached by the votes extension.
        self.announcer: VoteAnnouncer | None = None
        # `/vote close` and the closing job of one vote never post its result side by side.
        self._locks: KeyedLocks[int] = KeyedLocks()

    def _announcer(self) -> VoteAnnouncer:
        if self.announcer is None:
            raise RuntimeError("votes have no Discord side yet")
        return self.announcer

    async def can_close(
        self, guild_id: int, vote_id: int, user_id: int, *, facilitator: bool
    ) -> VoteState:
        """The open vote `user_id` may close (its opener, or a facilitator); a `UserError`
        says why not. Nothing changes: `begin_close` closes it."""
        async with self.db.read() as session:
            vote = await guild_vote(session, guild_id, vote_id)
            if vote.status != VoteStatus.OPEN:
                raise _already(vote_id, vote.status)
            if not facilitator and vote.opened_by != user_id:
                raise UserError(
                    "Only the member who opened a vote, or a facilitator, can close it."
                )
            return await load_vote_state(session, vote)

    async def close_by_hand(
        self, guild_id: int, vote_id: int, user_id: int, *, facilitator: bool
    ) -> VoteState:
        """`/vote close`: `user_id` closes the vote now, if `can_close` lets them. A
        `UserError` says why not, as when the closing job closed it between the check and the
        close (the job, calling `close`, passes over a vote closed by hand in silence)."""
        await self.can_close(guild_id, vote_id, user_id, facilitator=facilitator)
        closed = await self.close(vote_id, closed_by=user_id)
        if closed is None:
            raise _already(vote_id, VoteStatus.CLOSED)
        return closed

    async def close(self, vote_id: int, *, closed_by: int | None = None) -> VoteState | None:
        """Close once: tally, post the result (same nonce on a retry), mark it closed, then
        show the vote's message closed. Returns the closed vote, with its result message; None
        when it was closed already."""
        async with self._locks[vote_id]:
            closing = await self.begin_close(vote_id, closed_by=closed_by)
            if closing is None:
                return None
            announcer = self._announcer()
            message_id = await announcer.post_result(closing)
            await self.finish_close(vote_id, message_id)
        closed = dataclasses.replace(
            closing.vote, status=VoteStatus.CLOSED, result_message_id=message_id
        )
        await announcer.show_closed(closed, message_id)
        return closed

    async def handle_close(self, job: JobContext) -> None:
        """The closing job, due when the vote closes (or a safety net after `/vote close`)."""
        await self.close(int(job.payload["vote_id"]))

    async def give_up_close(self, job: JobContext, error: BaseException) -> None:
        """The result could not be posted after every attempt: close the vote anyway."""
        vote_id = int(job.payload["vote_id"])
        # The lock of `close`: a /vote close posting the result meanwhile records its message.
        async with self._locks[vote_id]:
            if await self.begin_close(vote_id) is None:
                return
            log.error("Could not post the result of vote %s: it is closed without one", vote_id)
            await self.finish_close(vote_id, None)

    async def begin_close(
        self, vote_id: int, *, closed_by: int | None = None
    ) -> Announcement | None:
        """Tally the vote and move it to "closing" (once); None when it is closed already.

        When an earlier attempt got as far as "closing", the same result comes back with
        `recovering` set, for the Discord side to post it with the same nonce.
        """
        now = self.clock.now()
        scrub = False
        async with self.db.session() as session:
            claimed = await session.execute(
                update(Vote)
                .where(Vote.id == vote_id, Vote.status == VoteStatus.OPEN)
                .values(
                    status=VoteStatus.CLOSING,
                    closed_at=now,
                    closed_by=closed_by,
                    revision=Vote.revision + 1,
                )
                .execution_options(synchronize_session=False)
            )
            vote = await session.get(Vote, vote_id, populate_existing=True)
            if vote is None or vote.status == VoteStatus.CLOSED:
                return None
            if rows_matched(claimed):
                vote.eligible = await eligible_count(session, vote)
                result = tally(vote, await ballot_rows(session, vote.id), vote.eligible)
                await self._record_outcome(session, vote, result)
                if closed_by is not None:
                    await self.scheduler.reschedule(
                        now + CLOSE_SAFETY_NET, dedupe_key=close_key(vote.id), session=session
                    )
                await self.scheduler.cancel(dedupe_key=remind_key(vote.id), session=session)
                if vote.secret:
                    vote.secret_key = None
                    await self._rekey_ballots(session, vote.id)
                    scrub = self.db.is_sqlite
                if scrub:
                    # Committed with the close, so a restart still empties the log.
                    await self.scheduler.enqueue(
                        WAL_JOB,
                        {"vote_id": vote.id, "attempt": 1},
                        now + wal_retry_delay(1),
                        dedupe_key=wal_key(vote.id, 1),
                        session=session,
                    )
            state = await load_vote_state(session, vote)
            recovering = not rows_matched(claimed)
        if scrub and await self.db.truncate_wal():
            await self.scheduler.cancel(dedupe_key=wal_key(vote_id, 1))
        return Announcement(state, recovering)

    async def empty_wal(self, job: JobContext) -> None:
        """The job that empties SQLite's write-ahead log after a secret vote's close, and
        schedules itself again while another program's read transaction prevents it."""
        if await self.db.truncate_wal():
            return
        vote_id, attempt = int(job.payload["vote_id"]), int(job.payload["attempt"])
        retry_at = self.clock.now() + wal_retry_delay(attempt + 1)
        log.warning(
            "The write-ahead log still holds old pages of secret vote %s: another connection "
            "is reading the database in a transaction. Trying again at %s",
            vote_id,
            retry_at.isoformat(),
        )
        await self.scheduler.enqueue(
            WAL_JOB,
            {"vote_id": vote_id, "attempt": attempt + 1},
            retry_at,
            dedupe_key=wal_key(vote_id, attempt + 1),
        )

    async def _record_outcome(self, session: AsyncSession, vote: Vote, result: VoteResult) -> None:
        if vote.kind == VoteKind.MOTION:
            vote.passed = bool(result.passed)
            return
        if result.winner is None:
            return
        vote.winner_text = vote.options[result.winner]
        topic_id = vote.topic_ids[result.winner] if result.winner < len(vote.topic_ids) else None
        if topic_id is not None:
            vote.winner_topic_id = topic_id
            topic = await session.get(Topic, topic_id)
            if topic is not None and topic.status == TopicStatus.OPEN:
                topic.status = TopicStatus.CHOSEN

    async def _rekey_ballots(self, session: AsyncSession, vote_id: int) -> None:
        """Rewrite a secret vote's ballots in a random order under fresh random keys: row
        order tells nothing, and the keys match none a copy of the open vote holds."""
        rows = [
            (secrets.token_hex(32), choice, reason)
            for choice, reason in await session.execute(
                select(Ballot.choice, Ballot.reason).where(Ballot.vote_id == vote_id)
            )
        ]
        random.SystemRandom().shuffle(rows)
        await session.execute(
            delete(Ballot)
            .where(Ballot.vote_id == vote_id)
            .execution_options(synchronize_session=False)
        )
        for stale in [o for o in session.identity_map.values() if isinstance(o, Ballot)]:
            session.expunge(stale)
        for key, choice, reason in rows:
            session.add(Ballot(vote_id=vote_id, voter_key=key, choice=choice, reason=reason))
        await session.flush()

    async def finish_close(self, vote_id: int, result_message_id: int | None) -> None:
        """Mark a vote that `begin_close` moved to "closing" closed, with the message its
        result was posted in; a vote closed already is left as it is."""
        async with self.db.session() as session:
            await session.execute(
                update(Vote)
                .where(Vote.id == vote_id, Vote.status == VoteStatus.CLOSING)
                .values(status=VoteStatus.CLOSED, result_message_id=result_message_id)
            )

    # -- reminding ------------------------------------------------------------------------

    async def reminder(self, vote_id: int) -> Reminder | None:
        """Who has not voted yet, as a count (and ids to ping, for open ballots that asked)."""
        async with self.db.session() as session:
            vote = await session.get(Vote, vote_id, populate_existing=True)
            if (
                vote is None
                or vote.status != VoteStatus.OPEN
                or vote.reminded_at is not None
                or vote.remind == VoteReminder.NONE
                or vote.closes_at <= self.clock.now()
            ):
                return None
            state = await load_vote_state(session, vote)
            if vote.schedule_id is None:
                return Reminder(state, None, ())
            keys = set(
                await session.scalars(select(Ballot.voter_key).where(Ballot.vote_id == vote.id))
            )
            missing = [
                u
                for u in await circle_members(session, vote.schedule_id)
                if voter_key(vote, u) not in keys
            ]
            pings = not vote.secret and vote.remind == VoteReminder.PING
            ping = tuple(sorted(missing)) if pings else ()
            return Reminder(state, len(missing), ping)

    async def handle_remind(self, job: JobContext) -> None:
        """The reminder job: post who has not voted yet, once, unless everyone has."""
        vote_id = int(job.payload["vote_id"])
        reminder = await self.reminder(vote_id)
        if reminder is None:
            return
        if reminder.not_voted != 0:
            await self._announcer().remind(reminder)
        await self.mark_reminded(vote_id)

    async def mark_reminded(self, vote_id: int) -> None:
        async with self.db.session() as session:
            vote = await session.get_one(Vote, vote_id)
            vote.reminded_at = self.clock.now()
