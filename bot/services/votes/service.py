"""`Votes`: the feature's parts, and what it offers the other features.

A cog calls a part: `votes.topics` (propose, list and tidy topics), `votes.opening` (open a
vote, the guild's motion setting), `votes.ballots` (start and cast a ballot; the vote as its
ballots stand, for its message) and `votes.closing` (close once, remind). Looking a vote up
and exporting it are the service's own, and so are `/forget-me` (`bot.services.features`) and
the closed votes a section's digest shows (the cog writes their lines).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select, tuple_

from bot.db import Database, rows_matched
from bot.db.models import Ballot, Topic, Vote
from bot.db.models.votes import VoteStatus
from bot.errors import UserError
from bot.scheduler import Scheduler
from bot.scheduling.clock import Clock
from bot.services.features import Kept
from bot.services.member_rows import MemberRows
from bot.services.votes._common import guild_vote
from bot.services.votes.ballots import (
    Ballots,
    VoteState,
    ballot_rows,
    load_vote_state,
    voter_key,
)
from bot.services.votes.closing import Closing
from bot.services.votes.export import Export, ballots_csv, results_csv
from bot.services.votes.opening import Opening
from bot.services.votes.topics import Topics

# What /forget-me deletes, or takes the member's name off (`MemberData`).
OPEN_BALLOTS = Kept("ballot in open votes", "ballots in open votes")
CLOSED_BALLOTS = Kept("ballot in closed votes", "ballots in closed votes", anonymised=True)
TOPICS = Kept("topic", "topics", anonymised=True)
VOTES = Kept("vote", "votes", anonymised=True)


@dataclass(frozen=True)
class VoteListing:
    """A vote as a list to pick from shows it."""

    id: int
    question: str
    status: VoteStatus


class Votes:
    """Topics, votes and motions, bound to the database, the job scheduler and the clock."""

    def __init__(self, db: Database, *, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.topics = Topics(db, clock=clock)
        self.opening = Opening(db, scheduler=scheduler, clock=clock)
        self.ballots = Ballots(db, clock=clock)
        self.closing = Closing(db, scheduler=scheduler, clock=clock)

    async def state(self, guild_id: int, vote_id: int) -> VoteState:
        """The guild's vote as it stands; another guild's is "not found"."""
        async with self.db.read() as session:
            return await load_vote_state(session, await guild_vote(session, guild_id, vote_id))

    async def list_votes(self, guild_id: int, limit: int = 25) -> list[VoteListing]:
        """The guild's votes, newest first."""
        async with self.db.read() as session:
            rows = await session.execute(
                select(Vote.id, Vote.question, Vote.status)
                .where(Vote.guild_id == guild_id)
                .order_by(Vote.id.desc())
                .limit(limit)
            )
            return [VoteListing(int(i), str(q), VoteStatus(s)) for i, q, s in rows]

    async def export(self, guild_id: int, vote_id: int) -> Export:
        """CSV of the results and of the ballots (no names for secret ballots)."""
        async with self.db.read() as session:
            vote = await guild_vote(session, guild_id, vote_id)
            if vote.status == VoteStatus.OPEN:
                raise UserError(f"Vote #{vote_id} is still open: export it once it closes.")
            state = await load_vote_state(session, vote)
            ballots = await ballot_rows(session, vote.id)
            assert state.result is not None
            # Inside the session: `ballots_csv` reads the vote's row, which a read session's
            # rollback expires when it ends.
            return Export(state, results_csv(state, state.result), ballots_csv(vote, ballots))

    async def closed_on_section(
        self, guild_id: int, schedule_id: int, section_id: int
    ) -> list[VoteState]:
        """The closed votes and motions on that section, with their results, oldest first."""
        async with self.db.read() as session:
            votes = await session.scalars(
                select(Vote)
                .where(
                    Vote.guild_id == guild_id,
                    Vote.schedule_id == schedule_id,
                    Vote.section_id == section_id,
                    Vote.status == VoteStatus.CLOSED,
                )
                .order_by(Vote.id)
            )
            return [await load_vote_state(session, vote) for vote in list(votes)]

    async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        """For /forget-me's confirmation: what `forget_member` would delete or make anonymous,
        looked for by the same ballot keys."""
        async with self.db.read() as session:
            votes = list(await session.scalars(select(Vote).where(Vote.guild_id == guild_id)))
            keys = [
                (vote.id, key)
                for vote in votes
                if (key := _forgettable_key(vote, user_id)) is not None
            ]
            theirs = set(
                await session.scalars(
                    select(Ballot.vote_id).where(tuple_(Ballot.vote_id, Ballot.voter_key).in_(keys))
                )
                if keys
                else ()
            )
            topics = await _topic_rows(guild_id, user_id).count(session)
            still_open = {vote.id for vote in votes if vote.status == VoteStatus.OPEN}
            named = sum(user_id in (vote.opened_by, vote.closed_by) for vote in votes)
        return _forgotten(len(theirs & still_open), len(theirs - still_open), topics, named)

    async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        """For /forget-me: delete the member's ballots in the guild's open votes; in closed
        votes their open ballots lose the member id (totals stay). Topics and the votes they
        opened or closed lose the name."""
        deleted = anonymised = named = 0
        async with self.db.session() as session:
            votes = list(await session.scalars(select(Vote).where(Vote.guild_id == guild_id)))
            for vote in votes:
                key = _forgettable_key(vote, user_id)
                if key is not None and vote.status == VoteStatus.OPEN:
                    result = await session.execute(
                        delete(Ballot).where(Ballot.vote_id == vote.id, Ballot.voter_key == key)
                    )
                    deleted += rows_matched(result)
                elif key is not None:
                    ballot = await session.scalar(
                        select(Ballot).where(Ballot.vote_id == vote.id, Ballot.voter_key == key)
                    )
                    if ballot is not None:
                        ballot.voter_key = f"forgotten-{secrets.token_hex(8)}"
                        anonymised += 1
                named += user_id in (vote.opened_by, vote.closed_by)
                if vote.opened_by == user_id:
                    vote.opened_by = None
                if vote.closed_by == user_id:
                    vote.closed_by = None
            topics = await _topic_rows(guild_id, user_id).forget(session)
        return _forgotten(deleted, anonymised, topics, named)


def _forgettable_key(vote: Vote, user_id: int) -> str | None:
    """The member's ballot key in `vote` where /forget-me looks for their ballot: deleted from
    an open vote, made anonymous in a closed one; a secret closed vote no longer knows whose
    its ballots are (None)."""
    if vote.status == VoteStatus.OPEN:
        return voter_key(vote, user_id)
    return None if vote.secret else str(user_id)


def _topic_rows(guild_id: int, user_id: int) -> MemberRows:
    """The guild's topics the member proposed: /forget-me takes their name off."""
    return MemberRows(
        TOPICS,
        Topic,
        Topic.guild_id == guild_id,
        Topic.proposed_by == user_id,
        anonymise={"proposed_by": None},
    )


def _forgotten(open_ballots: int, closed_ballots: int, topics: int, votes: int) -> dict[Kept, int]:
    """What /forget-me deletes (or would) in the votes feature."""
    return {
        OPEN_BALLOTS: open_ballots,
        CLOSED_BALLOTS: closed_ballots,
        TOPICS: topics,
        VOTES: votes,
    }
