"""What votes give other features: a section digest's lines, and `/forget-me`."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, select, update

from bot.db.models import Ballot, Topic, Vote
from bot.services.features import DigestPart
from bot.services.votes._common import CLOSED, MOTION, OPEN, VotesBase, ballot_rows
from bot.services.votes.ballots import voter_key
from bot.services.votes.results import tally
from bot.voting import VoteResult


def _outcome(vote: Vote, result: VoteResult) -> str:
    if vote.kind == MOTION:
        m = result.motion
        counts = (
            f"{m.agree} agree, {m.disagree} disagree, {m.stand_aside} stood aside, "
            f"{m.block} blocked"
            if m is not None
            else ""
        )
        return f"{'passed' if result.passed else 'failed'} ({counts})"
    ballots = f"{result.ballots} ballot{'s' * (result.ballots != 1)}"
    if result.winner is not None:
        how = " on the tie-break" if result.tie_break is not None else ""
        return f"“{result.labels[result.winner]}” won{how} ({ballots})"
    if not result.ballots:
        return "no decision: nobody voted"
    if not result.quorum.met:
        return f"no decision: quorum not met ({ballots})"
    return f"no single winner ({ballots})"


class ContributionUseCases(VotesBase):
    """Votes as a `DigestContributor` and as `MemberData` (see `bot.services.features`)."""

    digest_part = DigestPart.VOTES

    async def digest_lines(self, guild_id: int, schedule_id: int, section_id: int) -> list[str]:
        """One line per closed vote or motion on that section, for the section's digest."""
        async with self.db.session() as session:
            votes = list(
                await session.scalars(
                    select(Vote)
                    .where(
                        Vote.guild_id == guild_id,
                        Vote.schedule_id == schedule_id,
                        Vote.section_id == section_id,
                        Vote.status == CLOSED,
                    )
                    .order_by(Vote.id)
                )
            )
            lines = []
            for vote in votes:
                result = tally(vote, await ballot_rows(session, vote.id), vote.eligible)
                what = "Motion" if vote.kind == MOTION else "Vote"
                question = vote.question if len(vote.question) <= 100 else vote.question[:99] + "…"
                lines.append(f"{what} #{vote.id}, “{question}”: {_outcome(vote, result)}.")
            return lines

    async def forget_member(self, guild_id: int, user_id: int) -> dict[str, int]:
        """For /forget-me: delete the member's ballots in the guild's open votes; in closed
        votes their open ballots lose the member id (totals stay). Topics and votes lose the
        name."""
        deleted = anonymised = 0
        async with self.db.session() as session:
            votes = list(await session.scalars(select(Vote).where(Vote.guild_id == guild_id)))
            for vote in votes:
                if vote.status == OPEN:
                    result = await session.execute(
                        delete(Ballot).where(
                            Ballot.vote_id == vote.id, Ballot.voter_key == voter_key(vote, user_id)
                        )
                    )
                    deleted += int(result.rowcount or 0)
                elif not vote.secret:
                    ballot = await session.scalar(
                        select(Ballot).where(
                            Ballot.vote_id == vote.id, Ballot.voter_key == str(user_id)
                        )
                    )
                    if ballot is not None:
                        ballot.voter_key = f"forgotten-{secrets.token_hex(8)}"
                        anonymised += 1
                if vote.opened_by == user_id:
                    vote.opened_by = None
                if vote.closed_by == user_id:
                    vote.closed_by = None
            topics = await session.execute(
                update(Topic)
                .where(Topic.guild_id == guild_id, Topic.proposed_by == user_id)
                .values(proposed_by=None)
            )
        return {
            "ballots in open votes": deleted,
            "ballots in closed votes made anonymous": anonymised,
            "topics made anonymous": int(topics.rowcount or 0),
        }
