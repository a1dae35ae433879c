"""Replies about a member's own reading: joined or left, done, progress, what to catch up."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.exts.discord_limits import ROLE_NAME_LIMIT
from bot.exts.text import channel_mention, inline, jump_url, label, plural
from bot.services.members import JoinResult, Marked, ProgressReport, SectionProgress

MAX_LINES = 25
NO_ROLE_PERMISSION = (
    "I can't manage roles here, so there is no circle role to give you "
    "(an admin can grant me Manage Roles)."
)
ROLE_ABOVE_MINE = "I can't give you the circle role: my role must be above it."
ROLE_NOT_GIVEN = "I couldn't give you the circle role after all: try `/join` again in a while."


def _link(guild_id: int, s: SectionProgress) -> str:
    url = jump_url(guild_id, s.thread_id or s.channel_id)
    title = inline(s.title, 200)
    return f"[{s.position}. {title}]({url})" if url else f"{s.position}. {title}"


def circle_role_name(reading_title: str) -> str:
    """The name of the role a schedule's members get."""
    return label(f"Circle · {reading_title}", ROLE_NAME_LIMIT)


def role_given_text(role_mention: str) -> str:
    return f"I'm giving you the {role_mention} role."


def roles_kept_text(role_mentions: Sequence[str]) -> str:
    """For /forget-me's report: the circle roles the member still has."""
    return f"I couldn't remove {', '.join(role_mentions)} from you: my role must be above it."


def thread_note(thread_id: int, *, active: bool) -> str:
    """/join's line on the current section's thread: being added to it, or, when it is not
    active (Discord adds no one to an archived thread), only its link."""
    if active:
        return f"I'm adding you to the current section's thread: {channel_mention(thread_id)}."
    return f"The current section's thread: {channel_mention(thread_id)}."


def thread_not_added_text(thread_id: int) -> str:
    return (
        "I couldn't add you to the current section's thread after all: open "
        f"{channel_mention(thread_id)} "
        "from the section's post to follow it."
    )


def joined_text(joined: JoinResult, notes: Sequence[str | None]) -> str:
    """The answer to /join: in the circle (or already), the notes on its role and thread
    (None where there is nothing to say), and how to mark what one has read."""
    first = (
        f"You were already in the circle of schedule #{joined.schedule_id}."
        if joined.already_member
        else f"You're in the circle of schedule #{joined.schedule_id}."
    )
    last = "Mark what you've read with `/done` or the Done button on each post."
    return "\n".join(line for line in (first, *notes, last) if line)


def left_text(schedule_id: int) -> str:
    """The answer to /leave."""
    return f"You left the circle of schedule #{schedule_id}. Your progress is kept."


def done_text(marked: Marked) -> str:
    """The answer to a Done click or a /done."""
    section, report = marked.section, marked.progress
    head = (
        f"Marked section {section.position} ({inline(section.title, 200)}) as read."
        if marked.new
        else f"You had already marked section {section.position} as read."
    )
    if report.behind == 0:
        return f"{head} You're caught up."
    left = plural(report.behind, "posted section")
    return f"{head} {left} left to read: `/catchup` lists them."


def progress_embed(guild_id: int, report: ProgressReport) -> discord.Embed:
    lines = [
        f"{'✅' if s.read else '▫️'} {_link(guild_id, s)}" for s in report.sections[-MAX_LINES:]
    ]
    posted = len(report.sections)
    read = posted - report.behind
    summary = (
        f"You've read {read} of the {plural(posted, 'section')} posted so far "
        f"({report.total_sections} in all)."
    )
    if posted and report.behind:
        summary += f" You're {report.behind} behind."
    elif posted:
        summary += " You're caught up."
    return discord.Embed(
        title=f"Your progress · schedule #{report.schedule_id}",
        description=summary + ("\n\n" + "\n".join(lines) if lines else ""),
        colour=discord.Colour.teal(),
    )


def catchup_embed(guild_id: int, report: ProgressReport) -> discord.Embed:
    unread = report.unread
    if not unread:
        text = "Nothing to catch up on: you've read every section posted so far."
    else:
        minutes = sum(max(1, round(s.words / 200)) for s in unread)
        text = f"Read these next, oldest first (about {minutes} min in all):\n\n" + "\n".join(
            _link(guild_id, s) for s in unread[:MAX_LINES]
        )
    return discord.Embed(title="Catch up", description=text, colour=discord.Colour.teal())
