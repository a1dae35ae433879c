"""Single choice: plurality, majority stated, ties named."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.voting import BallotError, QuorumRule, single

LABELS = ("Monday", "Wednesday", "Friday")


def test_the_option_with_most_votes_wins_and_a_majority_is_noted() -> None:
    result = single.tally(LABELS, [0, 0, 1])
    assert result.winner == 0
    assert [c.count for c in result.counts] == [2, 1, 0]
    assert result.counts[0].percent == "67%"
    assert any("absolute majority" in note for note in result.notes)


def test_a_plurality_without_majority_is_said_plainly() -> None:
    result = single.tally(LABELS, [0, 0, 1, 1, 2, 0, 2])
    assert result.winner == 0
    assert any("No option has more than half" in note for note in result.notes)


def test_a_result_without_its_quorum_tells_one_story() -> None:
    result = single.tally(LABELS, [0, 0, 1], quorum=QuorumRule(50, 10))
    assert result.winner is None
    assert result.headline() == "No decision: the quorum was not met."
    assert not any("majority" in line for line in result.explain())


def test_a_tie_is_broken_by_the_published_order() -> None:
    result = single.tally(LABELS, [0, 1], tiebreak=(2, 1, 0))
    assert result.winner == 1
    assert result.tie_break is not None


def test_a_choice_off_the_ballot_is_refused() -> None:
    with pytest.raises(BallotError):
        single.validate(3, 3)


@given(st.lists(st.integers(0, 2), max_size=50))
def test_single_counts_add_up_to_the_ballots(ballots: list[int]) -> None:
    result = single.tally(LABELS, ballots)
    assert sum(c.count for c in result.counts) == len(ballots)
    if ballots:
        assert abs(sum(c.share for c in result.counts) - 1) == 0
