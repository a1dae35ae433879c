"""Consensus motions: agree, disagree, stand aside, or block (a block needs a reason).

A motion passes when nobody blocks and agreement reaches its threshold among those who did not
stand aside (by default more agree than disagree, so a tie fails). A group may allow a
fallback: when a motion is blocked, it still passes with a 3/4 supermajority of everyone who
took a side, blocks counted against.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from bot.voting.results import (
    NO_QUORUM,
    BallotError,
    BlockReason,
    MotionThreshold,
    OptionCount,
    QuorumRule,
    Reasons,
    VoteMethod,
    VoteResult,
    VoteRules,
    percent,
)

MAX_REASON = 1000


class Stance(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    STAND_ASIDE = "stand_aside"
    BLOCK = "block"

    @property
    def label(self) -> str:
        return {
            Stance.AGREE: "Agree",
            Stance.DISAGREE: "Disagree",
            Stance.STAND_ASIDE: "Stand aside",
            Stance.BLOCK: "Block",
        }[self]


STANCES = (Stance.AGREE, Stance.DISAGREE, Stance.STAND_ASIDE, Stance.BLOCK)


@dataclass(frozen=True)
class Threshold:
    """Agreement needed among agree + disagree: more than `share`, or at least it."""

    key: MotionThreshold
    share: Fraction
    at_least: bool

    def reached(self, agree: int, against: int) -> bool:
        total = agree + against
        if total == 0:
            return False
        ratio = Fraction(agree, total)
        return ratio >= self.share if self.at_least else ratio > self.share

    def describe(self) -> str:
        if self == MAJORITY:
            return "more agree than disagree"
        word = "at least" if self.at_least else "more than"
        return f"{word} {self.share.numerator}/{self.share.denominator} agree"


MAJORITY = Threshold(MotionThreshold.MAJORITY, Fraction(1, 2), at_least=False)
TWO_THIRDS = Threshold(MotionThreshold.TWO_THIRDS, Fraction(2, 3), at_least=True)
THREE_QUARTERS = Threshold(MotionThreshold.THREE_QUARTERS, Fraction(3, 4), at_least=True)
THRESHOLDS = {t.key: t for t in (MAJORITY, TWO_THIRDS, THREE_QUARTERS)}
FALLBACK = THREE_QUARTERS


def validate(stance: Stance | str, reason: str | None = None) -> tuple[Stance, str | None]:
    """A ballot: the stance, and the reason (required for a block)."""
    try:
        chosen = Stance(stance)
    except ValueError:
        raise BallotError("Choose agree, disagree, stand aside or block.") from None
    cleaned = (reason or "").strip() or None
    if chosen is Stance.BLOCK and cleaned is None:
        raise BallotError("A block needs a reason: say what the group would be getting wrong.")
    if cleaned is not None and len(cleaned) > MAX_REASON:
        raise BallotError(
            f"A reason can be at most {MAX_REASON:,} characters (this one has {len(cleaned):,})."
        )
    return chosen, cleaned


@dataclass(frozen=True)
class MotionTally:
    agree: int
    disagree: int
    stand_aside: int
    block: int
    threshold: Threshold
    fallback: bool

    @property
    def sided(self) -> int:
        return self.agree + self.disagree


def tally(
    ballots: Iterable[tuple[Stance | str, str | BlockReason | None]],
    *,
    threshold: Threshold = MAJORITY,
    fallback: bool = False,
    quorum: QuorumRule = NO_QUORUM,
) -> VoteResult:
    """Tally a motion. `ballots` are (stance, reason); the blocks' reasons come with the result."""
    counts = dict.fromkeys(STANCES, 0)
    reasons: list[BlockReason] = []
    for stance, reason in ballots:
        chosen = Stance(stance)
        counts[chosen] += 1
        if chosen is Stance.BLOCK and reason:
            reasons.append(BlockReason(reason) if isinstance(reason, str) else reason)
    total = sum(counts.values())
    motion = MotionTally(
        counts[Stance.AGREE],
        counts[Stance.DISAGREE],
        counts[Stance.STAND_ASIDE],
        counts[Stance.BLOCK],
        threshold,
        fallback,
    )
    check = quorum.check(total)
    notes = [
        f"Consensus motion: it passes when nobody blocks and {threshold.describe()} "
        "among those who did not stand aside."
    ]
    agree, disagree, block = motion.agree, motion.disagree, motion.block
    sided = f"{agree} agree, {disagree} disagree"
    if total == 0:
        passed = False
    elif not check.met:
        passed = False
        notes.append("The quorum was not met, so the motion cannot pass.")
    elif block == 0:
        passed = threshold.reached(agree, disagree)
        if agree == disagree and threshold == MAJORITY:
            notes.append(f"{sided}: a tie fails.")
        else:
            outcome = "reached" if passed else "not reached"
            share = f" ({percent(Fraction(agree, motion.sided))})" if motion.sided else ""
            notes.append(f"{sided}{share}: the threshold is {outcome}.")
    elif fallback:
        against = disagree + block
        passed = FALLBACK.reached(agree, against)
        share = percent(Fraction(agree, agree + against)) if agree + against else "0%"
        outcome = "reaches" if passed else "does not reach"
        notes.append(
            f"Blocked by {block}. This group falls back to a 3/4 supermajority when a motion "
            f"is blocked, blocks counted against: {agree} of {agree + against} ({share}) "
            f"{outcome} it."
        )
    else:
        passed = False
        notes.append(f"Blocked by {block}: a block stops the motion.")
    if motion.stand_aside:
        aside = motion.stand_aside
        notes.append(f"{aside} stood aside: they let it go ahead without joining in.")
    rows = tuple(OptionCount(i, s.label, counts[s], total) for i, s in enumerate(STANCES))
    return VoteResult(
        method=VoteMethod.CONSENSUS,
        labels=tuple(s.label for s in STANCES),
        ballots=total,
        counts=rows,
        ranking=(),
        quorum=check,
        passed=passed,
        notes=tuple(notes),
        motion=motion,
        reasons=tuple(reasons),
    )


def check_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[str, str | None]:
    """The ballot as stored: the stance, and a block's reason."""
    stance, cleaned = validate(str(choice), reason)
    return stance.value, cleaned


def count(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    """The motion's result over its stored stances, with its blocks' reasons."""
    given = reasons()
    return tally(
        [(stance, given.get(i)) for i, stance in enumerate(choices)],
        threshold=THRESHOLDS[rules.threshold],
        fallback=rules.fallback,
        quorum=rules.quorum,
    )
