"""When meetings start and reminders go out: local wall-clock times, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.scheduling.cadence import CadenceError
from bot.scheduling.meetings import MeetingKind, MeetingRule, parse_rule, rule_text
from bot.scheduling.reminders import (
    describe_offset,
    moment_before,
    parse_offsets,
    parse_quiet,
    quiet_until,
)
from tests.clocked import ROME


def test_a_meeting_at_19_in_rome_stays_at_19_across_the_spring_change() -> None:
    rule = parse_rule("day after 19:00", "Europe/Rome")
    # Posts on Mondays at 18:00; the clocks go forward on Sunday 28 March 2027.
    before = rule.start_for(datetime(2027, 3, 22, 17, 0, tzinfo=UTC))
    after = rule.start_for(datetime(2027, 3, 29, 16, 0, tzinfo=UTC))
    assert before == datetime(2027, 3, 23, 18, 0, tzinfo=UTC)  # 19:00 CET
    assert after == datetime(2027, 3, 30, 17, 0, tzinfo=UTC)  # 19:00 CEST
    assert {m.astimezone(ROME).time() for m in (before, after)} == {time(19, 0)}


def test_a_weekly_meeting_across_the_autumn_change_stays_at_its_wall_clock_time() -> None:
    rule = parse_rule("every thursday 18:30", "Europe/Rome")
    # The clocks go back on Sunday 31 October 2027.
    before = rule.start_for(datetime(2027, 10, 25, 16, 0, tzinfo=UTC))
    after = rule.start_for(datetime(2027, 11, 1, 17, 0, tzinfo=UTC))
    assert before == datetime(2027, 10, 28, 16, 30, tzinfo=UTC)  # 18:30 CEST
    assert after == datetime(2027, 11, 4, 17, 30, tzinfo=UTC)  # 18:30 CET


def test_meeting_rules_are_read_from_words_and_written_back_the_same() -> None:
    assert parse_rule("the day after each post at 19:00", "UTC").days_after == 1
    assert parse_rule("2 days after 18.00", "UTC").days_after == 2
    same = parse_rule("same day 21:00", "UTC")
    assert (same.kind, same.days_after) == (MeetingKind.AFTER_POST, 0)
    weekly = parse_rule("Thu 18:30", "UTC")
    assert (weekly.kind, weekly.weekday, weekly.at) == (MeetingKind.WEEKLY, 3, time(18, 30))
    for rule in (same, weekly, parse_rule("3 days after 07:05", "UTC")):
        assert parse_rule(rule_text(rule), "UTC") == rule


@pytest.mark.parametrize(
    "text",
    ["", "tomorrow", "day after", "monday tuesday 18:00", "25:00 day after", "20 days after 18:00"],
)
def test_a_rule_it_cannot_read_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(CadenceError):
        parse_rule(text, "UTC")


def test_a_same_day_meeting_before_the_post_time_is_the_next_day() -> None:
    rule = MeetingRule(MeetingKind.AFTER_POST, time(9, 0), "UTC", days_after=0)
    assert rule.start_for(datetime(2027, 3, 1, 12, 0, tzinfo=UTC)) == datetime(
        2027, 3, 2, 9, 0, tzinfo=UTC
    )


def test_one_day_before_is_a_day_of_wall_time_and_an_hour_is_an_hour() -> None:
    # The meeting is on Monday 29 March 2027 at 19:00 CEST; the clocks went forward Sunday.
    meeting = datetime(2027, 3, 29, 19, 0, tzinfo=ROME).astimezone(UTC)
    day_before = moment_before(meeting, 24 * 60, ROME)
    assert day_before.astimezone(ROME) == datetime(2027, 3, 28, 19, 0, tzinfo=ROME)
    assert (meeting - day_before).total_seconds() == 24 * 3600
    saturday = moment_before(meeting, 2 * 24 * 60, ROME)
    assert saturday.astimezone(ROME) == datetime(2027, 3, 27, 19, 0, tzinfo=ROME)
    assert (meeting - saturday).total_seconds() == 47 * 3600  # one hour was skipped
    assert (meeting - moment_before(meeting, 60, ROME)).total_seconds() == 3600


def test_offsets_and_quiet_hours_read_from_words() -> None:
    assert parse_offsets("1d, 1h") == (1440, 60)
    assert parse_offsets("2 hours and 30 minutes") == (120, 30)
    assert describe_offset(1440 + 360) == "1 day 6 hours"
    assert parse_quiet("22:00-08:00") == (time(22, 0), time(8, 0))
    for bad in ("soon", "1d 1h 2h 3h", "1m", "3w"):
        with pytest.raises(CadenceError):
            parse_offsets(bad)
    with pytest.raises(CadenceError):
        parse_quiet("22:00")


@pytest.mark.parametrize(
    ("typed", "offsets"),
    [
        ("1d, 1h", (1440, 60)),
        ("1d and 1h", (1440, 60)),
        ("1 DAY, 1 Hour", (1440, 60)),
        ("1w, 1d, 30m", (7 * 1440, 1440, 30)),
        ("1h, 1d, 1h", (1440, 60)),
        ("1d, 1h,", (1440, 60)),
    ],
)
def test_commas_and_and_separate_the_reminders_before_a_meeting(
    typed: str, offsets: tuple[int, ...]
) -> None:
    assert parse_offsets(typed) == offsets


@pytest.mark.parametrize(
    ("typed", "offsets"),
    [
        ("1 day 30 minutes", (1470,)),
        ("1d12h", (2160,)),
        ("1d 12h", (2160,)),
        ("1 day 12 hours, 2 hours", (2160, 120)),
        ("1h 30m and 10 mins", (90, 10)),
    ],
)
def test_each_reminder_before_a_meeting_is_one_duration_as_votes_read_it(
    typed: str, offsets: tuple[int, ...]
) -> None:
    assert parse_offsets(typed) == offsets


def test_reminders_before_a_meeting_read_back_as_the_settings_show_them() -> None:
    chosen = (2160, 1470, 90)
    shown = ", ".join(describe_offset(minutes) for minutes in chosen)
    assert shown == "1 day 12 hours, 1 day 30 minutes, 1 hour 30 minutes"
    assert parse_offsets(shown) == chosen


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1d 1h 2h 3h", "is not a list of times I can read. Write it like “1d, 1h”"),
        ("1h 2h", "is not a list of times I can read"),
        (",", "is not a list of times I can read"),
        ("2 months", "is not a list of times I can read"),
        ("1d, 1h, 2h, 3h", "at most 3 reminders"),
        ("1m", "5 minutes to 2 weeks"),
        ("2w 1m", "5 minutes to 2 weeks"),
        ("99999999999999999999d", "5 minutes to 2 weeks"),
    ],
)
def test_reminders_before_a_meeting_that_cannot_be_are_refused(typed: str, message: str) -> None:
    with pytest.raises(CadenceError, match=message):
        parse_offsets(typed)


@pytest.mark.parametrize("typed", ["off", "none", " OFF ", "None"])
def test_off_or_none_turns_reminders_before_meetings_and_quiet_hours_off(typed: str) -> None:
    assert parse_offsets(typed) == ()
    assert parse_quiet(typed) is None


def test_an_offset_of_many_units_names_each_in_the_right_number() -> None:
    assert describe_offset(7 * 1440 + 1440 + 60 + 1) == "1 week 1 day 1 hour 1 minute"
    assert describe_offset(2 * 1440 + 90) == "2 days 1 hour 30 minutes"


def test_quiet_hours_across_midnight_hold_a_reminder_until_they_end() -> None:
    start, end = time(22, 0), time(8, 0)
    late = datetime(2027, 3, 1, 23, 30, tzinfo=ROME)
    early = datetime(2027, 3, 2, 6, 0, tzinfo=ROME)
    noon = datetime(2027, 3, 2, 12, 0, tzinfo=ROME)
    morning = datetime(2027, 3, 2, 8, 0, tzinfo=ROME).astimezone(UTC)
    assert quiet_until(late, ROME, start, end) == morning
    assert quiet_until(early, ROME, start, end) == morning
    assert quiet_until(noon, ROME, start, end) is None
