"""Opening a vote, as rules: which requests make sense, how many choices a ballot may hold,
and what a secret ballot or a missing circle changes. Pure: no database, no Discord."""

from __future__ import annotations

from dataclasses import dataclass

from bot.voting import consensus
from bot.voting.results import MotionThreshold, VoteMethod, VoteReminder

CHOICE_METHODS = (VoteMethod.APPROVAL, VoteMethod.SINGLE, VoteMethod.RANKED)
# A set of the members, since `"shout" in VoteReminder` raises TypeError on Python 3.11.
REMIND_STYLES = frozenset(VoteReminder)
NO_QUORUM_WITHOUT_CIRCLE = (
    "There is no quorum: this server has no reading circle whose members could be counted, "
    "so anyone here may vote."
)
SECRET_HIDES_RESULTS = "Results stay hidden until the close: the ballot is secret."
SECRET_NAMES_NOBODY = "The reminder will give a count and name nobody: the ballot is secret."


class VoteRequestError(ValueError):
    """A request to open a vote that breaks a rule; the message says which, for its author."""


@dataclass(frozen=True)
class VoteAsked:
    """The settings someone asked for, before they are checked."""

    motion: bool
    method: VoteMethod = VoteMethod.APPROVAL
    remind: VoteReminder = VoteReminder.COUNT
    threshold: str = MotionThreshold.MAJORITY  # as asked: checked by `check_request`
    quorum_percent: int | None = None
    secret: bool = False
    hidden: bool = False
    min_choices: int | None = None
    max_choices: int | None = None


@dataclass(frozen=True)
class VotePlan:
    """The vote to open: its method and limits as they will be stored, and notes for its
    author on what was changed from the request, and why."""

    method: VoteMethod
    threshold: MotionThreshold
    min_choices: int
    max_choices: int | None
    quorum_percent: int | None
    hidden: bool
    remind: VoteReminder
    notes: tuple[str, ...]


def check_request(asked: VoteAsked) -> None:
    """The checks that need nothing but the request; VoteRequestError names the first one
    that fails."""
    if not asked.motion and asked.method not in CHOICE_METHODS:
        raise VoteRequestError("The method can be approval, single choice or ranked.")
    if asked.remind not in REMIND_STYLES:
        raise VoteRequestError("The reminder can be count, ping or none.")
    if asked.motion and asked.threshold not in consensus.THRESHOLDS:
        raise VoteRequestError("The threshold can be majority, two-thirds or three-quarters.")
    if asked.quorum_percent is not None and not 1 <= asked.quorum_percent <= 100:
        raise VoteRequestError("A quorum is a percentage of the circle's members, from 1 to 100.")


def choice_limits(asked: VoteAsked, options: int) -> tuple[int, int | None]:
    """How many options a ballot may mark: (at least, at most); at most None means one
    ranking or one choice, as the method says. Limits are for approval votes only."""
    given = asked.min_choices is not None or asked.max_choices is not None
    if asked.motion or asked.method != VoteMethod.APPROVAL:
        if given:
            raise VoteRequestError("The minimum and maximum choices are for approval votes only.")
        return 1, None
    low = 1 if asked.min_choices is None else asked.min_choices
    high = options if asked.max_choices is None else asked.max_choices
    if not 0 <= low <= high or high < 1 or high > options:
        raise VoteRequestError(
            f"With {options} options, choose a minimum from 0 and a maximum from 1 to "
            f"{options}, the minimum no higher than the maximum."
        )
    return low, high


def plan_vote(asked: VoteAsked, *, options: int, has_circle: bool) -> VotePlan:
    """The vote `asked` comes to with `options` options: without a circle there is no quorum
    to count; a secret ballot hides the results until the close and reminds by count only."""
    check_request(asked)
    low, high = choice_limits(asked, options)
    notes: list[str] = []
    quorum = asked.quorum_percent
    if quorum is not None and not has_circle:
        quorum = None
        notes.append(NO_QUORUM_WITHOUT_CIRCLE)
    hidden, remind = asked.hidden, asked.remind
    if asked.secret:
        if not hidden:
            notes.append(SECRET_HIDES_RESULTS)
        hidden = True
        if remind == VoteReminder.PING:
            remind = VoteReminder.COUNT
            notes.append(SECRET_NAMES_NOBODY)
    return VotePlan(
        method=VoteMethod.CONSENSUS if asked.motion else asked.method,
        threshold=MotionThreshold(asked.threshold) if asked.motion else MotionThreshold.MAJORITY,
        min_choices=low,
        max_choices=high,
        quorum_percent=quorum,
        hidden=hidden,
        remind=remind,
        notes=tuple(notes),
    )
