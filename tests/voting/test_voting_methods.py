"""Every method is looked up by its name: its ballot check and its tally, from the vote's rules."""

from __future__ import annotations

import pytest

from bot.voting import METHODS, BallotError, MotionThreshold, QuorumRule, VoteMethod, VoteRules
from bot.voting.consensus import Stance
from bot.voting.results import BlockReason

RULES = VoteRules(labels=("Dune", "Emma", "Ulysses"), min_choices=1, max_choices=2)


def test_every_method_has_its_rules() -> None:
    assert set(METHODS) == set(VoteMethod)


@pytest.mark.parametrize(
    ("method", "choice", "stored"),
    [
        (VoteMethod.APPROVAL, ["2", 0], [0, 2]),
        (VoteMethod.SINGLE, "1", 1),
        (VoteMethod.RANKED, (2, 0), [2, 0]),
        (VoteMethod.CONSENSUS, "stand_aside", "stand_aside"),
    ],
)
def test_a_ballot_is_stored_as_its_method_keeps_it(
    method: VoteMethod, choice: object, stored: object
) -> None:
    assert METHODS[method].check_ballot(RULES, choice, None) == (stored, None)


def test_only_a_motion_keeps_the_reason_given() -> None:
    assert METHODS[VoteMethod.SINGLE].check_ballot(RULES, 0, "because") == (0, None)
    block = METHODS[VoteMethod.CONSENSUS].check_ballot(RULES, "block", " Too long. ")
    assert block == (Stance.BLOCK.value, "Too long.")


def test_the_vote_limits_reach_the_approval_check() -> None:
    with pytest.raises(BallotError, match="at most 2"):
        METHODS[VoteMethod.APPROVAL].check_ballot(RULES, [0, 1, 2], None)


def test_the_tally_reads_the_quorum_and_tie_break_of_the_rules() -> None:
    rules = VoteRules(labels=("Dune", "Emma"), quorum=QuorumRule(50, 4), tiebreak=(1, 0))
    result = METHODS[VoteMethod.SINGLE].count(rules, [0, 1], dict)
    assert result.method is VoteMethod.SINGLE
    assert result.quorum.met
    assert result.winner == 1
    assert result.tie_break is not None


def test_a_motion_is_tallied_against_its_threshold() -> None:
    stances = ["agree", "agree", "disagree"]
    majority = METHODS[VoteMethod.CONSENSUS].count(RULES, stances, dict)
    three_quarters = VoteRules(labels=(), threshold=MotionThreshold.THREE_QUARTERS)
    assert majority.passed is True
    assert METHODS[VoteMethod.CONSENSUS].count(three_quarters, stances, dict).passed is False


def test_a_block_keeps_its_own_reason_and_no_other_stance_gives_one() -> None:
    stances = ["disagree", "block", "agree"]
    reasons = {0: BlockReason("Too fast."), 1: BlockReason("Not the book we chose.", 77)}
    result = METHODS[VoteMethod.CONSENSUS].count(RULES, stances, lambda: reasons)
    assert result.passed is False
    assert result.reasons == (BlockReason("Not the book we chose.", 77),)
