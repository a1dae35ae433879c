"""The fake Discord's world: users, guilds, roles, members, channels, threads and messages.

Each object renders itself as the JSON Discord sends (`payload()`), and the permission maths
follows Discord's documented algorithm (base role permissions, then channel overwrites).
"""

from __future__ import annotations

import base64
import itertools
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000


class Snowflakes:
    """Discord-style ids: milliseconds since 2015 in the top bits, so they sort by time."""

    def __init__(self, worker: int = 1) -> None:
        self._worker = worker & 0x1F
        self._last = 0
        self._increment = itertools.count()

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (ms << 22) | (self._worker << 17) | (next(self._increment) & 0xFFF)
        self._last = max(value, self._last + 1)
        return self._last


def snowflake_time(snowflake: int) -> datetime:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def now_iso() -> str:
    return iso(datetime.now(UTC))


class Perm:
    """Discord permission bits (the ones the fake checks or sets up)."""

    CREATE_INSTANT_INVITE = 1 << 0
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    MOVE_MEMBERS = 1 << 24
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    SEND_MESSAGES_IN_THREADS = 1 << 38
    CREATE_EVENTS = 1 << 44
    ALL = (1 << 53) - 1

    # What a new server's @everyone can do, roughly: talk, read, use commands and threads.
    EVERYONE_DEFAULT = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS
    )


class ChannelType:
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_STAGE_VOICE = 13
    GUILD_FORUM = 15
    GUILD_MEDIA = 16

    THREADS = frozenset({ANNOUNCEMENT_THREAD, PUBLIC_THREAD, PRIVATE_THREAD})
    FORUMS = frozenset({GUILD_FORUM, GUILD_MEDIA})
    MESSAGEABLE = frozenset({GUILD_TEXT, DM, GUILD_VOICE, GUILD_ANNOUNCEMENT}) | THREADS


class MessageFlags:
    CROSSPOSTED = 1 << 0
    SUPPRESS_EMBEDS = 1 << 2
    HAS_THREAD = 1 << 5
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7
    SUPPRESS_NOTIFICATIONS = 1 << 12
    IS_COMPONENTS_V2 = 1 << 15


def make_token(user_id: int) -> str:
    """A token shaped like Discord's: base64(user id), a timestamp part, an HMAC part."""
    first = base64.b64encode(str(user_id).encode()).decode().rstrip("=")
    return f"{first}.{secrets.token_urlsafe(5)[:6]}.{secrets.token_urlsafe(27)[:38]}"


@dataclass
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    avatar: str | None = None
    # False makes DMs to this user fail as when they closed DMs (403, code 50007).
    accepts_dms: bool = True

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": self.avatar,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class FakeRole:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    tags: dict[str, Any] | None = None

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    @property
    def is_everyone(self) -> bool:
        return self.id == self.guild_id

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
        }
        if self.tags is not None:
            data["tags"] = self.tags
        return data


@dataclass
class FakeMember:
    user: FakeUser
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=now_iso)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def mention(self) -> str:
        return self.user.mention

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "roles": [str(role) for role in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class Overwrite:
    """A channel permission overwrite: `type` 0 is a role, 1 a member."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class FakeChannel:
    id: int
    type: int
    name: str = ""
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    overwrites: list[Overwrite] = field(default_factory=list)
    rate_limit_per_user: int = 0
    flags: int = 0
    last_message_id: int | None = None
    # Forums: their tags ({"id", "name", "moderated", "emoji_id", "emoji_name"}).
    available_tags: list[dict[str, Any]] = field(default_factory=list)
    # Threads.
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    archive_timestamp: str = field(default_factory=now_iso)
    create_timestamp: str = field(default_factory=now_iso)
    thread_members: dict[int, str] = field(default_factory=dict)
    message_count: int = 0
    total_message_sent: int = 0
    applied_tags: list[int] = field(default_factory=list)
    # DMs.
    recipients: list[FakeUser] = field(default_factory=list)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    @property
    def is_thread(self) -> bool:
        return self.type in ChannelType.THREADS

    @property
    def is_forum(self) -> bool:
        return self.type in ChannelType.FORUMS

    def thread_member_payload(self, user_id: int) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "user_id": str(user_id),
            "join_timestamp": self.thread_members[user_id],
            "flags": 0,
        }

    def payload(self, *, me: int | None = None) -> dict[str, Any]:
        """The channel as Discord sends it; `me` adds a thread's `member` for that user."""
        if self.type == ChannelType.DM:
            return {
                "id": str(self.id),
                "type": self.type,
                "last_message_id": _str_or_none(self.last_message_id),
                "recipients": [user.payload() for user in self.recipients],
                "flags": 0,
            }
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "parent_id": _str_or_none(self.parent_id),
            "flags": self.flags,
        }
        if self.is_thread:
            data.update(
                {
                    "owner_id": str(self.owner_id),
                    "last_message_id": _str_or_none(self.last_message_id),
                    "rate_limit_per_user": self.rate_limit_per_user,
                    "message_count": self.message_count,
                    "member_count": min(len(self.thread_members), 50),
                    "total_message_sent": self.total_message_sent,
                    "applied_tags": [str(tag) for tag in self.applied_tags],
                    "thread_metadata": {
                        "archived": self.archived,
                        "auto_archive_duration": self.auto_archive_duration,
                        "archive_timestamp": self.archive_timestamp,
                        "locked": self.locked,
                        "invitable": self.invitable,
                        "create_timestamp": self.create_timestamp,
                    },
                }
            )
            if me is not None and me in self.thread_members:
                data["member"] = self.thread_member_payload(me)
            return data
        data.update(
            {
                "position": self.position,
                "permission_overwrites": [overwrite.payload() for overwrite in self.overwrites],
                "nsfw": self.nsfw,
            }
        )
        if self.type == ChannelType.GUILD_VOICE:
            data.update({"bitrate": 64000, "user_limit": 0, "rtc_region": None})
            return data
        if self.type == ChannelType.GUILD_CATEGORY:
            return data
        data.update(
            {
                "topic": self.topic,
                "rate_limit_per_user": self.rate_limit_per_user,
                "last_message_id": _str_or_none(self.last_message_id),
                "default_auto_archive_duration": 1440,
                "default_thread_rate_limit_per_user": 0,
            }
        )
        if self.is_forum:
            data.update(
                {
                    "available_tags": self.available_tags,
                    "default_reaction_emoji": None,
                    "default_sort_order": None,
                    "default_forum_layout": 0,
                }
            )
        return data


@dataclass
class FakeAttachment:
    id: int
    filename: str
    data: bytes
    url: str
    content_type: str | None = None
    description: str | None = None

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
        }
        if self.content_type:
            data["content_type"] = self.content_type
        if self.description:
            data["description"] = self.description
        return data


@dataclass
class FakeMessage:
    """A stored message. `allowed_mentions` is what the sender asked for, as sent."""

    id: int
    channel_id: int
    guild_id: int | None
    author: FakeUser
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[FakeAttachment] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    tts: bool = False
    type: int = 0
    timestamp: str = field(default_factory=now_iso)
    edited_timestamp: str | None = None
    allowed_mentions: dict[str, Any] | None = None
    mentions: list[FakeUser] = field(default_factory=list)
    mention_roles: list[int] = field(default_factory=list)
    mention_everyone: bool = False
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    thread: FakeChannel | None = None
    pinned: bool = False
    edits: int = 0

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlags.EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & MessageFlags.LOADING)

    @property
    def jump_url(self) -> str:
        return f"https://discord.com/channels/{self.guild_id or '@me'}/{self.channel_id}/{self.id}"

    def walk_components(self) -> Iterator[dict[str, Any]]:
        """Every component, depth first (rows, containers, sections and their children)."""
        yield from walk_components(self.components)

    def component(self, custom_id: str) -> dict[str, Any] | None:
        return next((c for c in self.walk_components() if c.get("custom_id") == custom_id), None)

    @property
    def custom_ids(self) -> list[str]:
        return [c["custom_id"] for c in self.walk_components() if "custom_id" in c]

    @property
    def text(self) -> str:
        """Content and every visible embed and text-display text, for loose assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts.append(embed.get("title", ""))
            parts.append(embed.get("description", ""))
            parts.extend(
                f"{f.get('name', '')}\n{f.get('value', '')}" for f in embed.get("fields", [])
            )
            parts.append((embed.get("footer") or {}).get("text", ""))
            parts.append((embed.get("author") or {}).get("name", ""))
        parts.extend(c.get("content", "") for c in self.walk_components() if c.get("type") == 10)
        return "\n".join(part for part in parts if part)

    def payload(self) -> dict[str, Any]:
        # Never a "poll": null key: discord.py would try to parse it.
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "type": self.type,
            "content": self.content,
            "author": self.author.payload(),
            "attachments": [attachment.payload() for attachment in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "mentions": [user.payload() for user in self.mentions],
            "mention_roles": [str(role) for role in self.mention_roles],
            "mention_everyone": self.mention_everyone,
            "pinned": self.pinned,
            "tts": self.tts,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.message_reference is not None:
            data["message_reference"] = self.message_reference
        if self.thread is not None:
            data["thread"] = self.thread.payload()
        return data


def walk_components(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from walk_components(component.get("components", []))
        if isinstance(component.get("component"), dict):
            yield from walk_components([component["component"]])
        if isinstance(component.get("accessory"), dict):
            yield from walk_components([component["accessory"]])


class EventStatus:
    SCHEDULED = 1
    ACTIVE = 2
    COMPLETED = 3
    CANCELED = 4


class EntityType:
    STAGE_INSTANCE = 1
    VOICE = 2
    EXTERNAL = 3


@dataclass
class FakeScheduledEvent:
    """A guild scheduled event; `interested` holds the users who clicked "Interested"."""

    id: int
    guild_id: int
    creator_id: int
    name: str
    scheduled_start_time: str
    entity_type: int
    privacy_level: int = 2
    status: int = EventStatus.SCHEDULED
    description: str | None = None
    channel_id: int | None = None
    scheduled_end_time: str | None = None
    location: str | None = None
    interested: set[int] = field(default_factory=set)

    @property
    def live(self) -> bool:
        return self.status in (EventStatus.SCHEDULED, EventStatus.ACTIVE)

    def payload(
        self, creator: FakeUser | None = None, *, with_user_count: bool = False
    ) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "channel_id": _str_or_none(self.channel_id),
            "creator_id": str(self.creator_id),
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": self.scheduled_start_time,
            "scheduled_end_time": self.scheduled_end_time,
            "privacy_level": self.privacy_level,
            "status": self.status,
            "entity_type": self.entity_type,
            "entity_id": None,
            "entity_metadata": None if self.location is None else {"location": self.location},
            "image": None,
            "recurrence_rule": None,
        }
        if creator is not None:
            data["creator"] = creator.payload()
        if with_user_count:
            data["user_count"] = len(self.interested)
        return data


@dataclass
class FakeGuild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    preferred_locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    joined_at: str = field(default_factory=now_iso)
    scheduled_events: dict[int, FakeScheduledEvent] = field(default_factory=dict)

    @property
    def everyone(self) -> FakeRole:
        return self.roles[self.id]

    def top_role_position(self, user_id: int) -> int:
        member = self.members.get(user_id)
        if member is None:
            return -1
        return max((self.roles[r].position for r in member.roles if r in self.roles), default=0)

    def payload(self) -> dict[str, Any]:
        """The guild object of REST answers (GUILD_CREATE adds channels, threads, members)."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": [role.payload() for role in sorted(self.roles.values(), key=_position)],
            "emojis": [],
            "stickers": [],
            "features": self.features,
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": self.preferred_locale,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "nsfw_level": 0,
            "incidents_data": None,
        }


def _position(role: FakeRole) -> int:
    return role.position


def _str_or_none(value: int | None) -> str | None:
    return None if value is None else str(value)


MENTION = re.compile(r"<@(?P<kind>[!&]?)(?P<id>\d+)>")


@dataclass
class FakeApplication:
    id: int
    name: str
    owner: FakeUser
    flags: int = 0

    def payload(self, bot: FakeUser) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "description": "A bot for reading groups (fake Discord)",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.owner.payload(),
            "team": None,
            "flags": self.flags,
            "bot": bot.payload(),
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "install_params": None,
            "approximate_guild_count": 1,
        }


class FakeState:
    """Everything the fake Discord knows. Build a world with the `add_*` methods."""

    def __init__(self, *, bot_name: str = "Study Circle") -> None:
        self.snowflakes = Snowflakes()
        self.users: dict[int, FakeUser] = {}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        # Messages per channel (threads included), in the order they were created.
        self.messages: dict[int, dict[int, FakeMessage]] = {}
        self.deleted_messages: list[FakeMessage] = []
        self.bot = self.add_user(bot_name, bot=True)
        owner = self.add_user("app-owner")
        self.application = FakeApplication(self.bot.id, bot_name, owner)
        self.token = make_token(self.bot.id)
        # Synced application commands: None holds the global ones, else a guild id.
        self.commands: dict[int | None, dict[int, dict[str, Any]]] = {None: {}}

    # --- building a world ------------------------------------------------------------------

    def add_user(
        self, username: str, *, bot: bool = False, global_name: str | None = None
    ) -> FakeUser:
        user = FakeUser(self.snowflakes.next(), username, global_name=global_name, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str,
        *,
        owner: FakeUser,
        bot_permissions: int,
        everyone: int = Perm.EVERYONE_DEFAULT,
    ) -> FakeGuild:
        """A guild the bot is in, with @everyone, the bot's managed role, owner and bot members."""
        guild = FakeGuild(self.snowflakes.next(), name, owner.id)
        self.guilds[guild.id] = guild
        guild.roles[guild.id] = FakeRole(guild.id, guild.id, "@everyone", everyone, position=0)
        bot_role = self.add_role(guild, self.application.name, permissions=bot_permissions)
        bot_role.managed = True
        bot_role.tags = {"bot_id": str(self.bot.id)}
        self.add_member(guild, owner)
        self.add_member(guild, self.bot, roles=[bot_role])
        return guild

    def add_role(
        self,
        guild: FakeGuild,
        name: str,
        *,
        permissions: int = 0,
        mentionable: bool = False,
        position: int | None = None,
        color: int = 0,
    ) -> FakeRole:
        """A role; by default placed on top of the existing ones."""
        if position is None:
            position = max(role.position for role in guild.roles.values()) + 1
        role = FakeRole(
            self.snowflakes.next(),
            guild.id,
            name,
            permissions=permissions,
            position=position,
            mentionable=mentionable,
            color=color,
        )
        guild.roles[role.id] = role
        return role

    def add_member(
        self,
        guild: FakeGuild,
        user: FakeUser,
        *,
        roles: list[FakeRole] | None = None,
        nick: str | None = None,
    ) -> FakeMember:
        member = FakeMember(user, guild.id, [role.id for role in roles or []], nick=nick)
        guild.members[user.id] = member
        return member

    def add_channel(
        self,
        guild: FakeGuild,
        name: str,
        *,
        type: int = ChannelType.GUILD_TEXT,
        parent: FakeChannel | None = None,
        topic: str | None = None,
        overwrites: list[Overwrite] | None = None,
        tags: list[str] | None = None,
        flags: int = 0,
    ) -> FakeChannel:
        """A guild channel (text, forum, category, voice). Forums get `tags` as their tags."""
        siblings = [self.channels[c] for c in guild.channel_ids if self.channels[c].type == type]
        channel = FakeChannel(
            self.snowflakes.next(),
            type,
            name,
            guild_id=guild.id,
            position=len(siblings),
            parent_id=None if parent is None else parent.id,
            topic=topic,
            overwrites=list(overwrites or []),
            flags=flags,
        )
        for tag in tags or []:
            channel.available_tags.append(
                {
                    "id": str(self.snowflakes.next()),
                    "name": tag,
                    "moderated": False,
                    "emoji_id": None,
                    "emoji_name": None,
                }
            )
        self.channels[channel.id] = channel
        self.messages[channel.id] = {}
        guild.channel_ids.append(channel.id)
        return channel

    def add_thread(
        self,
        parent: FakeChannel,
        name: str,
        *,
        owner: FakeUser,
        type: int = ChannelType.PUBLIC_THREAD,
        thread_id: int | None = None,
        auto_archive_duration: int = 1440,
        applied_tags: list[int] | None = None,
    ) -> FakeChannel:
        thread = FakeChannel(
            thread_id or self.snowflakes.next(),
            type,
            name,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=owner.id,
            auto_archive_duration=auto_archive_duration,
            applied_tags=list(applied_tags or []),
        )
        thread.thread_members[owner.id] = now_iso()
        self.channels[thread.id] = thread
        self.messages[thread.id] = {}
        return thread

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The bot's DM channel with `user`, created on first use."""
        for channel in self.channels.values():
            if channel.type == ChannelType.DM and channel.recipients[0].id == user.id:
                return channel
        channel = FakeChannel(self.snowflakes.next(), ChannelType.DM, recipients=[user])
        self.channels[channel.id] = channel
        self.messages[channel.id] = {}
        return channel

    # --- lookups ---------------------------------------------------------------------------

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        return None if channel.guild_id is None else self.guilds[channel.guild_id]

    def threads_of(self, guild: FakeGuild) -> list[FakeChannel]:
        return [c for c in self.channels.values() if c.is_thread and c.guild_id == guild.id]

    def messages_in(self, channel: FakeChannel | int) -> list[FakeMessage]:
        channel_id = channel if isinstance(channel, int) else channel.id
        return list(self.messages.get(channel_id, {}).values())

    def find_message(self, message_id: int) -> FakeMessage | None:
        for messages in self.messages.values():
            if message_id in messages:
                return messages[message_id]
        return None

    def store_message(self, message: FakeMessage) -> None:
        self.messages.setdefault(message.channel_id, {})[message.id] = message
        channel = self.channels.get(message.channel_id)
        if channel is not None:
            channel.last_message_id = message.id
            if channel.is_thread and message.id != channel.id:
                channel.message_count += 1
                channel.total_message_sent += 1

    # --- permissions (Discord's algorithm) ------------------------------------------------

    def base_permissions(self, guild: FakeGuild, user_id: int) -> int:
        if user_id == guild.owner_id:
            return Perm.ALL
        member = guild.members.get(user_id)
        if member is None:
            return 0
        permissions = guild.everyone.permissions
        for role_id in member.roles:
            role = guild.roles.get(role_id)
            if role is not None:
                permissions |= role.permissions
        return Perm.ALL if permissions & Perm.ADMINISTRATOR else permissions

    def permissions_in(self, channel: FakeChannel, user_id: int) -> int:
        """What `user_id` may do in `channel` (a thread uses its parent's overwrites)."""
        if channel.guild_id is None:
            return (
                Perm.VIEW_CHANNEL
                | Perm.SEND_MESSAGES
                | Perm.READ_MESSAGE_HISTORY
                | Perm.EMBED_LINKS
                | Perm.ATTACH_FILES
            )
        guild = self.guilds[channel.guild_id]
        permissions = self.base_permissions(guild, user_id)
        if permissions & Perm.ADMINISTRATOR:
            return Perm.ALL
        source = (
            self.channels[channel.parent_id] if channel.is_thread and channel.parent_id else channel
        )
        overwrites = {(o.type, o.id): o for o in source.overwrites}
        everyone = overwrites.get((0, guild.id))
        if everyone is not None:
            permissions = (permissions & ~everyone.deny) | everyone.allow
        member = guild.members.get(user_id)
        role_ids = member.roles if member else []
        allow = deny = 0
        for role_id in role_ids:
            overwrite = overwrites.get((0, role_id))
            if overwrite is not None:
                allow |= overwrite.allow
                deny |= overwrite.deny
        permissions = (permissions & ~deny) | allow
        own = overwrites.get((1, user_id))
        if own is not None:
            permissions = (permissions & ~own.deny) | own.allow
        if not permissions & Perm.VIEW_CHANNEL:
            return 0
        return permissions

    # --- mentions --------------------------------------------------------------------------

    def resolve_mentions(
        self, author: FakeUser, channel: FakeChannel, content: str, allowed: dict[str, Any] | None
    ) -> tuple[list[FakeUser], list[int], bool]:
        """Who `content` pings given `allowed_mentions` (None means Discord's default: all).

        A role pings only if it is mentionable or the author may mention everyone.
        """
        parse = (
            set(allowed.get("parse", [])) if allowed is not None else {"users", "roles", "everyone"}
        )
        allowed_users = {int(u) for u in (allowed or {}).get("users", [])}
        allowed_roles = {int(r) for r in (allowed or {}).get("roles", [])}
        can_mention_all = bool(self.permissions_in(channel, author.id) & Perm.MENTION_EVERYONE)
        guild = self.guild_of(channel)
        users: list[FakeUser] = []
        roles: list[int] = []
        for match in MENTION.finditer(content):
            target = int(match["id"])
            if match["kind"] == "&":
                role = guild.roles.get(target) if guild else None
                pinged = "roles" in parse or target in allowed_roles
                if (
                    role
                    and pinged
                    and (role.mentionable or can_mention_all)
                    and target not in roles
                ):
                    roles.append(target)
            else:
                user = self.users.get(target)
                pinged = "users" in parse or target in allowed_users
                if user and pinged and user not in users:
                    users.append(user)
        everyone = (
            "everyone" in parse
            and can_mention_all
            and ("@everyone" in content or "@here" in content)
        )
        return users, roles, everyone


@dataclass
class DefaultWorld:
    """The guild every test starts with.

    - `owner` owns the guild; `facilitator` has the Facilitator role (Manage Server);
      `member` and `other_member` are plain members; `outsider` is not in the guild.
    - `general` and `reading` are text channels (`reading` under the `category`);
      `forum` is a forum channel with the tags "Section" and "Discussion".
    """

    guild: FakeGuild
    bot_role: FakeRole
    facilitator_role: FakeRole
    owner: FakeUser
    facilitator: FakeUser
    member: FakeUser
    other_member: FakeUser
    outsider: FakeUser
    category: FakeChannel
    general: FakeChannel
    reading: FakeChannel
    forum: FakeChannel


def build_default_world(
    state: FakeState, *, bot_permissions: int, name: str = "Reading Room"
) -> DefaultWorld:
    owner = state.add_user("olive", global_name="Olive")
    guild = state.add_guild(name, owner=owner, bot_permissions=bot_permissions)
    bot_role = next(role for role in guild.roles.values() if role.managed)
    facilitator_role = state.add_role(
        guild, "Facilitator", permissions=Perm.MANAGE_GUILD, position=1
    )
    bot_role.position = max(role.position for role in guild.roles.values()) + 1
    facilitator = state.add_user("fran", global_name="Fran")
    member = state.add_user("mia", global_name="Mia")
    other_member = state.add_user("max", global_name="Max")
    outsider = state.add_user("otto", global_name="Otto")
    state.add_member(guild, facilitator, roles=[facilitator_role])
    state.add_member(guild, member)
    state.add_member(guild, other_member)
    category = state.add_channel(guild, "Study", type=ChannelType.GUILD_CATEGORY)
    general = state.add_channel(guild, "general", topic="Anything goes")
    reading = state.add_channel(guild, "reading", parent=category, topic="This week's section")
    forum = state.add_channel(
        guild,
        "discussions",
        type=ChannelType.GUILD_FORUM,
        parent=category,
        tags=["Section", "Discussion"],
    )
    return DefaultWorld(
        guild=guild,
        bot_role=bot_role,
        facilitator_role=facilitator_role,
        owner=owner,
        facilitator=facilitator,
        member=member,
        other_member=other_member,
        outsider=outsider,
        category=category,
        general=general,
        reading=reading,
        forum=forum,
    )
