"""The `EventGateway` of meetings: Discord Scheduled Events through discord.py."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.exts.discord_limits import (
    EVENT_FINISHED,
    EVENT_LOCATION_LIMIT,
    UNKNOWN_EVENT,
    find_channel,
)
from bot.exts.meetings import render
from bot.exts.text import label
from bot.services.meetings import EventSpec, PostLink

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)
_LIVE = (discord.EventStatus.scheduled, discord.EventStatus.active)


class DiscordEvents:
    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot

    async def _guild(self, guild_id: int) -> discord.Guild:
        # Jobs start before the gateway has sent the guilds: then ask for the guild itself.
        return self.bot.get_guild(guild_id) or await self.bot.fetch_guild(guild_id)

    @staticmethod
    def _place(spec: EventSpec) -> dict[str, Any]:
        where = spec.where
        if where.channel_id is not None:
            kind = discord.EntityType.stage_instance if where.stage else discord.EntityType.voice
            return {"entity_type": kind, "channel": discord.Object(where.channel_id)}
        return {
            "entity_type": discord.EntityType.external,
            "location": label(where.place or "", EVENT_LOCATION_LIMIT),
        }

    async def create(self, spec: EventSpec) -> int:
        event = await (await self._guild(spec.guild_id)).create_scheduled_event(
            name=render.event_name(spec),
            description=render.event_description(spec),
            start_time=spec.starts_at,
            end_time=spec.ends_at,
            privacy_level=discord.PrivacyLevel.guild_only,
            reason="Study Circle: a circle's discussion meeting",
            **self._place(spec),
        )
        # Events take no nonce: when Discord made one but its answer was lost, discord.py's
        # retry made another. Keep the one answered, cancel any twin.
        await self._cancel_twins(spec.guild_id, spec.reference, keep=event.id)
        return event.id

    async def _cancel_twins(self, guild_id: int, reference: str, *, keep: int) -> None:
        for event in await self._mine(guild_id, reference):
            if event.id != keep:
                log.warning("Cancelling a second event made for one meeting (%s)", reference)
                await event.cancel(reason="Study Circle: a duplicate of a meeting's event")

    async def _mine(self, guild_id: int, reference: str) -> list[discord.ScheduledEvent]:
        me = self.bot.user.id if self.bot.user else None
        return [
            event
            for event in await (await self._guild(guild_id)).fetch_scheduled_events(
                with_counts=False
            )
            if event.creator_id == me
            and event.status in _LIVE
            and f"({reference})" in (event.description or "")
        ]

    async def find(self, guild_id: int, reference: str) -> int | None:
        found = await self._mine(guild_id, reference)
        if not found:
            return None
        for twin in found[1:]:
            await twin.cancel(reason="Study Circle: a duplicate of a meeting's event")
        return found[0].id

    async def _event(
        self, guild_id: int, event_id: int, *, counts: bool = False
    ) -> discord.ScheduledEvent | None:
        try:
            guild = await self._guild(guild_id)
            return await guild.fetch_scheduled_event(event_id, with_counts=counts)
        except discord.NotFound:
            return None

    async def update(self, event_id: int, spec: EventSpec) -> bool:
        event = await self._event(spec.guild_id, event_id)
        if event is None or event.status not in _LIVE:
            return False
        place = self._place(spec)
        try:
            await event.edit(
                name=render.event_name(spec),
                description=render.event_description(spec),
                start_time=spec.starts_at,
                end_time=spec.ends_at,
                **place,
            )
        except discord.HTTPException as exc:
            if exc.code in (UNKNOWN_EVENT, EVENT_FINISHED):
                return False
            raise
        return True

    async def cancel(self, guild_id: int, event_id: int) -> None:
        event = await self._event(guild_id, event_id)
        if event is None or event.status is not discord.EventStatus.scheduled:
            return
        try:
            await event.cancel(reason="Study Circle: the meeting is off")
        except discord.HTTPException as exc:
            if exc.code not in (UNKNOWN_EVENT, EVENT_FINISHED):
                raise

    async def interested(self, guild_id: int, event_id: int) -> int | None:
        """How many clicked "Interested"; None when the event is gone."""
        event = await self._event(guild_id, event_id, counts=True)
        return None if event is None else event.user_count

    async def link_post(self, link: PostLink) -> None:
        channel = await find_channel(self.bot, link.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return
        message = await channel.fetch_message(link.message_id)
        if not message.embeds:
            return
        value = render.meeting_field_value(link.guild_id, link.event_id, link.starts_at)
        embeds = list(message.embeds)
        changed = render.with_meeting(embeds[0], value)
        if changed is None:
            return
        embeds[0] = changed
        await message.edit(embeds=embeds, allowed_mentions=discord.AllowedMentions.none())
