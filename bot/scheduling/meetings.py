"""When a circle meets to discuss a section: a rule over the section's post time.

Two kinds of rule, both in the schedule's time zone and on its local calendar, so a meeting
at 19:00 Europe/Rome stays at 19:00 when daylight saving time starts or ends:

- "the day after each post at 19:00" (`days_after` 0 to 13: 0 is the post's own day), and
- "every Thursday at 18:30": the first such time after the post.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.reading.text import QUOTED
from bot.scheduling.cadence import (
    HH_MM,
    WEEKDAY_WORDS,
    CadenceError,
    local_to_utc,
    time_of_day,
    weekday_name,
    zone,
)

MAX_DAYS_AFTER = 13
MIN_MINUTES, MAX_MINUTES = 15, 8 * 60
_TIME = re.compile(rf"(?<!\d){HH_MM}(?!\d)")
_DAYS_AFTER = re.compile(r"(?<!\d)(\d{1,2})\s*days?\s+after")


class MeetingKind(StrEnum):
    AFTER_POST = "after"
    WEEKLY = "weekly"


@dataclass(frozen=True)
class MeetingRule:
    """When each section's meeting starts, relative to the section's post."""

    kind: MeetingKind
    at: time
    tz_name: str
    days_after: int = 1
    weekday: int = 0

    def __post_init__(self) -> None:
        zone(self.tz_name)
        if not 0 <= self.days_after <= MAX_DAYS_AFTER:
            raise CadenceError(f"A meeting can be 0 to {MAX_DAYS_AFTER} days after its post.")
        if not 0 <= self.weekday <= 6:
            raise CadenceError("A weekday is 0 (Monday) to 6 (Sunday).")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    def start_for(self, posted_at: datetime) -> datetime:
        """The UTC start of the meeting about a section posted at `posted_at` (aware)."""
        tz = self.tz
        day = posted_at.astimezone(tz).date()
        if self.kind is MeetingKind.AFTER_POST:
            start = local_to_utc(day + timedelta(days=self.days_after), self.at, tz)
            # "Same day" before the post's own time means the next day's meeting.
            return start if start > posted_at else start + _one_local_day(start, self.at, tz)
        for offset in range(8):
            candidate = day + timedelta(days=offset)
            if candidate.weekday() == self.weekday:
                start = local_to_utc(candidate, self.at, tz)
                if start > posted_at:
                    return start
        raise AssertionError("a weekday comes round within eight days")  # pragma: no cover

    def describe(self) -> str:
        """Words for people: "the day after each post at 19:00 (Europe/Rome)"."""
        at = f"{self.at:%H:%M} ({self.tz_name})"
        if self.kind is MeetingKind.WEEKLY:
            return f"every {weekday_name(self.weekday)} at {at} after each post"
        if self.days_after == 0:
            return f"the day of each post at {at}"
        if self.days_after == 1:
            return f"the day after each post at {at}"
        return f"{self.days_after} days after each post at {at}"


def _one_local_day(start: datetime, at: time, tz: ZoneInfo) -> timedelta:
    local_day = start.astimezone(tz).date() + timedelta(days=1)
    return local_to_utc(local_day, at, tz) - start


def parse_rule(text: str, tz_name: str) -> MeetingRule:
    """A rule from words such as "day after 19:00", "2 days after 18:00", "same day 21:00",
    "thursday 18:30" or "every thu 18:30"; CadenceError says what it could not read."""
    lowered = text.strip().lower()
    found = _TIME.search(lowered)
    at = None if found is None else time_of_day(*found.groups())
    if at is None:
        raise CadenceError(
            f"“{QUOTED}” has no time I can read. Write it like “day after 19:00” or "
            "“thursday 18:30”.",
            quoted=text,
        )
    words = re.findall(r"[a-z]+", lowered)
    weekdays = {WEEKDAY_WORDS[w] for w in words if w in WEEKDAY_WORDS}
    if len(weekdays) > 1:
        raise CadenceError("A meeting rule takes one weekday, e.g. “thursday 18:30”.")
    if weekdays:
        return MeetingRule(MeetingKind.WEEKLY, at, tz_name, weekday=weekdays.pop())
    if (
        "same" in words
        or lowered.startswith("0 days")
        or ("of" in words and "day" in words and "after" not in words)
    ):
        return MeetingRule(MeetingKind.AFTER_POST, at, tz_name, days_after=0)
    counted = _DAYS_AFTER.search(lowered)
    if counted is not None:
        return MeetingRule(MeetingKind.AFTER_POST, at, tz_name, days_after=int(counted[1]))
    if "after" in words or "next" in words:
        return MeetingRule(MeetingKind.AFTER_POST, at, tz_name, days_after=1)
    raise CadenceError(
        f"“{QUOTED}” does not say which day. Write it like “day after 19:00”, "
        "“2 days after 18:00”, “same day 21:00” or “thursday 18:30”.",
        quoted=text,
    )


def rule_fields(rule: MeetingRule) -> tuple[str, time, int, int]:
    """(kind, time of day, days_after, weekday) as the database keeps them."""
    return rule.kind.value, rule.at, rule.days_after, rule.weekday


def rule_from_fields(
    kind: str, at: time, tz_name: str, days_after: int, weekday: int
) -> MeetingRule:
    return MeetingRule(MeetingKind(kind), at, tz_name, days_after, weekday)


def rule_text(rule: MeetingRule) -> str:
    """Words `parse_rule` reads back as `rule` (its time zone aside)."""
    if rule.kind is MeetingKind.WEEKLY:
        return f"{weekday_name(rule.weekday)} {rule.at:%H:%M}".lower()
    return f"{rule.days_after} days after {rule.at:%H:%M}"
