"""Opening a vote, as rules: what a request may ask, its options, when it closes and when
its reminder is due, and what a secret ballot changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.reading.text import ECHO_CHARS, QUOTED, echo
from bot.scheduling.cadence import CadenceError
from bot.voting import VoteMethod, VoteReminder
from bot.voting.plan import (
    MAX_OPTION_CHARS,
    MAX_OPTIONS,
    NO_QUORUM_WITHOUT_CIRCLE,
    SECRET_HIDES_RESULTS,
    SECRET_NAMES_NOBODY,
    TooFewOptions,
    TooManyOptions,
    VoteAsked,
    VoteRequestError,
    check_option_count,
    check_options,
    parse_closing,
    parse_options,
    plan_vote,
    reminder_time,
)
from tests.clocked import ROME, START


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


# -- options --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, MAX_OPTIONS])
def test_a_vote_of_two_to_twenty_five_options_is_let_through(count: int) -> None:
    check_option_count(count)


@pytest.mark.parametrize("count", [0, 1])
def test_a_vote_with_fewer_than_two_options_is_refused(count: int) -> None:
    with pytest.raises(TooFewOptions, match="at least two options, separated by semicolons"):
        check_option_count(count)


def test_a_vote_with_more_options_than_a_menu_holds_is_refused_with_the_count() -> None:
    with pytest.raises(TooManyOptions, match=r"at most 25 options .*; this one has 26"):
        check_option_count(MAX_OPTIONS + 1)


def test_typed_options_are_split_at_semicolons_bars_and_lines_with_their_spaces_tidied() -> None:
    typed = " Tactics ;  Military   history |Theory\n\n; ;Maps"
    assert parse_options(typed) == ("Tactics", "Military history", "Theory", "Maps")


def test_typed_options_are_counted_by_the_same_rule_as_any_vote() -> None:
    with pytest.raises(TooFewOptions):
        parse_options("Only one;  ; |")
    with pytest.raises(TooManyOptions):
        parse_options("; ".join(f"o{i}" for i in range(MAX_OPTIONS + 1)))


def test_an_option_as_long_as_a_button_label_may_be_is_let_through() -> None:
    check_options(("a" * MAX_OPTION_CHARS, "b"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("Tactics", "\u200b\u202e"), "Option 2 has no visible characters"),
        (("a" * (MAX_OPTION_CHARS + 1), "b"), "Option 1 is 81 characters long"),
        (("Tactics", "History", "tactics"), "Options 1 and 3 are the same"),
        # Each option is checked whole before any two are compared.
        (("Same", "same", "\u3164"), "Option 3 has no visible characters"),
    ],
)
def test_an_option_without_words_too_long_for_a_button_or_repeated_is_refused(
    options: tuple[str, ...], message: str
) -> None:
    with pytest.raises(VoteRequestError, match=message):
        check_options(options)


# -- the closing time -----------------------------------------------------------------------


def test_closing_times_read_durations_and_local_dates() -> None:
    assert parse_closing("2d", ROME, START) == START + timedelta(days=2)
    assert parse_closing("1d 12h", ROME, START) == START + timedelta(days=1, hours=12)
    assert parse_closing("90m", ROME, START) == START + timedelta(minutes=90)
    assert parse_closing("2027-03-08 18:00", ROME, START) == datetime(2027, 3, 8, 17, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "after"),
    [
        ("2 days", timedelta(days=2)),
        ("1 day 12 hours", timedelta(days=1, hours=12)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1h 30m", timedelta(minutes=90)),
        ("2D", timedelta(days=2)),
        ("1 minute", timedelta(minutes=1)),
        ("90d", timedelta(days=90)),
        ("2027-03-08 18.00", timedelta(days=7, hours=9)),
        ("2027-03-08 18h00", timedelta(days=7, hours=9)),
        ("2027-03-08T18:00", timedelta(days=7, hours=9)),
        ("2027-3-8 18:00", timedelta(days=7, hours=9)),
    ],
)
def test_a_closing_time_reads_what_reminders_and_schedules_read(
    value: str, after: timedelta
) -> None:
    assert parse_closing(value, ROME, START) == START + after


def test_a_closing_time_under_a_minute_away_is_refused() -> None:
    # 09:00 in Rome is START; half a minute before it, that is 30 seconds away.
    with pytest.raises(VoteRequestError, match="A vote needs at least a minute to run"):
        parse_closing("2027-03-01 09:00", ROME, START - timedelta(seconds=30))
    with pytest.raises(VoteRequestError, match="A vote needs at least a minute to run"):
        parse_closing("0m", ROME, START)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-03-28 02:30", "does not exist in Europe/Rome"),
        ("2027-02-01 18:00", "in the past"),
        # The message is the shared reader's, which names both shapes a closing time takes.
        ("soon", "not a duration or a date and time I can read"),
        ("2 months", "not a duration or a date and time I can read"),
        ("1h 2h", "not a duration or a date and time I can read"),
        ("2027-03-08 25:00", "“25:00” is not a time I can read"),
        ("59 seconds", "not a duration or a date and time I can read"),
    ],
)
def test_closing_times_that_cannot_be_read_are_refused_by_the_shared_reader(
    value: str, message: str
) -> None:
    with pytest.raises(CadenceError, match=message):
        parse_closing(value, ROME, START)


@pytest.mark.parametrize(
    "value", ["100d", "90d 1m", "9999999999w", "2027-06-01 12:00", "9999-12-31 23:59"]
)
def test_closing_times_past_ninety_days_are_refused(value: str) -> None:
    with pytest.raises(VoteRequestError, match="at most 90 days"):
        parse_closing(value, ROME, START)


def test_an_unreadable_closing_time_is_repeated_cut_short_and_quoted_apart() -> None:
    typed = "when everyone in the circle has had the time to read it all " * 5
    with pytest.raises(CadenceError) as refused:
        parse_closing(typed, ROME, START)
    shown = str(refused.value).split("“", 1)[1].split("”", 1)[0]
    assert shown == echo(typed)
    assert len(shown) <= ECHO_CHARS
    # The text itself goes with the error, for the one who shows it to write as they may.
    assert refused.value.quoted == typed
    assert refused.value.message.startswith(f"“{QUOTED}” is not a duration")


# -- the reminder ---------------------------------------------------------------------------


def test_the_reminder_of_a_long_vote_is_an_hour_before_the_close() -> None:
    closes = START + timedelta(days=2)
    assert reminder_time(START, closes) == closes - timedelta(hours=1)


def test_the_reminder_of_a_vote_shorter_than_four_hours_leaves_a_quarter_of_it() -> None:
    closes = START + timedelta(hours=2)
    assert reminder_time(START, closes) == closes - timedelta(minutes=30)


def test_a_vote_too_short_to_leave_a_minute_after_its_reminder_has_none() -> None:
    assert reminder_time(START, START + timedelta(minutes=3, seconds=59)) is None
    four = START + timedelta(minutes=4)
    assert reminder_time(START, four) == four - timedelta(minutes=1)
