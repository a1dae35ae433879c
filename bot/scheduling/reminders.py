"""When a member's reminders go out: offsets before a moment, and quiet hours.

An offset of whole days is counted on the local calendar ("1 day before" a 19:00 meeting is
19:00 the day before, even across a daylight-saving change, so 23 or 25 hours then); hours
and minutes are counted as elapsed time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.reading.text import QUOTED, plural
from bot.scheduling.cadence import HH_MM, CadenceError, local_to_utc, time_of_day
from bot.scheduling.durations import TooLong, parse_duration

DAY = 24 * 60
MIN_OFFSET, MAX_OFFSET = 5, 14 * DAY
MAX_OFFSETS = 3
# What separates the reminders of a list: "1d, 1h" and "1d and 1h" are two.
_SEPARATOR = re.compile(r",|\band\b", re.IGNORECASE)
_BOUNDS = "A reminder can be 5 minutes to 2 weeks before a meeting."
# What a member types to turn reminders before meetings, or quiet hours, off.
OFF = frozenset({"off", "none"})
_QUIET = re.compile(rf"^\s*{HH_MM}\s*(?:-|–|to)\s*{HH_MM}\s*$")


def parse_offsets(text: str) -> tuple[int, ...]:
    """Minutes before a meeting, from "1d, 1h" or "1 day 12 hours and 30m": commas and "and"
    separate the reminders, each a duration as `parse_duration` reads it ("1 day 30 minutes"
    is one reminder, as the settings show it). Sorted from the earliest reminder, without
    repeats; "off" or "none": ()."""
    cleaned = text.strip()
    if cleaned.lower() in OFF:
        return ()
    unreadable = CadenceError(
        f"“{QUOTED}” is not a list of times I can read. Write it like “1d, 1h” or "
        "“1 day 12 hours, 2 hours” (w, d, h and m for weeks, days, hours and minutes).",
        quoted=text,
    )
    items = [item for item in _SEPARATOR.split(cleaned) if item.strip()]
    if not items:
        raise unreadable
    offsets: set[int] = set()
    for item in items:
        try:
            span = parse_duration(item, longest=timedelta(minutes=MAX_OFFSET))
        except TooLong:
            raise CadenceError(_BOUNDS) from None
        except CadenceError:
            raise unreadable from None
        offsets.add(span // timedelta(minutes=1))
    if len(offsets) > MAX_OFFSETS:
        raise CadenceError(f"Choose at most {MAX_OFFSETS} reminders before a meeting.")
    if any(not MIN_OFFSET <= minutes <= MAX_OFFSET for minutes in offsets):
        raise CadenceError(_BOUNDS)
    return tuple(sorted(offsets, reverse=True))


def describe_offset(minutes: int) -> str:
    """ "1 day", "2 hours", "1 day 6 hours"."""
    words = []
    for size, one in ((7 * DAY, "week"), (DAY, "day"), (60, "hour"), (1, "minute")):
        count, minutes = divmod(minutes, size)
        if count:
            words.append(plural(count, one))
    return " ".join(words) or "0 minutes"


def moment_before(start: datetime, minutes: int, tz: ZoneInfo) -> datetime:
    """When a reminder `minutes` before `start` goes out: whole days on the wall clock."""
    days, rest = divmod(minutes, DAY)
    local = start.astimezone(tz)
    moment = start
    if days:
        moment = local_to_utc(local.date() - timedelta(days=days), local.time(), tz)
    return moment - timedelta(minutes=rest)


def parse_quiet(text: str) -> tuple[time, time] | None:
    """Quiet hours from "22:00-08:00"; None (no quiet hours) from "off" or "none"."""
    if text.strip().lower() in OFF:
        return None
    found = _QUIET.match(text)
    if found is None:
        raise CadenceError(
            f"“{QUOTED}” is not a span of hours I can read. Write it like “22:00-08:00”.",
            quoted=text,
        )
    h1, m1, h2, m2 = found.groups()
    start, end = time_of_day(h1, m1), time_of_day(h2, m2)
    if start is None or end is None or start == end:
        raise CadenceError("Quiet hours go from one time of day to another, e.g. 22:00-08:00.")
    return start, end


def quiet_until(moment: datetime, tz: ZoneInfo, start: time, end: time) -> datetime | None:
    """The end of the quiet hours `moment` falls in (UTC), or None when it is not quiet."""
    local = moment.astimezone(tz)
    now = local.time().replace(tzinfo=None)
    if start < end:
        quiet = start <= now < end
        end_day = local.date()
    else:  # across midnight, as 22:00-08:00
        quiet = now >= start or now < end
        end_day = local.date() + timedelta(days=1 if now >= start else 0)
    if not quiet:
        return None
    return local_to_utc(end_day, end, tz).astimezone(UTC)
