"""Durations and moments ahead as members type them.

A duration is one or more counts with a unit, in any order, with or without spaces, in any
case: "2d", "1d12h", "2 days", "1 day 12 hours", "90m", "1h 30m" (w, d, h, m; week, day, hour,
minute, also plural; hr, hrs, min, mins). Each unit comes once: "1h 2h" is refused, never read
as 3h; a list of durations is the caller's to split (`/remind` splits at commas and "and").
A moment ahead is a duration from now, or a local date and time: "2027-03-08 18:00" (also
"18.00", "18h00", or ISO's "2027-03-08T18:00").
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.reading.text import QUOTED, plural
from bot.scheduling.cadence import CadenceError, local_to_utc, parse_date, parse_time

_UNITS = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
}
# A unit is read by its first letter; the lookahead (not \b) lets "1d12h" read as two parts
# and keeps "2 months" from reading as two minutes.
_UNIT = r"(?:weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m)(?![a-z])"
_PART = re.compile(rf"\s*(\d+)\s*({_UNIT})", re.IGNORECASE)
_DURATION = re.compile(rf"(?:{_PART.pattern})+\s*", re.IGNORECASE)
# A count this many digits long is past any bound a caller sets, and int() would refuse
# one of more than 4,300 digits.
_MAX_DIGITS = 12
_DATE_TIME = re.compile(r"\s*(\d{4}-\d{1,2}-\d{1,2})(?:\s+|[Tt])(\S.*?)\s*")
_EXAMPLES = "2d, 3h, 90m or 1d 12h"


class TooLong(CadenceError):
    """A duration or a moment further than the longest the caller allows. Callers that have
    their own words for their bound ("a vote can run for at most 90 days") say it instead."""

    def __init__(self, text: str, longest: timedelta) -> None:
        super().__init__(f"“{QUOTED}” is more than {_days(longest)} away.", quoted=text)


def _days(span: timedelta) -> str:
    """ "90 days", "1 day", or "30 minutes" for a span shorter than a day."""
    if span >= timedelta(days=1):
        return plural(span // timedelta(days=1), "day")
    return plural(span // timedelta(minutes=1), "minute")


def _duration(text: str, longest: timedelta) -> timedelta | None:
    """The duration `text` spells, or None when it does not spell one; TooLong past `longest`."""
    if not _DURATION.fullmatch(text):
        return None
    total = timedelta()
    seen: set[str] = set()
    for digits, word in _PART.findall(text):
        unit = word[0].lower()
        if unit in seen:
            return None
        seen.add(unit)
        # Each part is checked before it is multiplied: "9999999999w" is past what a
        # timedelta (or a date) can hold.
        significant = digits.lstrip("0") or "0"
        if len(significant) > _MAX_DIGITS or int(significant) > longest / _UNITS[unit]:
            raise TooLong(text, longest)
        total += int(significant) * _UNITS[unit]
    if total > longest:
        raise TooLong(text, longest)
    return total


def parse_duration(text: str, *, longest: timedelta) -> timedelta:
    """A duration from "2d", "1d12h", "2 days", "1 day 12 hours", "90m" or "1h 30m"; TooLong
    when it is longer than `longest`."""
    found = _duration(text, longest)
    if found is None:
        raise CadenceError(
            f"“{QUOTED}” is not a duration I can read. Write it like {_EXAMPLES} "
            "(w, d, h and m for weeks, days, hours and minutes).",
            quoted=text,
        )
    return found


def parse_moment(text: str, tz: ZoneInfo, now: datetime, *, longest: timedelta) -> datetime:
    """The moment `text` names, in UTC: a duration from `now` ("2d", "1 day 12 hours") or a
    date and time on the wall clock of `tz` ("2027-03-08 18:00"). Refused: a local time the
    clocks skip, a time past, and (TooLong) anything more than `longest` after `now`."""
    delta = _duration(text, longest)
    if delta is not None:
        return now + delta
    found = _DATE_TIME.fullmatch(text)
    if found is None:
        raise CadenceError(
            f"“{QUOTED}” is not a duration or a date and time I can read. Write a "
            f"duration such as {_EXAMPLES}, or a date and time such as 2027-03-08 18:00.",
            quoted=text,
        )
    day, at = parse_date(found[1]), parse_time(found[2])
    local = datetime.combine(day, at)
    ahead = local - now.astimezone(tz).replace(tzinfo=None)
    # Compared on the wall clock before converting, so that year 9999 is refused as too far
    # and year 1 as past rather than overflowing; a day's margin covers any zone's offsets.
    if ahead > longest:
        raise TooLong(text, longest)
    when = None if ahead < -timedelta(days=1) else local_to_utc(day, at, tz, strict=True)
    if when is None or when <= now:
        raise CadenceError(
            f"{day.isoformat()} {at:%H:%M} ({tz.key}) is in the past. Please pick a time from "
            "now on."
        )
    if when - now > longest:
        raise TooLong(text, longest)
    return when
