"""What the bot needs to make a circle's meeting events, checked before it is asked to."""

from __future__ import annotations

import discord

from bot.errors import UserError
from bot.exts.discord_limits import EVENT_LOCATION_LIMIT
from bot.exts.text import label, listed, plural
from bot.scheduling.cadence import CadenceError
from bot.scheduling.meetings import parse_rule
from bot.services.meetings import Where

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
