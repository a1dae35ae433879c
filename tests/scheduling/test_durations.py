"""Durations and moments ahead as members type them: one reading for every command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.scheduling.cadence import CadenceError
from bot.scheduling.durations import TooLong, parse_duration, parse_moment
from tests.clocked import ROME, START

NEW_YORK = ZoneInfo("America/New_York")
QUARTER = timedelta(days=90)


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("2d", timedelta(days=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1d 12h", timedelta(days=1, hours=12)),
        ("2 days", timedelta(days=2)),
        ("1 day 12 hours", timedelta(days=1, hours=12)),
        ("90m", timedelta(minutes=90)),
        ("1h 30m", timedelta(minutes=90)),
        ("30m 1h", timedelta(minutes=90)),
        ("1w", timedelta(weeks=1)),
        ("2 weeks", timedelta(weeks=2)),
        ("3 hrs", timedelta(hours=3)),
        ("90 mins", timedelta(minutes=90)),
        ("1 minute", timedelta(minutes=1)),
        ("  3h  ", timedelta(hours=3)),
    ],
)
def test_a_duration_reads_in_letters_or_in_words(typed: str, span: timedelta) -> None:
    assert parse_duration(typed, longest=QUARTER) == span


@pytest.mark.parametrize(
    ("typed", "span"),
    [
        ("2D", timedelta(days=2)),
        ("2 Days", timedelta(days=2)),
        ("1H30M", timedelta(minutes=90)),
        ("1 DAY 12 HOURS", timedelta(days=1, hours=12)),
    ],
)
def test_a_duration_reads_in_any_case(typed: str, span: timedelta) -> None:
    assert parse_duration(typed, longest=QUARTER) == span


@pytest.mark.parametrize(
    "typed", ["soon", "", "2", "d", "2 months", "1d and 1h", "1d, 1h", "-1d", "1.5h", "2 days!"]
)
def test_what_is_not_a_duration_is_refused_with_examples(typed: str) -> None:
    with pytest.raises(CadenceError, match=r"is not a duration I can read\. Write it like 2d, 3h"):
        parse_duration(typed, longest=QUARTER)


@pytest.mark.parametrize("typed", ["1h 2h", "1d 1h 2h 3h", "2 days 1d"])
def test_a_unit_named_twice_is_not_one_duration(typed: str) -> None:
    # "1h 2h" is a list written without commas, never 3 hours.
    with pytest.raises(CadenceError, match="not a duration I can read"):
        parse_duration(typed, longest=QUARTER)


def test_a_duration_as_long_as_the_longest_allowed_is_read() -> None:
    assert parse_duration("90d", longest=QUARTER) == QUARTER
    assert parse_duration("2160h", longest=QUARTER) == QUARTER


@pytest.mark.parametrize("typed", ["90d 1m", "100d", "13w", "9999999999w", "9" * 5000 + "d"])
def test_a_duration_past_the_longest_is_too_long_however_huge(typed: str) -> None:
    with pytest.raises(TooLong, match="is more than 90 days away"):
        parse_duration(typed, longest=QUARTER)


def test_a_count_padded_with_zeros_is_read_by_its_value() -> None:
    assert parse_duration("0" * 5000 + "1d", longest=QUARTER) == timedelta(days=1)


def test_too_long_is_a_cadence_error_so_every_service_already_turns_it() -> None:
    with pytest.raises(CadenceError):
        parse_duration("3w", longest=timedelta(weeks=2))


def test_a_moment_is_a_duration_from_now() -> None:
    assert parse_moment("2 days", ROME, START, longest=QUARTER) == START + timedelta(days=2)
    assert parse_moment("1h 30m", ROME, START, longest=QUARTER) == START + timedelta(minutes=90)


@pytest.mark.parametrize(
    "typed", ["2027-03-08 18:00", "2027-03-08 18.00", "2027-03-08 18h00", "2027-03-08T18:00"]
)
def test_a_moment_is_a_date_and_time_on_the_zones_wall_clock(typed: str) -> None:
    assert parse_moment(typed, ROME, START, longest=QUARTER) == datetime(2027, 3, 8, 17, tzinfo=UTC)
    assert parse_moment(typed, NEW_YORK, START, longest=QUARTER) == datetime(
        2027, 3, 8, 23, tzinfo=UTC
    )


def test_a_moment_the_clocks_skip_is_refused() -> None:
    with pytest.raises(CadenceError, match="does not exist in Europe/Rome"):
        parse_moment("2027-03-28 02:30", ROME, START, longest=QUARTER)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("2027-02-01 18:00", "2027-02-01 18:00"),
        ("2027-03-01 09:00", "2027-03-01 09:00"),  # 08:00 UTC, the moment now
        ("0001-01-01 00:00", "0001-01-01 00:00"),  # before the first date a zone can convert
    ],
)
def test_a_moment_past_is_refused(typed: str, shown: str) -> None:
    with pytest.raises(CadenceError, match=rf"^{shown} \(Europe/Rome\) is in the past"):
        parse_moment(typed, ROME, START, longest=QUARTER)


@pytest.mark.parametrize("typed", ["2027-06-01 12:00", "9999-12-31 23:59"])
def test_a_moment_past_the_longest_is_too_long_even_at_the_end_of_the_calendar(
    typed: str,
) -> None:
    for tz in (ROME, NEW_YORK):
        with pytest.raises(TooLong):
            parse_moment(typed, tz, START, longest=QUARTER)


def test_a_date_with_a_time_that_cannot_be_names_the_time() -> None:
    with pytest.raises(CadenceError, match=r"^“25:00” is not a time I can read"):
        parse_moment("2027-03-08 25:00", ROME, START, longest=QUARTER)


def test_a_date_that_cannot_be_names_the_date() -> None:
    with pytest.raises(CadenceError, match=r"^“2027-02-30” is not a date I can read"):
        parse_moment("2027-02-30 18:00", ROME, START, longest=QUARTER)


@pytest.mark.parametrize("typed", ["soon", "tomorrow evening", "2027-03-08", "18:00", "1h 2h"])
def test_an_unreadable_moment_is_refused_with_both_shapes(typed: str) -> None:
    with pytest.raises(CadenceError) as refused:
        parse_moment(typed, ROME, START, longest=QUARTER)
    message = str(refused.value)
    assert message.startswith(f"“{typed}” is not a duration or a date and time I can read")
    assert "2d, 3h, 90m or 1d 12h" in message
    assert "2027-03-08 18:00" in message
