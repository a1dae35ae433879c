"""Replies about a member's own reading: joined, done, progress, what to catch up."""

from __future__ import annotations

import discord

from bot.exts.text import inline, jump_url, plural
from bot.services.members import Marked, PostedSection, ProgressReport

MAX_LINES = 25


def _link(guild_id: int, s: PostedSection) -> str:
    url = jump_url(guild_id, s.thread_id or s.channel_id)
    title = inline(s.title, 200)
    return f"[{s.position}. {title}]({url})" if url else f"{s.position}. {title}"


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
