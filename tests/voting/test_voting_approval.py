"""Approval voting: counts, shares, ties named and broken by the published order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.voting import BallotError, QuorumRule, approval

LABELS = ("Tactics", "History", "Organising", "Theory")


def ballots_for(options: int) -> st.SearchStrategy[list[frozenset[int]]]:
    return st.lists(st.frozensets(st.integers(0, options - 1)), max_size=40)


def test_the_most_approved_option_wins() -> None:
    result = approval.tally(LABELS, [{0, 1}, {1}, {1, 3}, {0}])
    assert [c.count for c in result.counts] == [2, 3, 0, 1]
    assert result.winner == 1
    assert result.headline() == "“History” wins."
    assert result.counts[1].percent == "75%"


def test_a_top_tie_is_named_and_stands_without_a_tiebreak_order() -> None:
    result = approval.tally(LABELS, [{0, 1}, {0, 1}, {2}])
    assert result.winner is None
    assert result.top == (0, 1)
    assert "tie" in result.headline()
    assert "Tie at the top: “Tactics” and “History” (2 each)." in result.tie_lines()


def test_the_published_order_breaks_a_top_tie_and_the_result_says_so() -> None:
    result = approval.tally(LABELS, [{0, 1}, {0, 1}], tiebreak=(3, 1, 0, 2))
    assert result.winner == 1
    assert result.tie_break is not None
    assert result.tie_break.tied == (0, 1)
    assert "wins on the tie-break" in result.headline()
    assert any("puts “History” first" in line for line in result.tie_lines())


def test_lower_ties_are_named_too() -> None:
    result = approval.tally(LABELS, [{0, 2}, {0, 3}])
    assert result.winner == 0
    assert "Tie lower down: “Organising” and “Theory” (1 each)." in result.tie_lines()


def test_no_ballots_means_no_decision() -> None:
    result = approval.tally(LABELS, [])
    assert result.winner is None
    assert result.headline() == "No decision: nobody voted."
    assert all(c.percent == "0%" for c in result.counts)


def test_a_missed_quorum_means_no_decision_but_counts_are_shown() -> None:
    result = approval.tally(LABELS, [{0}, {0}], quorum=QuorumRule(percent=50, eligible=10))
    assert result.winner is None
    assert result.quorum.required == 5
    assert not result.quorum.met
    assert result.headline() == "No decision: the quorum was not met."
    assert "Quorum not met: 2 of 10 members voted, 5 needed (50%)." in result.explain()


@pytest.mark.parametrize(
    ("ballot", "minimum", "maximum", "message"),
    [
        ([], 1, None, "at least 1 option"),
        ([0, 1, 2], 1, 2, "at most 2 options"),
        ([7], 0, None, "not on this vote"),
        ([1, 1], 1, None, "once"),
    ],
)
def test_ballots_outside_the_rules_are_refused(
    ballot: list[int], minimum: int, maximum: int | None, message: str
) -> None:
    with pytest.raises(BallotError, match=message):
        approval.validate(ballot, 4, min_choices=minimum, max_choices=maximum)


def test_an_empty_approval_is_allowed_when_the_minimum_is_zero() -> None:
    assert approval.validate([], 4, min_choices=0) == frozenset()


@given(ballots_for(4))
def test_approval_totals_equal_the_sum_of_ballots(ballots: list[frozenset[int]]) -> None:
    result = approval.tally(LABELS, ballots)
    assert sum(c.count for c in result.counts) == sum(len(b) for b in ballots)
    assert result.ballots == len(ballots)
    assert all(c.count <= len(ballots) for c in result.counts)


@given(ballots_for(4), st.frozensets(st.integers(0, 3), min_size=1), st.data())
def test_adding_a_ballot_for_x_never_lowers_x(
    ballots: list[frozenset[int]], extra: frozenset[int], data: st.DataObject
) -> None:
    x = data.draw(st.sampled_from(sorted(extra)))
    before = approval.tally(LABELS, ballots)
    after = approval.tally(LABELS, [*ballots, extra])
    assert after.counts[x].count == before.counts[x].count + 1
    for other in set(range(4)) - extra:
        assert after.counts[other].count == before.counts[other].count


@given(ballots_for(4))
def test_a_winner_stays_the_winner_with_one_more_ballot_for_it(
    ballots: list[frozenset[int]],
) -> None:
    before = approval.tally(LABELS, ballots, tiebreak=(0, 1, 2, 3))
    if before.winner is None:
        return
    after = approval.tally(LABELS, [*ballots, {before.winner}], tiebreak=(0, 1, 2, 3))
    assert after.winner == before.winner
    assert after.tie_break is None


@given(ballots_for(4), st.permutations(range(4)))
def test_with_a_tiebreak_order_there_is_always_one_winner_when_anyone_voted(
    ballots: list[frozenset[int]], order: list[int]
) -> None:
    result = approval.tally(LABELS, ballots, tiebreak=order)
    if ballots:
        assert result.winner in result.top
        assert (result.tie_break is not None) == (len(result.top) > 1)
    else:
        assert result.winner is None
