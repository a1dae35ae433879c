"""When a schedule posts: a local wall-clock time on chosen days, in an IANA time zone.

Occurrences are computed on the local calendar, so 18:00 Europe/Rome stays 18:00 across
daylight-saving changes. A local time that a DST change skips is moved forward by the gap;
a time that happens twice is taken the first time.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.reading.text import QUOTED, echo, listed

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Every word that names a weekday (0 = Monday): "thursday", "thursdays", "thu", "thurs"…
# Whole words only, as a phrase ("every thu 18:30") is read word by word.
WEEKDAY_WORDS: dict[str, int] = {
    name: index
    for index, full in enumerate(_WEEKDAY_NAMES)
    for name in (full, full + "s", full[:3])
} | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}


class CadenceError(ValueError):
    """A cadence, zone or date that cannot be used; `message` says why. Where it repeats what
    the member typed, it says `{quoted}` (QUOTED) and the text is `quoted`: `str(error)`
    writes it plainly (`echo`), and a service passes both on to its `UserError`, so that
    Discord shows the text escaped."""

    def __init__(self, message: str, *, quoted: str | None = None) -> None:
        super().__init__(message if quoted is None else message.replace(QUOTED, echo(quoted)))
        self.message = message
        self.quoted = quoted


class CadenceKind(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    EVERY_N_DAYS = "every_n_days"


TOO_FAR = "That date is too far in the future for a calendar to hold."
# A time of day as members write it: "18:00", "18.00" or "18h00". Every rule that reads a time
# builds on this pattern and checks the numbers with `time_of_day`.
HH_MM = r"(\d{1,2})[:.h](\d{2})"
_TIME = re.compile(rf"^\s*{HH_MM}\s*$")


def time_of_day(hour: str, minute: str) -> time | None:
    """The time `hour`:`minute` (as HH_MM reads them), or None when either is out of range."""
    h, m = int(hour), int(minute)
    return time(h, m) if h <= 23 and m <= 59 else None


def parse_time(text: str) -> time:
    """A time of day from "18:00" (or "18.00", "18h00")."""
    found = _TIME.match(text)
    at = None if found is None else time_of_day(*found.groups())
    if at is None:
        raise CadenceError(
            f"“{QUOTED}” is not a time I can read. Please write it as HH:MM, e.g. 18:00.",
            quoted=text,
        )
    return at


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date:
    """A day from "2027-03-01" (also "2027-3-1", and ISO's other ways of writing a day)."""
    found = _DATE.fullmatch(text.strip())
    try:
        if found:
            return date(int(found[1]), int(found[2]), int(found[3]))
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CadenceError(
            f"“{QUOTED}” is not a date I can read. Please write it as YYYY-MM-DD, e.g. 2027-03-01.",
            quoted=text,
        ) from None


@functools.cache
def all_zones() -> tuple[str, ...]:
    """Every IANA zone name known here, sorted (for autocomplete)."""
    return tuple(sorted(available_timezones()))


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(all_zones())


def zone(name: str) -> ZoneInfo:
    """The IANA zone called `name`, or a CadenceError that says how to find the right one."""
    cleaned = name.strip()
    try:
        if cleaned and cleaned in _zone_names():
            return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise CadenceError(
        f"“{QUOTED}” is not a time zone I know. Use an IANA name such as Europe/Rome, "
        "America/New_York or Asia/Kolkata (start typing to see suggestions).",
        quoted=name,
    )


def zone_suggestions(query: str, limit: int = 25) -> list[str]:
    """Zone names matching `query`: prefix matches first, then any that contain it."""
    q = query.strip().lower().replace(" ", "_")
    if not q:
        popular = ["UTC", "Europe/London", "Europe/Rome", "America/New_York", "Asia/Kolkata"]
        return popular[:limit]
    names = all_zones()
    first = [n for n in names if n.lower().startswith(q) or n.lower().split("/")[-1].startswith(q)]
    rest = [n for n in names if q in n.lower() and n not in first]
    return (first + rest)[:limit]


def weekday_name(weekday: int) -> str:
    """The English name of a weekday (0 = Monday): "Thursday"."""
    return date(2024, 1, 1 + weekday).strftime("%A")  # 2024-01-01 was a Monday


def parse_weekdays(text: str) -> frozenset[int]:
    """ "mon,thu" or "Monday Thursday" → {0, 3}."""
    days: set[int] = set()
    for part in text.replace(",", " ").split():
        day = WEEKDAY_WORDS.get(part.lower().strip(".;:"))  # "Sat." as "Sat"
        if day is None:
            raise CadenceError(
                f"“{QUOTED}” is not a weekday; use names like mon, tue, wed.", quoted=part
            )
        days.add(day)
    if not days:
        raise CadenceError("Choose at least one weekday, e.g. mon or mon,thu.")
    return frozenset(days)


def local_to_utc(day: date, at: time, tz: ZoneInfo, *, strict: bool = False) -> datetime:
    """The UTC instant of a local wall-clock time; a skipped time moves forward by the gap.

    With `strict`, a local time that does not exist that day raises CadenceError instead.
    """
    naive = datetime.combine(day, at)
    # fold=0 picks the first of a repeated time and, for a skipped one, the offset from
    # before the change: the same wall-clock time moved forward by the gap.
    try:
        instant = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    except OverflowError:
        raise CadenceError(TOO_FAR) from None
    if strict and instant.astimezone(tz).replace(tzinfo=None) != naive:
        raise CadenceError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks skip it "
            "for daylight saving. Please pick another time."
        )
    return instant


@dataclass(frozen=True)
class Cadence:
    """A recurring local time. `anchor` is the first day; `weekdays` for weekly (0 = Monday)."""

    kind: CadenceKind
    at: time
    tz_name: str
    anchor: date
    every_days: int = 1
    weekdays: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        zone(self.tz_name)
        if self.kind is CadenceKind.EVERY_N_DAYS and not 1 <= self.every_days <= 365:
            raise CadenceError("“Every N days” takes N from 1 to 365.")
        if self.kind is CadenceKind.WEEKLY and not self.weekdays:
            raise CadenceError("A weekly schedule needs at least one weekday.")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    def _day_matches(self, day: date) -> bool:
        if day < self.anchor:
            return False
        if self.kind is CadenceKind.DAILY:
            return True
        if self.kind is CadenceKind.WEEKLY:
            return day.weekday() in self.weekdays
        return (day - self.anchor).days % self.every_days == 0

    def next_after(self, moment: datetime) -> datetime:
        """The first occurrence strictly after `moment` (aware), in UTC."""
        tz = self.tz
        day = max(moment.astimezone(tz).date() - timedelta(days=1), self.anchor)
        # A year of days always holds an occurrence for the cadences allowed above.
        try:
            for _ in range(370 + self.every_days):
                if self._day_matches(day):
                    when = local_to_utc(day, self.at, tz)
                    if when > moment:
                        return when
                day += timedelta(days=1)
        except OverflowError:
            raise CadenceError(TOO_FAR) from None
        raise CadenceError("This cadence never comes round again.")  # pragma: no cover

    def first(self) -> datetime:
        """The first occurrence: on or after the anchor day's local time."""
        return self.next_after(local_to_utc(self.anchor, self.at, self.tz) - timedelta(seconds=1))

    def describe(self) -> str:
        """Words for people: "every Monday and Thursday at 18:00 (Europe/Rome)"."""
        at = f"{self.at:%H:%M} ({self.tz_name})"
        if self.kind is CadenceKind.DAILY:
            return f"every day at {at}"
        if self.kind is CadenceKind.EVERY_N_DAYS:
            return (
                f"every {self.every_days} days at {at}"
                if self.every_days > 1
                else f"every day at {at}"
            )
        names = [weekday_name(d) for d in sorted(self.weekdays)]
        return f"every {listed(names)} at {at}"
