"""A vote's result: its ballots tallied by its method, or by consensus for a motion."""

from __future__ import annotations

from collections.abc import Sequence

from bot.db.models import Vote
from bot.services.votes._common import MOTION, BallotRow
from bot.voting import APPROVAL, SINGLE, QuorumRule, VoteResult, approval, consensus, ranked, single
from bot.voting.results import BlockReason


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
