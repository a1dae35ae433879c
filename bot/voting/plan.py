"""Opening a vote, as rules: which requests make sense, the options and how many a ballot may
hold, when it closes and when its reminder is due, and what a secret ballot or a missing
circle changes. Pure: no database, no Discord, no clock (the time is handed in)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reading.text import has_visible_text
from bot.scheduling.durations import TooLong, parse_moment
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
MIN_OPTIONS = 2
MAX_OPTIONS = 25  # a select menu's limit, and 5 rows of 5 buttons
MAX_OPTION_CHARS = 80  # a button label's limit
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=90)
REMIND_BEFORE = timedelta(hours=1)
MIN_REMIND_LEAD = timedelta(minutes=1)


class VoteRequestError(ValueError):
    """A request to open a vote that breaks a rule; the message says which, for its author."""


class TooFewOptions(VoteRequestError):
    """Fewer than MIN_OPTIONS options; the message is for options typed in the request."""


class TooManyOptions(VoteRequestError):
    """More than MAX_OPTIONS options; the message is for options typed in the request."""


def check_option_count(count: int) -> None:
    """Refuse a vote without MIN_OPTIONS to MAX_OPTIONS options, whether typed or the open
    topics: a caller that did not take them from the request words the error its own way."""
    if count < MIN_OPTIONS:
        raise TooFewOptions("A vote needs at least two options, separated by semicolons: A; B; C.")
    if count > MAX_OPTIONS:
        raise TooManyOptions(
            f"A vote can have at most {MAX_OPTIONS} options (Discord's limit for a menu); "
            f"this one has {count}."
        )


def parse_options(value: str) -> tuple[str, ...]:
    """Options typed inline, separated by semicolons (or |): "Tactics; History; Theory",
    checked by `check_options`."""
    parts = [" ".join(p.split()) for p in re.split(r"[;|\n]", value)]
    options = tuple(p for p in parts if p)
    check_options(options)
    return options


def check_options(options: Sequence[str]) -> None:
    """Refuse typed options unless they are MIN_OPTIONS to MAX_OPTIONS, each with visible text
    and at most MAX_OPTION_CHARS long, and no two the same but for case."""
    check_option_count(len(options))
    for number, option in enumerate(options, 1):
        if not has_visible_text(option):
            raise VoteRequestError(
                f"Option {number} has no visible characters: write each option in words."
            )
        if len(option) > MAX_OPTION_CHARS:
            raise VoteRequestError(
                f"Option {number} is {len(option)} characters long; options can have at most "
                f"{MAX_OPTION_CHARS} (Discord's limit for a button label)."
            )
    seen: dict[str, int] = {}
    for number, option in enumerate(options, 1):
        key = option.casefold()
        if key in seen:
            raise VoteRequestError(f"Options {seen[key]} and {number} are the same.")
        seen[key] = number


def parse_closing(value: str, tz: ZoneInfo, now: datetime) -> datetime:
    """A vote's closing time, as `parse_moment` reads a moment ahead ("2d", "1 day 12 hours",
    "2027-03-08 18:00" local to `tz`), from MIN_DURATION to MAX_DURATION after `now`. A time
    that cannot be read raises the scheduling rules' `CadenceError`, which quotes it apart."""
    try:
        when = parse_moment(value, tz, now, longest=MAX_DURATION)
    except TooLong:
        raise VoteRequestError(
            f"A vote can run for at most {MAX_DURATION.days} days: pick a closing time within that."
        ) from None
    if when - now < MIN_DURATION:
        raise VoteRequestError("A vote needs at least a minute to run.")
    return when


def reminder_time(opened: datetime, closes: datetime) -> datetime | None:
    """When to remind non-voters: REMIND_BEFORE the close, or a quarter of a shorter vote;
    None when that would leave less than MIN_REMIND_LEAD."""
    lead = min(REMIND_BEFORE, (closes - opened) / 4)
    if lead < MIN_REMIND_LEAD:
        return None
    return closes - lead


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
