"""Consensus motions: blocks, stand-asides, thresholds, ties, and the supermajority fallback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.voting import BallotError, QuorumRule, consensus
from bot.voting.consensus import MAJORITY, THREE_QUARTERS, TWO_THIRDS, Stance

A, D, S, B = Stance.AGREE, Stance.DISAGREE, Stance.STAND_ASIDE, Stance.BLOCK


def ballots(*stances: Stance) -> list[tuple[Stance, str | None]]:
    return [(s, "it breaks our agreement" if s is B else None) for s in stances]


def test_a_motion_passes_when_more_agree_than_disagree_and_nobody_blocks() -> None:
    result = consensus.tally(ballots(A, A, D, S))
    assert result.passed is True
    assert result.headline() == "The motion passes."
    assert result.motion is not None
    assert (result.motion.agree, result.motion.stand_aside) == (2, 1)


def test_block_stops_a_consensus_motion() -> None:
    result = consensus.tally(ballots(A, A, A, A, B))
    assert result.passed is False
    assert any("a block stops the motion" in note for note in result.notes)
    assert [reason.text for reason in result.reasons] == ["it breaks our agreement"]
    assert "Reason for a block: it breaks our agreement" in result.explain()


def test_a_tie_fails_a_motion() -> None:
    result = consensus.tally(ballots(A, D, S, S))
    assert result.passed is False
    assert any("a tie fails" in note for note in result.notes)


def test_stand_asides_do_not_count_against() -> None:
    assert consensus.tally(ballots(A, S, S, S, S)).passed is True


def test_nobody_voting_fails_a_motion() -> None:
    result = consensus.tally([])
    assert result.passed is False
    assert result.headline() == "The motion fails: nobody voted."


def test_a_higher_threshold_asks_for_more_agreement() -> None:
    votes = ballots(A, A, D)
    assert consensus.tally(votes, threshold=TWO_THIRDS).passed is True
    assert consensus.tally(votes, threshold=THREE_QUARTERS).passed is False


def test_the_fallback_lets_a_supermajority_pass_a_blocked_motion() -> None:
    assert consensus.tally(ballots(A, A, A, B), fallback=True).passed is True
    assert consensus.tally(ballots(A, A, D, B), fallback=True).passed is False
    result = consensus.tally(ballots(A, A, A, B), fallback=False)
    assert result.passed is False


def test_a_missed_quorum_fails_a_motion() -> None:
    result = consensus.tally(ballots(A, A), quorum=QuorumRule(50, 10))
    assert result.passed is False
    assert result.headline() == "The motion fails: the quorum was not met."


def test_a_block_without_a_reason_is_refused() -> None:
    with pytest.raises(BallotError, match="needs a reason"):
        consensus.validate("block", "   ")
    assert consensus.validate("block", " too soon ") == (B, "too soon")
    with pytest.raises(BallotError):
        consensus.validate("maybe")
    long = "x" * (consensus.MAX_REASON + 1)
    with pytest.raises(
        BallotError, match=r"^A reason can be at most 1,000 characters \(this one has 1,001\)\.$"
    ):
        consensus.validate("block", long)
    assert consensus.validate("block", long[:-1]) == (B, long[:-1])


stances = st.lists(st.sampled_from(list(Stance)), max_size=30)


@given(stances, st.booleans(), st.sampled_from([MAJORITY, TWO_THIRDS, THREE_QUARTERS]))
def test_another_agree_never_turns_a_pass_into_a_fail(
    votes: list[Stance], fallback: bool, threshold: consensus.Threshold
) -> None:
    before = consensus.tally(ballots(*votes), threshold=threshold, fallback=fallback)
    after = consensus.tally(ballots(*votes, A), threshold=threshold, fallback=fallback)
    assert not (before.passed and not after.passed)


@given(stances)
def test_without_the_fallback_any_block_fails_the_motion(votes: list[Stance]) -> None:
    result = consensus.tally(ballots(*votes))
    if B in votes:
        assert result.passed is False
    assert sum(c.count for c in result.counts) == len(votes)
