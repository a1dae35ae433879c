"""Opening a vote, as rules: what a request may ask, and what a secret ballot changes."""

from __future__ import annotations

import pytest

from bot.voting import VoteMethod, VoteReminder
from bot.voting.plan import (
    NO_QUORUM_WITHOUT_CIRCLE,
    SECRET_HIDES_RESULTS,
    SECRET_NAMES_NOBODY,
    VoteAsked,
    VoteRequestError,
    plan_vote,
)


def test_an_approval_vote_lets_a_ballot_mark_every_option_by_default() -> None:
    plan = plan_vote(VoteAsked(motion=False), options=3, has_circle=True)
    assert (plan.method, plan.min_choices, plan.max_choices) == (VoteMethod.APPROVAL, 1, 3)
    assert plan.notes == ()


def test_a_motion_is_counted_by_consensus_with_its_threshold() -> None:
    plan = plan_vote(
        VoteAsked(motion=True, method=VoteMethod.RANKED, threshold="two-thirds"),
        options=0,
        has_circle=True,
    )
    assert (plan.method, plan.threshold, plan.max_choices) == (
        VoteMethod.CONSENSUS,
        "two-thirds",
        None,
    )


def test_a_vote_on_options_keeps_the_simple_majority_whatever_was_asked() -> None:
    plan = plan_vote(VoteAsked(motion=False, threshold="two-thirds"), options=2, has_circle=True)
    assert plan.threshold == "majority"


def test_a_secret_ballot_hides_results_and_reminds_by_count_only() -> None:
    plan = plan_vote(
        VoteAsked(motion=False, secret=True, remind=VoteReminder.PING), options=2, has_circle=True
    )
    assert (plan.hidden, plan.remind) == (True, VoteReminder.COUNT)
    assert plan.notes == (SECRET_HIDES_RESULTS, SECRET_NAMES_NOBODY)


def test_without_a_circle_there_is_no_quorum_to_count() -> None:
    plan = plan_vote(VoteAsked(motion=False, quorum_percent=50), options=2, has_circle=False)
    assert plan.quorum_percent is None
    assert plan.notes == (NO_QUORUM_WITHOUT_CIRCLE,)


@pytest.mark.parametrize(
    ("asked", "options", "message"),
    [
        (VoteAsked(motion=False, method="borda"), 2, "The method can be"),  # type: ignore[arg-type]  # no such method
        (VoteAsked(motion=False, method=VoteMethod.CONSENSUS), 2, "The method can be"),
        (VoteAsked(motion=False, remind="shout"), 2, "The reminder can be"),  # type: ignore[arg-type]  # no such reminder
        (VoteAsked(motion=True, threshold="all"), 0, "The threshold can be"),
        (VoteAsked(motion=False, quorum_percent=0), 2, "A quorum is a percentage"),
        (
            VoteAsked(motion=False, method=VoteMethod.RANKED, max_choices=2),
            3,
            "for approval votes only",
        ),
        (VoteAsked(motion=False, min_choices=3, max_choices=2), 3, "With 3 options"),
        (VoteAsked(motion=False, max_choices=4), 3, "With 3 options"),
    ],
)
def test_a_request_that_breaks_a_rule_is_refused_with_the_reason(
    asked: VoteAsked, options: int, message: str
) -> None:
    with pytest.raises(VoteRequestError, match=message):
        plan_vote(asked, options=options, has_circle=True)
