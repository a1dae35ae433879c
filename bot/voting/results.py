"""What every method's tally shares: counts and shares, the order of the options, ties named,
the quorum, the published tie-break order, and the method's own explanation. Every result
can say in plain words how it was decided.

Quorum: how many of the people who may vote must take part for a decision to count.

Tie-break: an order drawn when a vote opens, so that anyone can check it afterwards. It
sorts option numbers by SHA-256 of "<seed>:<number>" (hex digests, ascending): with the
published seed, anyone can recompute it. It decides only when a single winner is required
and options tie at the top. The seed is random: the service that opens the vote draws it
and hands it in, as the rules draw nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bot.reading.text import listed, plural

if TYPE_CHECKING:
    from bot.voting.consensus import MotionTally
    from bot.voting.ranked import Pairwise

BAR_WIDTH = 10


# -- quorum ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorumRule:
    """A quorum as a percentage of `eligible` voters; no quorum when either is None."""

    percent: int | None = None
    eligible: int | None = None

    def __post_init__(self) -> None:
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise ValueError("a quorum is a percentage from 0 to 100")
        if self.eligible is not None and self.eligible < 0:
            raise ValueError("the number of eligible voters cannot be negative")

    @property
    def applies(self) -> bool:
        return bool(self.percent) and self.eligible is not None

    @property
    def required(self) -> int | None:
        """Ballots needed: the percentage of eligible voters, rounded up."""
        if not self.percent or self.eligible is None:
            return None
        return -(-self.eligible * self.percent // 100)

    def check(self, turnout: int) -> QuorumCheck:
        return QuorumCheck(percent=self.percent, eligible=self.eligible, turnout=turnout)


NO_QUORUM = QuorumRule()


@dataclass(frozen=True)
class QuorumCheck:
    """A quorum rule applied to a turnout: met or not, and the words to say so."""

    percent: int | None
    eligible: int | None
    turnout: int

    @property
    def rule(self) -> QuorumRule:
        return QuorumRule(self.percent, self.eligible)

    @property
    def applies(self) -> bool:
        return self.rule.applies

    @property
    def required(self) -> int | None:
        return self.rule.required

    @property
    def met(self) -> bool:
        required = self.required
        return required is None or self.turnout >= required

    @property
    def turnout_share(self) -> Fraction | None:
        """Turnout as a share of eligible voters (None when that number is unknown)."""
        if not self.eligible:
            return None
        return Fraction(self.turnout, self.eligible)

    def describe_turnout(self) -> str:
        ballots = plural(self.turnout, "ballot")
        share = self.turnout_share
        if share is None or self.eligible is None:
            return ballots
        return f"{ballots} from {self.eligible} members ({percent(share)})"

    def describe(self) -> str:
        if not self.applies:
            return "No quorum was set."
        state = "met" if self.met else "not met"
        return (
            f"Quorum {state}: {self.turnout} of {self.eligible} members voted, "
            f"{self.required} needed ({self.percent}%)."
        )


def percent(share: Fraction) -> str:
    """A share as a whole percentage, rounded half up ("67%")."""
    value = share * 100
    whole = int(value + Fraction(1, 2))
    return f"{whole}%"


# -- tie-break ---------------------------------------------------------------------------


def tiebreak_order(seed: str, options: int) -> tuple[int, ...]:
    """Option indices (0-based), first to win a tie first."""
    if options < 0:
        raise ValueError("the number of options cannot be negative")
    return tuple(
        sorted(range(options), key=lambda i: hashlib.sha256(f"{seed}:{i + 1}".encode()).hexdigest())
    )


def first_in_order(tied: Collection[int], order: Sequence[int]) -> int:
    """The tied option that comes first in the tie-break order."""
    if not tied:
        raise ValueError("nothing is tied")
    for index in order:
        if index in tied:
            return index
    raise ValueError("the tie-break order does not cover the tied options")


def describe_order(order: Sequence[int]) -> str:
    """The order as option numbers people read: "3, 1, 2"."""
    return ", ".join(str(i + 1) for i in order)


# -- results -----------------------------------------------------------------------------


class VoteMethod(StrEnum):
    """How ballots are counted; the values are stored with each vote."""

    APPROVAL = "approval"
    SINGLE = "single"
    RANKED = "ranked"
    CONSENSUS = "consensus"


class MotionThreshold(StrEnum):
    """The agreement a motion needs among those not standing aside, as its author names it;
    the values are stored with each vote."""

    MAJORITY = "majority"
    TWO_THIRDS = "two-thirds"
    THREE_QUARTERS = "three-quarters"


class VoteReminder(StrEnum):
    """Before a vote closes: a count of who has not voted, the same with those members
    pinged, or nothing; the values are stored with each vote."""

    COUNT = "count"
    PING = "ping"
    NONE = "none"


METHOD_NAMES = {
    VoteMethod.APPROVAL: "approval",
    VoteMethod.SINGLE: "single choice",
    VoteMethod.RANKED: "ranked (Schulze)",
    VoteMethod.CONSENSUS: "consensus motion",
}


class BallotError(ValueError):
    """A ballot that does not fit the vote; the message says why, for the voter."""


def check_options(chosen: Iterable[int], options: int) -> None:
    """Refuse a ballot naming an option the vote does not have."""
    if any(not 0 <= i < options for i in chosen):
        raise BallotError("That option is not on this vote.")


def bar(share: Fraction, width: int = BAR_WIDTH) -> str:
    """A text bar: "██████░░░░" for 60%."""
    filled = int(share * width + Fraction(1, 2))
    filled = max(0, min(width, filled))
    return "█" * filled + "░" * (width - filled)


@dataclass(frozen=True)
class OptionCount:
    """One option's count out of `out_of` ballots."""

    index: int
    label: str
    count: int
    out_of: int

    @property
    def share(self) -> Fraction:
        return Fraction(self.count, self.out_of) if self.out_of else Fraction(0)

    @property
    def percent(self) -> str:
        return percent(self.share)

    def line(self) -> str:
        return f"{bar(self.share)} {self.count} ({self.percent})"


@dataclass(frozen=True)
class TieBreak:
    """A tie at the top, decided by the order published with the vote."""

    tied: tuple[int, ...]
    order: tuple[int, ...]
    chosen: int


def tiers_by_count(counts: Sequence[int]) -> tuple[tuple[int, ...], ...]:
    """Option indices grouped by equal count, highest first; ties share a tier."""
    tiers: dict[int, list[int]] = {}
    for index, count in enumerate(counts):
        tiers.setdefault(count, []).append(index)
    return tuple(tuple(tiers[count]) for count in sorted(tiers, reverse=True))


def names(indices: Sequence[int], labels: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return listed([f"“{labels[i]}”" for i in indices])


@dataclass(frozen=True)
class BlockReason:
    """Why a member blocked a motion; `voter` is set only where ballots are open."""

    text: str
    voter: int | None = None


@dataclass(frozen=True)
class VoteResult:
    """The outcome of one vote, explained.

    `counts` are in option order (for a motion: agree, disagree, stand aside, block).
    `ranking` groups option indices best first; options in one group are tied. `winner` is
    the single option decided (after a tie-break when needed), or None when there is no
    decision: no ballots, quorum not met, or a motion. `passed` is for motions only.
    """

    method: VoteMethod
    labels: tuple[str, ...]
    ballots: int
    counts: tuple[OptionCount, ...]
    ranking: tuple[tuple[int, ...], ...]
    quorum: QuorumCheck
    winner: int | None = None
    tie_break: TieBreak | None = None
    passed: bool | None = None
    notes: tuple[str, ...] = ()
    pairwise: Pairwise | None = field(default=None, compare=False)
    motion: MotionTally | None = None
    reasons: tuple[BlockReason, ...] = ()

    @property
    def method_name(self) -> str:
        return METHOD_NAMES[self.method]

    @property
    def top(self) -> tuple[int, ...]:
        return self.ranking[0] if self.ranking else ()

    @property
    def decided(self) -> bool:
        return self.winner is not None or self.passed is True

    def ties(self) -> list[tuple[int, ...]]:
        """Every group of tied options (motions have none)."""
        return [tier for tier in self.ranking if len(tier) > 1]

    def headline(self) -> str:
        """One sentence: who won, or what happened."""
        if self.method == VoteMethod.CONSENSUS:
            if self.ballots == 0:
                return "The motion fails: nobody voted."
            if not self.quorum.met:
                return "The motion fails: the quorum was not met."
            return "The motion passes." if self.passed else "The motion fails."
        if self.ballots == 0:
            return "No decision: nobody voted."
        if not self.quorum.met:
            return "No decision: the quorum was not met."
        if self.winner is None:
            return f"No single winner: {names(self.top, self.labels)} tie."
        if self.tie_break is not None:
            return f"“{self.labels[self.winner]}” wins on the tie-break."
        return f"“{self.labels[self.winner]}” wins."

    def tie_lines(self) -> list[str]:
        """Ties stated plainly, and how the one at the top was broken."""
        lines = []
        for tier in self.ties():
            count = self.counts[tier[0]].count
            at = "at the top" if tier == self.top else "lower down"
            lines.append(f"Tie {at}: {names(tier, self.labels)} ({self._tie_measure(count)}).")
        if self.tie_break is not None:
            tb = self.tie_break
            lines.append(
                f"The tie-break order published with the vote ({describe_order(tb.order)}) "
                f"puts “{self.labels[tb.chosen]}” first, so it wins."
            )
        return lines

    def _tie_measure(self, count: int) -> str:
        if self.method == VoteMethod.RANKED:
            return "equal strongest paths"
        return f"{count} each"

    def explain(self) -> list[str]:
        """The whole explanation, as lines of text."""
        lines = [self.headline()]
        for option in self.counts:
            lines.append(f"{option.label}: {option.line()}")
        lines.extend(self.tie_lines())
        lines.append(f"Turnout: {self.quorum.describe_turnout()}.")
        lines.append(self.quorum.describe())
        lines.extend(self.notes)
        lines.extend(f"Reason for a block: {reason.text}" for reason in self.reasons)
        return lines


def decide(
    method: VoteMethod,
    labels: Sequence[str],
    ballots: int,
    counts: Sequence[OptionCount],
    ranking: Sequence[Sequence[int]],
    *,
    quorum: QuorumRule = NO_QUORUM,
    tiebreak: Sequence[int] | None = None,
    notes: Sequence[str] = (),
    pairwise: Pairwise | None = None,
) -> VoteResult:
    """Put a multi-option tally together: quorum, then the winner, breaking a top tie with
    `tiebreak` (a published order) when one is given; without it a tie stays a tie."""
    check = quorum.check(ballots)
    tiers = tuple(tuple(t) for t in ranking if t)
    winner: int | None = None
    broken: TieBreak | None = None
    if ballots and check.met and tiers:
        top = tiers[0]
        if len(top) == 1:
            winner = top[0]
        elif tiebreak is not None:
            order = tuple(tiebreak)
            winner = first_in_order(top, order)
            broken = TieBreak(tied=top, order=order, chosen=winner)
    return VoteResult(
        method=method,
        labels=tuple(labels),
        ballots=ballots,
        counts=tuple(counts),
        ranking=tiers,
        quorum=check,
        winner=winner,
        tie_break=broken,
        notes=tuple(notes),
        pairwise=pairwise,
    )


# -- what every method offers, for a vote looked up by its method (`bot.voting.METHODS`) ----

# The reasons the ballots give, by index, read only by the methods that need them.
Reasons = Callable[[], Mapping[int, BlockReason]]


@dataclass(frozen=True)
class VoteRules:
    """What a method reads of a vote to check a ballot or count them: approval reads the
    choice limits, a motion its threshold and fallback, the
    others ignore them."""

    labels: tuple[str, ...]
    min_choices: int = 1
    max_choices: int | None = None
    threshold: MotionThreshold = MotionThreshold.MAJORITY
    fallback: bool = False
    quorum: QuorumRule = NO_QUORUM
    tiebreak: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Method:
    """A method's rules, each method module's `check_ballot` and `count`. `check_ballot`
    returns the ballot as stored and its reason (None where the method takes none), or raises
    BallotError; a choice of the wrong shape raises TypeError or ValueError. `count` counts the
    ballots' stored choices into the explained result; `reasons()` gives the reasons given,
    by the ballot's index, when a method asks (only a motion does: its blocks' reasons come
    with the result). A dataclass: a named tuple's own `count` method would clash with the field."""

    check_ballot: Callable[[VoteRules, Any, str | None], tuple[Any, str | None]]
    count: Callable[[VoteRules, Sequence[Any], Reasons], VoteResult]
