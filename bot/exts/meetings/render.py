"""What a meeting's Discord event says, and the line a section post gets about it."""

from __future__ import annotations

from datetime import datetime

import discord

from bot.exts.discord_limits import EVENT_DESCRIPTION_LIMIT, EVENT_NAME_LIMIT
from bot.exts.text import block, channel_mention, inline, label, plural, timestamp
from bot.links import event_url
from bot.services.meetings import EventSpec, PlanInfo

MEETING_FIELD = "Meeting"


def event_name(spec: EventSpec) -> str:
    """ "Section 3: The Party" (Discord shows event names as typed)."""
    return label(f"Section {spec.position}: {spec.section_title}", EVENT_NAME_LIMIT)


def event_description(spec: EventSpec) -> str:
    """The section's link, its opening prompt, and the reference a restart finds it by."""
    footer = f"Made by Study Circle for schedule #{spec.schedule_id} ({spec.reference})"
    lines = [
        f"{inline(spec.reading_title, 200)}, section {spec.position} of {spec.total_sections}.",
        f"Read it: {spec.post_url}"
        if spec.post_url
        else "The section is posted before the meeting.",
    ]
    if spec.where.place:
        lines.append(f"Where: {inline(spec.where.place, 100)}")
    room = EVENT_DESCRIPTION_LIMIT - len(footer) - sum(len(line) + 1 for line in lines) - 40
    if spec.opening_prompt and room > 40:
        lines.append("Opening question:\n" + block(spec.opening_prompt, room))
    return "\n".join([*lines, "", footer])


def meeting_field_value(guild_id: int, event_id: int, starts_at: datetime) -> str:
    return f"{timestamp(starts_at, 'F')} · [event and RSVP]({event_url(guild_id, event_id)})"


def event_tail(guild_id: int, event_id: int, interested: int | None) -> str:
    """ ", 2 members interested: https://discord.com/events/…", after a meeting's time; the
    count only when Discord gave it. The address is bare, not a masked link: a digest shows
    its lines through `inline`, which keeps addresses whole but escapes a link's brackets."""
    count = f", {plural(interested, 'member')} interested" if interested is not None else ""
    return f"{count}: {event_url(guild_id, event_id)}"


def plan_text(plan: PlanInfo) -> str:
    """Where and when, for facilitators."""
    where = (
        channel_mention(plan.where.channel_id)
        if plan.where.channel_id
        else inline(plan.where.place or "", 100)
    )
    return f"{plan.describe()}, in {where}"


def with_meeting(embed: discord.Embed, value: str) -> discord.Embed | None:
    """`embed` showing the meeting, or None when it already does."""
    for index, field in enumerate(embed.fields):
        if field.name == MEETING_FIELD:
            if field.value == value:
                return None
            embed.set_field_at(index, name=MEETING_FIELD, value=value, inline=False)
            return embed
    embed.add_field(name=MEETING_FIELD, value=value, inline=False)
    return embed
