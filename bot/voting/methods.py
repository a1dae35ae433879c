"""Every vote method by its name: the rule that checks a ballot and the one that counts the
ballots. A vote is checked and tallied by looking its method up in `METHODS`, so a new method
is a module of its own and one entry here.

Each entry takes what it needs of the vote from `VoteRules`, whatever the method: approval
reads the choice limits, a motion its threshold and fallback, the others ignore them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from bot.voting import approval, consensus, ranked, single
from bot.voting.results import NO_QUORUM, BlockReason, QuorumRule, VoteMethod, VoteResult

# The reasons the ballots give, by index, read only by the methods that need them.
Reasons = Callable[[], Mapping[int, BlockReason]]


@dataclass(frozen=True)
class VoteRules:
    """What a method reads of a vote to check a ballot or count them."""

    labels: tuple[str, ...]
    min_choices: int = 1
    max_choices: int | None = None
    threshold: str = consensus.MAJORITY.key
    fallback: bool = False
    quorum: QuorumRule = NO_QUORUM
    tiebreak: tuple[int, ...] | None = None


class Method(NamedTuple):
    """A method's rules. `validate` returns the ballot as stored and its reason (None where
    the method takes none), or raises BallotError; a choice of the wrong shape raises
    TypeError or ValueError. `tally` counts the ballots' stored choices into the explained
    result; `reasons()` gives the reasons given, by the ballot's index, when a method asks
    (only a motion does: its blocks' reasons come with the result)."""

    validate: Callable[[VoteRules, Any, str | None], tuple[Any, str | None]]
    tally: Callable[[VoteRules, Sequence[Any], Reasons], VoteResult]


def _approval_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[Any, None]:
    picked = approval.validate(
        [int(i) for i in choice],
        len(rules.labels),
        min_choices=rules.min_choices,
        max_choices=rules.max_choices,
    )
    return sorted(picked), None


def _approval_tally(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    return approval.tally(rules.labels, choices, quorum=rules.quorum, tiebreak=rules.tiebreak)


def _single_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[Any, None]:
    return single.validate(int(choice), len(rules.labels)), None


def _single_tally(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    return single.tally(rules.labels, choices, quorum=rules.quorum, tiebreak=rules.tiebreak)


def _ranked_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[Any, None]:
    # Stored as a list: JSON has no tuples, and a stored ballot reads back as one.
    return list(ranked.validate([int(i) for i in choice], len(rules.labels))), None


def _ranked_tally(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    return ranked.tally(rules.labels, choices, quorum=rules.quorum, tiebreak=rules.tiebreak)


def _motion_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[Any, str | None]:
    stance, cleaned = consensus.validate(str(choice), reason)
    return stance.value, cleaned


def _motion_tally(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    given = reasons()
    return consensus.tally(
        [(stance, given.get(i)) for i, stance in enumerate(choices)],
        threshold=consensus.THRESHOLDS[rules.threshold],
        fallback=rules.fallback,
        quorum=rules.quorum,
    )


METHODS: Mapping[VoteMethod, Method] = {
    VoteMethod.APPROVAL: Method(_approval_ballot, _approval_tally),
    VoteMethod.SINGLE: Method(_single_ballot, _single_tally),
    VoteMethod.RANKED: Method(_ranked_ballot, _ranked_tally),
    VoteMethod.CONSENSUS: Method(_motion_ballot, _motion_tally),
}
