"""Single choice: one option per ballot; the option with the most votes wins (plurality), and
the explanation says whether it has an absolute majority."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from bot.voting.results import (
    NO_QUORUM,
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


def validate(choice: int, options: int) -> int:
    check_options((choice,), options)
    return choice


def tally(
    labels: Sequence[str],
    ballots: Iterable[int],
    *,
    quorum: QuorumRule = NO_QUORUM,
    tiebreak: Sequence[int] | None = None,
) -> VoteResult:
    counts = [0] * len(labels)
    total = 0
    for choice in ballots:
        counts[choice] += 1
        total += 1
    rows = [OptionCount(i, label, counts[i], total) for i, label in enumerate(labels)]
    notes = ["Single choice: one option per member; the option with the most votes wins."]
    best = max(counts, default=0)
    # Without a quorum there is no winner, so nothing is said of one.
    if total and quorum.check(total).met:
        if best * 2 > total:
            notes.append("The winner has an absolute majority (more than half of the ballots).")
        else:
            notes.append("No option has more than half of the ballots: the most votes wins.")
    return decide(
        VoteMethod.SINGLE,
        labels,
        total,
        rows,
        tiers_by_count(counts),
        quorum=quorum,
        tiebreak=tiebreak,
        notes=notes,
    )


def check_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[int, None]:
    """The ballot as stored: the option's index."""
    return validate(int(choice), len(rules.labels)), None


def count(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    """The vote's result over its stored ballots."""
    return tally(rules.labels, choices, quorum=rules.quorum, tiebreak=rules.tiebreak)
