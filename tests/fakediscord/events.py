"""The fake's guild scheduled events: REST routes, Discord's checks and errors, and dispatches.

Create, list, get, edit and delete, as Discord's `/guilds/{id}/scheduled-events` routes answer
them: 50035 with nested errors for a bad body (a start in the past, an external event without
a place or an end, a channel of the wrong type), 50013 without Create or Manage Events (and
the channel permissions a voice or stage event needs), 10070 for an unknown event, 180000 for
a change to a finished or cancelled event, 30038 past 100 uncompleted events. Dispatches
need the GUILD_SCHEDULED_EVENTS intent.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from tests.fakediscord.model import (
    ChannelType,
    EntityType,
    EventStatus,
    FakeGuild,
    FakeScheduledEvent,
    FakeUser,
    Perm,
)
from tests.fakediscord.protocol import (
    DiscordError,
    RecordedRequest,
    invalid_form_body,
    missing_permissions,
)
from tests.fakediscord.validation import Problems

if TYPE_CHECKING:
    from tests.fakediscord.model import FakeChannel, FakeState

MAX_UNCOMPLETED = 100
_NEXT_STATUS = {
    EventStatus.SCHEDULED: {EventStatus.SCHEDULED, EventStatus.ACTIVE, EventStatus.CANCELED},
    EventStatus.ACTIVE: {EventStatus.ACTIVE, EventStatus.COMPLETED},
}


def _when(problems: Problems, key: str, value: object) -> datetime | None:
    if not isinstance(value, str):
        problems.add((key,), "BASE_TYPE_REQUIRED", "This field is required")
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        problems.add((key,), "DATE_TIME_TYPE_INVALID", "Could not interpret as a datetime.")
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _flag(value: object) -> bool:
    """A query boolean as Discord reads it: true/false or 1/0."""
    return str(value).lower() in ("true", "1")


class EventsMixin:
    if TYPE_CHECKING:
        state: FakeState

        def _guild(self, guild_id: str) -> FakeGuild: ...
        def _channel(self, channel_id: str) -> FakeChannel: ...
        def _can(self, channel: FakeChannel, permission: int) -> bool: ...
        async def dispatch(
            self,
            event: str,
            data: dict[str, Any],
            *,
            guild_id: int | None = None,
            about_self: bool = False,
        ) -> int: ...

    # --- for tests -------------------------------------------------------------------------

    def scheduled_events(
        self, guild: FakeGuild, *, live_only: bool = False
    ) -> list[FakeScheduledEvent]:
        """The guild's events in the order they were made (cancelled ones too, unless asked)."""
        events = list(guild.scheduled_events.values())
        return [e for e in events if e.live] if live_only else events

    async def mark_interested(self, event: FakeScheduledEvent, user: FakeUser) -> None:
        """`user` clicks "Interested" on the event."""
        event.interested.add(user.id)
        await self.dispatch(
            "GUILD_SCHEDULED_EVENT_USER_ADD",
            {
                "guild_scheduled_event_id": str(event.id),
                "user_id": str(user.id),
                "guild_id": str(event.guild_id),
            },
            guild_id=event.guild_id,
        )

    # --- the routes ------------------------------------------------------------------------

    def _may_manage_events(self, guild: FakeGuild, event: FakeScheduledEvent | None) -> bool:
        base = self.state.base_permissions(guild, self.state.bot.id)
        if base & Perm.MANAGE_EVENTS:
            return True
        # Create Events lets a member create events and change or delete their own.
        mine = event is None or event.creator_id == self.state.bot.id
        return bool(base & Perm.CREATE_EVENTS) and mine

    def _event(self, guild: FakeGuild, event_id: str) -> FakeScheduledEvent:
        event = guild.scheduled_events.get(int(event_id)) if event_id.isdigit() else None
        if event is None:
            raise DiscordError(404, 10070, "Unknown Guild Scheduled Event")
        return event

    def _event_payload(self, event: FakeScheduledEvent, with_user_count: bool) -> dict[str, Any]:
        return event.payload(
            self.state.users.get(event.creator_id), with_user_count=with_user_count
        )

    async def _list_scheduled_events(
        self, record: RecordedRequest, guild_id: str
    ) -> list[dict[str, Any]]:
        guild = self._guild(guild_id)
        counts = _flag(record.query.get("with_user_count"))
        return [
            self._event_payload(e, counts) for e in self.scheduled_events(guild, live_only=True)
        ]

    async def _get_scheduled_event(
        self, record: RecordedRequest, guild_id: str, event_id: str
    ) -> dict[str, Any]:
        guild = self._guild(guild_id)
        counts = _flag(record.query.get("with_user_count"))
        return self._event_payload(self._event(guild, event_id), counts)

    def _check_entity(
        self,
        guild: FakeGuild,
        problems: Problems,
        entity_type: object,
        channel_id: object,
        metadata: object,
        end: datetime | None,
    ) -> tuple[int | None, str | None]:
        """The event's channel or place, checked as Discord checks them."""
        if entity_type not in (EntityType.STAGE_INSTANCE, EntityType.VOICE, EntityType.EXTERNAL):
            problems.add(("entity_type",), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3).")
            return None, None
        if entity_type == EntityType.EXTERNAL:
            location = metadata.get("location") if isinstance(metadata, dict) else None
            problems.length_between(("entity_metadata", "location"), location, 1, 100)
            if channel_id is not None:
                problems.add(
                    ("channel_id",),
                    "GUILD_SCHEDULED_EVENT_CHANNEL_NOT_ALLOWED",
                    "An external event cannot have a channel.",
                )
            if end is None:
                problems.add(
                    ("scheduled_end_time",), "BASE_TYPE_REQUIRED", "This field is required"
                )
            return None, location if isinstance(location, str) else None
        wanted = ChannelType.GUILD_STAGE_VOICE if entity_type == 1 else ChannelType.GUILD_VOICE
        digits = str(channel_id)
        channel = self.state.channels.get(int(digits)) if digits.isdigit() else None
        if channel is None or channel.guild_id != guild.id or channel.type != wanted:
            problems.add(
                ("channel_id",),
                "GUILD_SCHEDULED_EVENT_INVALID_CHANNEL",
                "Invalid channel for this event type.",
            )
            return None, None
        needed = (
            (Perm.VIEW_CHANNEL, Perm.CONNECT)
            if entity_type == EntityType.VOICE
            else (Perm.MANAGE_CHANNELS, Perm.MUTE_MEMBERS, Perm.MOVE_MEMBERS)
        )
        if not all(self._can(channel, p) for p in needed):
            raise missing_permissions()
        return channel.id, None

    async def _create_scheduled_event(
        self, record: RecordedRequest, guild_id: str
    ) -> dict[str, Any]:
        guild = self._guild(guild_id)
        if not self._may_manage_events(guild, None):
            raise missing_permissions()
        body = record.json or {}
        problems = Problems()
        problems.length_between(("name",), body.get("name"), 1, 100)
        problems.too_long(("description",), body.get("description"), 1000)
        if body.get("privacy_level") != 2:
            problems.add(("privacy_level",), "BASE_TYPE_CHOICES", "Value must be one of (2,).")
        start = _when(problems, "scheduled_start_time", body.get("scheduled_start_time"))
        end = None
        if body.get("scheduled_end_time") is not None:
            end = _when(problems, "scheduled_end_time", body.get("scheduled_end_time"))
        self._check_times(problems, start, end)
        channel_id, location = self._check_entity(
            guild,
            problems,
            body.get("entity_type"),
            body.get("channel_id"),
            body.get("entity_metadata"),
            end,
        )
        if problems:
            raise invalid_form_body(problems)
        if len(self.scheduled_events(guild, live_only=True)) >= MAX_UNCOMPLETED:
            raise DiscordError(
                400, 30038, "Maximum number of uncompleted guild scheduled events reached (100)"
            )
        event = FakeScheduledEvent(
            id=self.state.snowflakes.next(),
            guild_id=guild.id,
            creator_id=self.state.bot.id,
            name=body["name"],
            scheduled_start_time=body["scheduled_start_time"],
            scheduled_end_time=body.get("scheduled_end_time"),
            entity_type=int(body["entity_type"]),
            description=body.get("description"),
            channel_id=channel_id,
            location=location,
        )
        guild.scheduled_events[event.id] = event
        payload = self._event_payload(event, False)
        await self.dispatch("GUILD_SCHEDULED_EVENT_CREATE", payload, guild_id=guild.id)
        return payload

    @staticmethod
    def _check_times(problems: Problems, start: datetime | None, end: datetime | None) -> None:
        if start is not None and start <= datetime.now(UTC):
            problems.add(
                ("scheduled_start_time",),
                "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
                "Cannot schedule event in the past.",
            )
        if start is not None and end is not None and end <= start:
            problems.add(
                ("scheduled_end_time",),
                "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
                "Cannot schedule event to end before starting.",
            )

    async def _edit_scheduled_event(
        self, record: RecordedRequest, guild_id: str, event_id: str
    ) -> dict[str, Any]:
        guild = self._guild(guild_id)
        event = self._event(guild, event_id)
        if not self._may_manage_events(guild, event):
            raise missing_permissions()
        if not event.live:
            raise DiscordError(400, 180000, "Cannot update a finished event")
        body = record.json or {}
        problems = Problems()
        if "name" in body:
            problems.length_between(("name",), body["name"], 1, 100)
        problems.too_long(("description",), body.get("description"), 1000)
        start = end = None
        if "scheduled_start_time" in body:
            start = _when(problems, "scheduled_start_time", body["scheduled_start_time"])
        if body.get("scheduled_end_time") is not None:
            end = _when(problems, "scheduled_end_time", body["scheduled_end_time"])
        if start is not None and event.status != EventStatus.SCHEDULED:
            problems.add(
                ("scheduled_start_time",),
                "GUILD_SCHEDULED_EVENT_CANNOT_UPDATE_START",
                "The start time of an active event cannot change.",
            )
        self._check_times(
            problems,
            start,
            end
            or (
                datetime.fromisoformat(event.scheduled_end_time)
                if event.scheduled_end_time and start
                else None
            ),
        )
        status = body.get("status", event.status)
        if status not in _NEXT_STATUS.get(event.status, set()):
            problems.add(
                ("status",),
                "GUILD_SCHEDULED_EVENT_INVALID_STATUS_TRANSITION",
                "Invalid status transition.",
            )
        entity_type = body.get("entity_type", event.entity_type)
        channel_id, location = event.channel_id, event.location
        if {"entity_type", "channel_id", "entity_metadata"} & body.keys():
            channel_id, location = self._check_entity(
                guild,
                problems,
                entity_type,
                body.get("channel_id", event.channel_id),
                body.get("entity_metadata", {"location": event.location}),
                end
                or (
                    datetime.fromisoformat(event.scheduled_end_time)
                    if event.scheduled_end_time
                    else None
                ),
            )
        if problems:
            raise invalid_form_body(problems)
        for key in ("name", "description", "scheduled_start_time", "scheduled_end_time"):
            if key in body:
                setattr(event, key, body[key])
        event.status, event.entity_type = status, int(entity_type)
        event.channel_id, event.location = channel_id, location
        payload = self._event_payload(event, False)
        await self.dispatch("GUILD_SCHEDULED_EVENT_UPDATE", payload, guild_id=guild.id)
        return payload

    async def _delete_scheduled_event(
        self, _record: RecordedRequest, guild_id: str, event_id: str
    ) -> None:
        guild = self._guild(guild_id)
        event = self._event(guild, event_id)
        if not self._may_manage_events(guild, event):
            raise missing_permissions()
        del guild.scheduled_events[event.id]
        await self.dispatch(
            "GUILD_SCHEDULED_EVENT_DELETE", self._event_payload(event, False), guild_id=guild.id
        )
