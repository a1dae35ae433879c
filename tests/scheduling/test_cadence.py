"""Cadences keep local wall-clock time in their zone, across DST both ways."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reading.text import ECHO_CHARS, echo
from bot.scheduling.cadence import (
    Cadence,
    CadenceError,
    CadenceKind,
    local_to_utc,
    parse_date,
    parse_time,
    parse_weekdays,
    zone,
    zone_suggestions,
)
from bot.scheduling.durations import parse_duration, parse_moment
from bot.scheduling.meetings import parse_rule
from bot.scheduling.reminders import parse_offsets, parse_quiet
from tests.clocked import ROME


def _local(moment: datetime, tz: ZoneInfo = ROME) -> datetime:
    return moment.astimezone(tz)


def _series(cadence: Cadence, count: int) -> list[datetime]:
    out = [cadence.first()]
    while len(out) < count:
        out.append(cadence.next_after(out[-1]))
    return out


def test_weekly_monday_1800_rome_stays_1800_when_summer_time_starts() -> None:
    cadence = Cadence(
        CadenceKind.WEEKLY, time(18), "Europe/Rome", date(2027, 3, 15), weekdays=frozenset({0})
    )
    posts = _series(cadence, 3)  # 15, 22, 29 March 2027; DST starts 28 March
    assert [_local(p).strftime("%a %d %H:%M") for p in posts] == [
        "Mon 15 18:00",
        "Mon 22 18:00",
        "Mon 29 18:00",
    ]
    assert [p.hour for p in posts] == [17, 17, 16]  # the UTC hour moves, the local one doesn't


def test_daily_1800_rome_stays_1800_when_summer_time_ends() -> None:
    cadence = Cadence(CadenceKind.DAILY, time(18), "Europe/Rome", date(2027, 10, 30))
    posts = _series(cadence, 3)  # DST ends 31 October 2027
    assert [_local(p).strftime("%d %H:%M") for p in posts] == ["30 18:00", "31 18:00", "01 18:00"]
    assert posts[1] - posts[0] == timedelta(hours=25)


def test_a_time_skipped_by_dst_moves_forward_by_the_gap() -> None:
    cadence = Cadence(CadenceKind.DAILY, time(2, 30), "Europe/Rome", date(2027, 3, 27))
    posts = _series(cadence, 3)
    assert [_local(p).strftime("%d %H:%M") for p in posts] == ["27 02:30", "28 03:30", "29 02:30"]


def test_a_repeated_local_time_is_taken_the_first_time() -> None:
    when = local_to_utc(date(2027, 10, 31), time(2, 30), ROME)
    assert when == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_a_skipped_first_post_time_is_refused_when_strict() -> None:
    with pytest.raises(CadenceError, match="does not exist in Europe/Rome"):
        local_to_utc(date(2027, 3, 28), time(2, 30), ROME, strict=True)


def test_every_three_days_counts_from_the_anchor() -> None:
    cadence = Cadence(CadenceKind.EVERY_N_DAYS, time(9), "UTC", date(2027, 1, 1), every_days=3)
    assert [p.day for p in _series(cadence, 4)] == [1, 4, 7, 10]


def test_next_after_is_strictly_after() -> None:
    cadence = Cadence(CadenceKind.DAILY, time(18), "Europe/Rome", date(2027, 1, 1))
    first = cadence.first()
    assert cadence.next_after(first) == first + timedelta(days=1)
    assert cadence.next_after(first - timedelta(seconds=1)) == first


def test_nothing_before_the_anchor_day() -> None:
    cadence = Cadence(CadenceKind.DAILY, time(18), "UTC", date(2027, 6, 1))
    assert cadence.next_after(datetime(2020, 1, 1, tzinfo=UTC)) == datetime(
        2027, 6, 1, 18, tzinfo=UTC
    )


def test_weekdays_and_zones_are_read_kindly() -> None:
    assert parse_weekdays("Monday, thu") == frozenset({0, 3})
    with pytest.raises(CadenceError, match="not a weekday"):
        parse_weekdays("someday")
    assert zone(" Europe/Rome ").key == "Europe/Rome"
    with pytest.raises(CadenceError, match="IANA"):
        zone("Mars/Olympus_Mons")
    with pytest.raises(CadenceError):
        zone("../../etc/passwd")
    assert zone_suggestions("rome")[0] == "Europe/Rome"
    assert len(zone_suggestions("a")) == 25


def test_weekdays_are_the_words_a_meeting_rule_reads_too() -> None:
    assert parse_weekdays("Mondays thurs, SAT") == frozenset({0, 3, 5})
    assert parse_weekdays("Mon., Weds; Sat.") == frozenset({0, 2, 5})
    for typed in ("thursdays", "Sat.", "weds"):
        assert {parse_rule(f"{typed} 18:30", "UTC").weekday} == parse_weekdays(typed)
    for word in ("monkey", "sunny", "wednes", "mon-fri", "thus"):
        with pytest.raises(CadenceError, match=f"“{word}” is not a weekday"):
            parse_weekdays(word)
    with pytest.raises(CadenceError) as long:
        parse_weekdays("x" * 500)
    assert len(str(long.value)) < 200


def test_bad_cadences_are_refused() -> None:
    with pytest.raises(CadenceError, match="1 to 365"):
        Cadence(CadenceKind.EVERY_N_DAYS, time(9), "UTC", date(2027, 1, 1), every_days=0)
    with pytest.raises(CadenceError, match="weekday"):
        Cadence(CadenceKind.WEEKLY, time(9), "UTC", date(2027, 1, 1))


def test_describe_speaks_plainly() -> None:
    cadence = Cadence(
        CadenceKind.WEEKLY, time(18), "Europe/Rome", date(2027, 1, 1), weekdays=frozenset({0, 3})
    )
    assert cadence.describe() == "every Monday and Thursday at 18:00 (Europe/Rome)"


def test_every_error_repeats_at_most_the_echo_length_of_what_was_typed() -> None:
    typed = "Nowhere/" + "x" * 100
    errors = []
    parsers = (zone, lambda t: parse_rule(t, "UTC"), parse_offsets, parse_quiet, parse_time)
    longest = timedelta(days=90)
    durations = (
        lambda t: parse_duration(t, longest=longest),
        lambda t: parse_moment(t, ROME, datetime(2027, 3, 1, tzinfo=UTC), longest=longest),
    )
    for parse in (*parsers, parse_date, *durations):
        with pytest.raises(CadenceError) as refused:
            parse(typed)
        errors.append(str(refused.value))
    shown = typed[: ECHO_CHARS - 1] + "…"
    assert all(error.startswith(f"“{shown}” ") for error in errors), errors


def test_a_short_value_is_repeated_whole() -> None:
    with pytest.raises(CadenceError, match=r"^“Mars/Olympus” is not a time zone I know"):
        zone("Mars/Olympus")


def test_an_echo_is_cut_at_a_word_when_one_is_near() -> None:
    typed = "the second thursday of every month if it does not rain " * 3
    assert echo(typed) == "the second thursday of every month if it does not rain the…"
    assert echo("Mars/Olympus") == "Mars/Olympus"


def test_times_of_day_are_read_as_members_write_them() -> None:
    assert parse_time("18:00") == time(18)
    assert parse_time(" 7.05 ") == time(7, 5)
    assert parse_time("21h30") == time(21, 30)
    assert parse_date(" 2027-03-01 ") == date(2027, 3, 1)
    assert parse_date("2027-3-8") == date(2027, 3, 8)


@pytest.mark.parametrize("typed", ["24:00", "18:60", "18", "6pm", "18:00 tomorrow"])
def test_a_time_of_day_out_of_range_or_unreadable_is_refused(typed: str) -> None:
    with pytest.raises(CadenceError, match=rf"^“{typed}” is not a time I can read"):
        parse_time(typed)


@pytest.mark.parametrize("typed", ["1st of March", "2027-2-30", "2027-13-01"])
def test_a_date_not_written_as_yyyy_mm_dd_or_not_on_the_calendar_is_refused(typed: str) -> None:
    with pytest.raises(CadenceError, match=rf"^“{typed}” is not a date I can read"):
        parse_date(typed)
