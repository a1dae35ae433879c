"""Quorum and the published tie-break order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.voting import NO_QUORUM, QuorumRule
from bot.voting.results import describe_order, first_in_order, tiebreak_order


def test_the_quorum_rounds_up_the_percentage_of_members() -> None:
    assert QuorumRule(50, 9).required == 5
    assert QuorumRule(50, 10).required == 5
    assert QuorumRule(34, 3).required == 2


def test_a_quorum_is_met_at_exactly_the_required_turnout() -> None:
    rule = QuorumRule(50, 10)
    assert not rule.check(4).met
    assert rule.check(5).met
    assert rule.check(5).describe() == "Quorum met: 5 of 10 members voted, 5 needed (50%)."


def test_without_a_percentage_or_a_circle_there_is_no_quorum() -> None:
    assert NO_QUORUM.check(0).met
    assert QuorumRule(percent=60, eligible=None).check(1).describe() == "No quorum was set."
    assert QuorumRule(percent=None, eligible=4).check(2).describe_turnout() == (
        "2 ballots from 4 members (50%)"
    )


def test_a_quorum_outside_0_to_100_is_refused() -> None:
    with pytest.raises(ValueError, match="percentage"):
        QuorumRule(101, 4)


@given(st.integers(1, 100), st.integers(0, 500), st.integers(0, 500))
def test_quorum_is_met_exactly_when_turnout_reaches_the_share(
    percent: int, eligible: int, turnout: int
) -> None:
    check = QuorumRule(percent, eligible).check(turnout)
    assert check.met == (turnout * 100 >= percent * eligible)


def test_the_tiebreak_order_is_reproducible_from_its_seed() -> None:
    assert tiebreak_order("c0ffee", 5) == tiebreak_order("c0ffee", 5)
    assert describe_order((2, 0, 1)) == "3, 1, 2"


@given(st.text(max_size=20), st.integers(0, 25))
def test_the_tiebreak_order_is_a_permutation_of_the_options(seed: str, options: int) -> None:
    order = tiebreak_order(seed, options)
    assert sorted(order) == list(range(options))


@given(st.text(max_size=8), st.sets(st.integers(0, 9), min_size=1))
def test_the_tie_goes_to_the_first_tied_option_in_the_order(seed: str, tied: set[int]) -> None:
    order = tiebreak_order(seed, 10)
    chosen = first_in_order(tied, order)
    assert chosen in tied
    assert all(order.index(chosen) <= order.index(t) for t in tied)
