"""Quorum: how many of the people who may vote must take part for a decision to count."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


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
        ballots = f"{self.turnout} ballot{'s' if self.turnout != 1 else ''}"
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
