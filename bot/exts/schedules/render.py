"""Messages for section posts: the announcement embed, its thread's name and text."""

from __future__ import annotations

import discord

from bot.db.models.schedules import ScheduleStatus
from bot.exts.discord_limits import EMBED_TITLE_LIMIT, FIELD_VALUE_LIMIT, THREAD_NAME_LIMIT
from bot.exts.text import channel_mention, inline, label, role_mention, shorten, timestamp
from bot.reading.chunks import split_messages
from bot.reading.prompts import STAGE_LABELS
from bot.services.posting import PostPlan
from bot.services.schedules import ScheduleInfo


def section_label(plan: PostPlan) -> str:
    first, last = plan.sections[0].position, plan.sections[-1].position
    numbers = f"{first}" if first == last else f"{first}–{last}"
    word = "Section" if first == last else "Sections"
    return f"{word} {numbers} of {plan.total_sections}"


def thread_name(plan: PostPlan) -> str:
    first = plan.sections[0]
    return label(f"{first.position} · {first.title}", THREAD_NAME_LIMIT)


def announcement_embed(plan: PostPlan) -> discord.Embed:
    """The section post: what to read, how long it takes, what to discuss, what comes next."""
    titles = " · ".join(inline(s.title, 120) for s in plan.sections)
    words = sum(s.words for s in plan.sections)
    minutes = sum(s.minutes for s in plan.sections)
    lines = [f"**{section_label(plan)}** · {words:,} words · about {minutes} min"]
    if plan.late_by is not None:
        lines.append(f"*This post is late: it was due {timestamp(plan.due_at, 'F')}.*")
    lines.append("The full text is in the thread below.")
    embed = discord.Embed(
        title=shorten(titles, EMBED_TITLE_LIMIT),
        description="\n".join(lines),
        colour=discord.Colour.teal(),
    )
    embed.set_author(name=label(plan.reading_title, EMBED_TITLE_LIMIT))
    if plan.focus:
        embed.add_field(
            name="Focus for this session",
            value=inline(plan.focus, FIELD_VALUE_LIMIT),
            inline=False,
        )
    for section in plan.sections:
        if not section.prompts:
            continue
        value = "\n".join(
            f"{n}. *{STAGE_LABELS[p.kind]}:* {inline(p.text, 400)}"
            for n, p in enumerate(section.prompts, 1)
        )
        name = (
            "Discussion prompts"
            if len(plan.sections) == 1
            else f"Prompts · {inline(section.title, 200)}"
        )
        embed.add_field(
            name=shorten(name, EMBED_TITLE_LIMIT),
            value=shorten(value, FIELD_VALUE_LIMIT),
            inline=False,
        )
    if plan.next_post_at is not None:
        next_line = f"{timestamp(plan.next_post_at, 'F')} ({timestamp(plan.next_post_at, 'R')})"
    else:
        next_line = "This is the last section of the reading."
    embed.add_field(name="Next section", value=next_line, inline=True)
    if plan.members:
        embed.add_field(
            name="Caught up",
            value=f"{plan.caught_up} of {plan.members} members",
            inline=True,
        )
    embed.set_footer(text="Press Done when you have read it · /progress shows where you are")
    return embed


def thread_messages(plan: PostPlan) -> list[str]:
    """The full text of the post's sections, in messages Discord accepts."""
    messages: list[str] = []
    for section in plan.sections:
        messages.extend(split_messages(section.text))
    return messages


def role_ping(plan: PostPlan) -> tuple[str | None, discord.AllowedMentions]:
    """The announcement's content and mentions: the circle role when asked for, else nobody."""
    if plan.ping_role and plan.role_id:
        allowed = discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(plan.role_id)]
        )
        return role_mention(plan.role_id), allowed
    return None, discord.AllowedMentions.none()


def failure_text(schedule_id: int, error: str) -> str:
    return (
        f"I could not post the next section of schedule #{schedule_id} after several tries "
        f"({shorten(error, 300)}). I will try again at the next scheduled time. Check that I "
        "can still see the channel, send messages, embed links and create threads there."
    )


def schedule_embed(schedule: ScheduleInfo, *, title: str | None = None) -> discord.Embed:
    """A schedule at a glance: what, where, when next, how far along."""
    where = channel_mention(schedule.channel_id) + (" (forum)" if schedule.forum else "")
    if schedule.status == ScheduleStatus.ACTIVE and schedule.next_post_at is not None:
        upcoming = (
            f"{timestamp(schedule.next_post_at, 'F')} ({timestamp(schedule.next_post_at, 'R')})"
        )
    elif schedule.status == ScheduleStatus.PAUSED:
        upcoming = "paused: `/schedule resume` to go on"
    else:
        upcoming = "none: every section has been posted"
    embed = discord.Embed(
        title=title or f"Schedule #{schedule.id} · {inline(schedule.reading_title, 200)}",
        colour=discord.Colour.teal(),
    )
    embed.add_field(name="Channel", value=where, inline=True)
    embed.add_field(name="Status", value=schedule.status, inline=True)
    embed.add_field(name="Members", value=str(schedule.members), inline=True)
    embed.add_field(name="Cadence", value=schedule.cadence, inline=False)
    embed.add_field(name="Next post", value=upcoming, inline=False)
    per_post = f", {schedule.sections_per_post} per post" if schedule.sections_per_post > 1 else ""
    embed.add_field(
        name="Progress",
        value=f"{schedule.posted_sections} of {schedule.total_sections} sections posted, "
        f"{schedule.sections_left} left{per_post}",
        inline=False,
    )
    # A footer shows no mentions, so the role is named in words rather than by its id.
    pings = "posts ping the circle role" if schedule.ping_role else "posts ping nobody"
    embed.set_footer(text=f"Missed posts: {schedule.missed_policy} · {pings}")
    return embed


def created_embed(schedule: ScheduleInfo) -> discord.Embed:
    """The answer to /schedule create: the new schedule, and whether its posts ping."""
    embed = schedule_embed(schedule, title=f"Schedule #{schedule.id} created")
    embed.description = "Members can now `/join` it. " + (
        "Each post pings the circle's role." if schedule.ping_role else "Posts ping nobody."
    )
    return embed


def paused_text(schedule_id: int) -> str:
    """The answer to /schedule pause."""
    return f"Schedule #{schedule_id} paused."


def resumed_text(schedule_id: int) -> str:
    """The answer to /schedule resume."""
    return f"Schedule #{schedule_id} resumed."


def skipped_text(schedule_id: int) -> str:
    """The answer to /schedule skip."""
    return f"Skipped the next post of #{schedule_id}."


def posting_now_text(schedule_id: int) -> str:
    """The answer to /schedule post-now."""
    return f"The next section of #{schedule_id} is on its way."


def deleted_text(schedule: ScheduleInfo) -> str:
    """The answer to /schedule delete."""
    return (
        f"Deleted schedule #{schedule.id} ({inline(schedule.reading_title, 200)}). "
        "Its posts and threads stay where they are."
    )
