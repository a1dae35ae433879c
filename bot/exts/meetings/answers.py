"""The meetings' answers inside other features' commands and messages: `/schedule meeting`
and `/schedule calendar` (declared in the `/schedule` group, `bot/exts/schedules/cog.py`),
the check of `/schedule create`'s meeting options (`check_meeting`), the meeting fields of
`/schedule status`, and the meeting line of a section's digest."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

import discord

from bot.errors import UserError
from bot.exts.discord_limits import EVENT_LOCATION_LIMIT
from bot.exts.interactions import guild_member
from bot.exts.meetings import render
from bot.exts.text import label, listed, plural, timestamp
from bot.links import event_url
from bot.scheduling.cadence import CadenceError
from bot.scheduling.meetings import parse_rule, rule_text
from bot.services.meetings import PlanInfo, Where
from bot.services.schedules import ScheduleInfo

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)
FIELD_NAME_PLAN = "Meetings"
FIELD_NAME_NEXT = "Next meeting"

# The channels a meeting's event can be in.
MeetingChannel = discord.VoiceChannel | discord.StageChannel


def event_problems(me: discord.Member, channel: MeetingChannel | None) -> list[str]:
    """The permissions the bot lacks for meeting events (in `channel`), by Discord's names."""
    guild_perms = me.guild_permissions
    missing = [] if guild_perms.manage_events else ["Manage Events"]
    if isinstance(channel, discord.StageChannel):
        perms = channel.permissions_for(me)
        needed = {
            "Manage Channels": perms.manage_channels,
            "Mute Members": perms.mute_members,
            "Move Members": perms.move_members,
        }
        missing += [name for name, ok in needed.items() if not ok]
    elif channel is not None:
        perms = channel.permissions_for(me)
        needed = {"View Channel": perms.view_channel, "Connect": perms.connect}
        missing += [name for name, ok in needed.items() if not ok]
    return missing


def check_meeting(
    me: discord.Member, when: str, tz: str, channel: MeetingChannel | None, place: str | None
) -> Where:
    """Refuse a meeting the bot could not announce, before anything is saved."""
    try:
        parse_rule(when, tz)
    except CadenceError as exc:
        raise UserError(exc.message, quoted=exc.quoted) from None
    if channel is not None and place:
        raise UserError("Choose a channel or a place for the meeting, not both.")
    if channel is None and not (place or "").strip():
        raise UserError(
            "Say where the circle meets: `meeting_channel` (a voice or stage channel) or "
            "`meeting_place` (a place or a link)."
        )
    missing = event_problems(me, channel)
    if missing:
        where = f" in {channel.mention}" if channel is not None else ""
        raise UserError(
            "I can't announce the meetings as Discord events. I need "
            f"{plural(len(missing), 'permission')}{where}: {listed(missing)}."
        )
    if channel is not None:
        return Where(channel_id=channel.id, stage=isinstance(channel, discord.StageChannel))
    return Where(place=label((place or "").strip(), EVENT_LOCATION_LIMIT))


def add_plan_field(embed: discord.Embed, plan: PlanInfo) -> None:
    embed.add_field(name=FIELD_NAME_PLAN, value=render.plan_text(plan), inline=False)


async def add_next_meeting(
    bot: StudyCircleBot, embed: discord.Embed, schedule: ScheduleInfo
) -> None:
    """The next meeting and how many are "Interested" in its event, on a status embed."""
    upcoming = await bot.services.meetings.upcoming(schedule.guild_id, schedule.id)
    if not upcoming:
        return
    meeting = upcoming[0]
    value = f"Section {meeting.position}, {timestamp(meeting.starts_at, 'F')}"
    value += await _event_tail(bot, schedule.guild_id, meeting.event_id)
    embed.add_field(name=FIELD_NAME_NEXT, value=value, inline=False)


async def _event_tail(bot: StudyCircleBot, guild_id: int, event_id: int | None) -> str:
    """What follows a meeting's time: how many are "Interested" in its event and the event's
    address (`render.event_tail`); nothing before the event is made."""
    if event_id is None:
        return ""
    count = None
    if (events := bot.services.meetings.gateway) is not None:
        try:
            count = await events.interested(guild_id, event_id)
        except discord.HTTPException:
            # The time and the address are still worth showing without the count.
            log.warning("Could not count the interested members of a meeting")
    return render.event_tail(guild_id, event_id, count)


async def meeting(
    bot: StudyCircleBot,
    interaction: discord.Interaction,
    schedule_id: int,
    when: str | None,
    channel: MeetingChannel | None,
    place: str | None,
    minutes: int,
    off: bool,
) -> str:
    """Set, show or stop the circle's meetings; the answer says which."""
    guild, _ = guild_member(interaction)
    if off:
        if await bot.services.meetings.remove_plan(guild.id, schedule_id):
            return f"Schedule #{schedule_id} has no meetings now; the events ahead are cancelled."
        return f"Schedule #{schedule_id} had no meetings."
    current = await bot.services.meetings.plan(guild.id, schedule_id)
    if when is None and channel is None and place is None and current is None:
        raise UserError(
            f"Schedule #{schedule_id} has no meetings yet. Add them with "
            "`/schedule meeting when:day after 19:00 channel:#voice` (or `place:`)."
        )
    if when is None and channel is None and place is None and current is not None:
        return await _show(bot, guild.id, schedule_id, current)
    if when is None:
        if current is None:
            raise UserError("Say when the circle meets, e.g. `when: day after 19:00`.")
        when = rule_text(current.rule)
    where: Where | None = None
    if channel is None and place is None and current is not None:
        where = current.where
        found = guild.get_channel(where.channel_id) if where.channel_id else None
        channel = found if isinstance(found, MeetingChannel) else None
        place = where.place
    where = check_meeting(guild.me, when, "UTC", channel, place)
    plan = await bot.services.meetings.set_plan(
        guild.id, schedule_id, interaction.user.id, when, where, minutes
    )
    return (
        f"Schedule #{schedule_id} meets {render.plan_text(plan)}. The events are updated "
        "in a moment."
    )


async def _show(bot: StudyCircleBot, guild_id: int, schedule_id: int, plan: PlanInfo) -> str:
    upcoming = await bot.services.meetings.upcoming(guild_id, schedule_id)
    lines = [f"Schedule #{schedule_id} meets {render.plan_text(plan)}."]
    for item in upcoming[:10]:
        link = f" · [event]({event_url(guild_id, item.event_id)})" if item.event_id else ""
        lines.append(f"- Section {item.position}: {timestamp(item.starts_at, 'F')}{link}")
    if not upcoming:
        lines.append("No meeting is ahead yet: the next one is set when its post's date is known.")
    return "\n".join(lines)


async def calendar(
    bot: StudyCircleBot, interaction: discord.Interaction, schedule_id: int
) -> tuple[str, discord.File]:
    """The schedule's .ics file, for any calendar app, and the words that go with it."""
    guild, _ = guild_member(interaction)
    data, entries = await bot.services.calendars.schedule_calendar(guild.id, schedule_id)
    if entries == 0:
        raise UserError(f"Schedule #{schedule_id} has no post or meeting ahead.")
    return (
        f"Schedule #{schedule_id}: {plural(entries, 'upcoming date')}. Open the file with your "
        "calendar app; importing a newer file updates the dates instead of adding them twice.",
        discord.File(io.BytesIO(data), filename=f"study-circle-schedule-{schedule_id}.ics"),
    )


async def meeting_summary(
    bot: StudyCircleBot, guild_id: int, schedule_id: int, section_id: int
) -> list[str]:
    """The digest's line about the section's meeting: when, and how many were interested."""
    meeting = await bot.services.meetings.for_section(schedule_id, section_id)
    if meeting is None:
        return []
    tense = "met" if meeting.starts_at <= bot.clock.now() else "meets"
    line = f"The circle {tense} {timestamp(meeting.starts_at, 'F')}"
    return [line + await _event_tail(bot, guild_id, meeting.event_id)]
