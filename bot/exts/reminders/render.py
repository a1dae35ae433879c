"""The words of reminder DMs and of `/remind`."""

from __future__ import annotations

from bot.exts.text import inline, plural, timestamp
from bot.scheduling.cadence import weekday_name
from bot.services.reminders import (
    BEHIND_AT,
    BEHIND_WEEKDAY,
    DEFAULT_ZONE,
    ReminderKind,
    ReminderMessage,
    ReminderSettings,
    Suggestion,
)

# When the weekly nudge comes (spread over the hour): "Sundays around 10:00".
WEEKLY_AT = f"{weekday_name(BEHIND_WEEKDAY)}s around {BEHIND_AT:%H:%M}"

CLOSED_NOTICE = (
    "I couldn't send you a reminder by direct message (your DMs are closed to me), so your "
    "reminders have stopped. To get them again, allow direct messages from this server's "
    "members (Privacy Settings) and run `/remind` once."
)


def dm_text(message: ReminderMessage) -> str:
    """One reminder, written for the member alone (a DM never pings anyone else)."""
    reading = inline(message.reading_title, 200)
    section = f"section {message.position}, {inline(message.section_title, 200)}"
    footer = "\n-# You asked for this reminder; `/remind` in the server changes it."
    if message.kind == ReminderKind.POST:
        where = f": {message.link}" if message.link else "."
        return f"**{reading}**: {section} is posted{where}{footer}"
    if message.kind == ReminderKind.MEETING:
        assert message.starts_at is not None
        when = f"{timestamp(message.starts_at, 'F')} ({timestamp(message.starts_at, 'R')})"
        event = f"\nEvent: {message.event_link}" if message.event_link else ""
        return f"**{reading}**: the meeting on {section} is {when}.{event}{footer}"
    if message.kind == ReminderKind.VOTE:
        assert message.starts_at is not None
        where = f"\nVote here: {message.link}" if message.link else ""
        return (
            f"**{reading}**: the vote “{inline(message.question, 200)}” closes "
            f"{timestamp(message.starts_at, 'R')} and you have not voted yet.{where}{footer}"
        )
    return (
        f"You are {plural(message.behind, 'section')} behind in your circles. "
        f"`/catchup` in the server shows what to read next.{footer}"
    )


def settings_text(settings: ReminderSettings, *, changed: bool) -> str:
    def on(value: bool) -> str:
        return "on" if value else "off"

    quiet = f"{settings.quiet[0]:%H:%M}–{settings.quiet[1]:%H:%M}" if settings.quiet else "none"
    lines = [
        "Your reminders are saved:" if changed else "Your reminders, by direct message:",
        f"- when a section is posted: **{on(settings.on_post)}**",
        f"- before a meeting: **{settings.describe_meeting()}**",
        f"- before a vote you have not voted in closes: **{on(settings.before_vote)}**",
        f"- weekly, if you are behind ({WEEKLY_AT}): **{on(settings.weekly_behind)}**",
        f"- quiet hours: **{quiet}** in {settings.tz or DEFAULT_ZONE} (`/settings timezone`)",
    ]
    if not settings.any_on:
        lines.append("Nothing is on: choose the options of `/remind` to turn reminders on.")
    if settings.dms_closed:
        lines.append("Your DMs were closed when I last tried; change any option to try again.")
    return "\n".join(lines)


def suggestions_text(suggestions: list[Suggestion]) -> str:
    if not suggestions:
        return ""
    lines = ["Your circles' facilitators suggest:"]
    lines += [f"- {s.describe()}" for s in suggestions]
    lines.append("`/remind suggested:True` takes these; nothing is on until you do.")
    return "\n".join(lines)
