"""Approval voting: each ballot approves every option the voter accepts (optionally at least
`min_choices` and at most `max_choices`); the most approved option wins."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from bot.reading.text import plural
from bot.voting.results import (
    NO_QUORUM,
    BallotError,
    OptionCount,
    QuorumRule,
    Reasons,
    VoteMethod,
    VoteResult,
    VoteRules,
    check_options,
    decide,
    tiers_by_count,
)


def validate(
    ballot: Collection[int],
    options: int,
    *,
    min_choices: int = 1,
    max_choices: int | None = None,
) -> frozenset[int]:
    """The ballot as a set of option indices, or BallotError saying what is wrong."""
    chosen = frozenset(ballot)
    if len(chosen) != len(ballot):
        raise BallotError("Each option can be approved once.")
    check_options(chosen, options)
    upper = options if max_choices is None else max_choices
    if len(chosen) < min_choices:
        raise BallotError(f"Approve at least {plural(min_choices, 'option')}.")
    if len(chosen) > upper:
        raise BallotError(f"Approve at most {plural(upper, 'option')}.")
    return chosen


def counts_of(options: int, ballots: Iterable[Collection[int]]) -> tuple[list[int], int]:
    """Approvals per option, and the number of ballots."""
    counts = [0] * options
    total = 0
    for ballot in ballots:
        total += 1
        for index in set(ballot):
            counts[index] += 1
    return counts, total


def tally(
    labels: Sequence[str],
    ballots: Iterable[Collection[int]],
    *,
    quorum: QuorumRule = NO_QUORUM,
    tiebreak: Sequence[int] | None = None,
) -> VoteResult:
    """Count approvals. Shares are of the ballots cast (an option approved by all is 100%)."""
    counts, total = counts_of(len(labels), ballots)
    rows = [OptionCount(i, label, counts[i], total) for i, label in enumerate(labels)]
    notes = [
        "Approval: each member approved every option they accept; the most approved wins. "
        "Shares are of the ballots cast, so they can add up to more than 100%."
    ]
    return decide(
        VoteMethod.APPROVAL,
        labels,
        total,
        rows,
        tiers_by_count(counts),
        quorum=quorum,
        tiebreak=tiebreak,
        notes=notes,
    )


def check_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[list[int], None]:
    """The ballot as stored: the approved options, sorted."""
    picked = validate(
        [int(i) for i in choice],
        len(rules.labels),
        min_choices=rules.min_choices,
        max_choices=rules.max_choices,
    )
    return sorted(picked), None


def count(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    """The vote's result over its stored ballots."""
    return tally(rules.labels, choices, quorum=rules.quorum, tiebreak=rules.tiebreak)
