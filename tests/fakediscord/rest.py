"""The fake's REST routes for Discord resources: identity, commands, messages, threads,
forum posts, guilds, roles, members and DMs. Each answers like Discord, errors included.
"""

from __future__ import annotations

import mimetypes
import time
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tests.fakediscord.model import (
    ChannelType,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMessage,
    FakeRole,
    FakeState,
    FakeUser,
    MessageFlags,
    Perm,
    now_iso,
)
from tests.fakediscord.protocol import (
    CommandSync,
    DiscordError,
    RecordedRequest,
    UploadedFile,
    invalid_form_body,
    missing_permissions,
)
from tests.fakediscord.validation import (
    THREAD_ARCHIVE_DURATIONS,
    THREAD_NAME_MAX,
    Problems,
    check_command_list,
    check_message,
)

if TYPE_CHECKING:
    from tests.fakediscord.interactions import InteractionResult

NONCE_WINDOW = 300.0


class RestMixin:
    """The REST half of `FakeDiscord` (interaction callbacks and webhooks live beside it)."""

    if TYPE_CHECKING:
        state: FakeState
        members_intent_enabled: bool
        shards: int
        max_concurrency: int
        uploads: dict[int, FakeAttachment]
        command_syncs: list[CommandSync]
        _nonces: dict[tuple[int, int, str], tuple[int, float]]

        @property
        def base_url(self) -> str: ...

        @property
        def gateway_url(self) -> str: ...

        async def dispatch(
            self,
            event: str,
            data: dict[str, Any],
            *,
            guild_id: int | None = None,
            about_self: bool = False,
        ) -> int: ...

        async def add_channel(
            self, name: str, *, guild: FakeGuild | None = None, type: int = 0, **options: Any
        ) -> FakeChannel: ...

        def _interaction_metadata(self, result: InteractionResult) -> dict[str, Any]: ...

    # --- lookups that answer like Discord --------------------------------------------------

    def _channel(self, channel_id: str) -> FakeChannel:
        channel = self.state.channels.get(int(channel_id)) if channel_id.isdigit() else None
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        if channel.guild_id is not None and not self._can(channel, Perm.VIEW_CHANNEL):
            raise DiscordError(403, 50001, "Missing Access")
        return channel

    def _guild(self, guild_id: str) -> FakeGuild:
        guild = self.state.guilds.get(int(guild_id)) if guild_id.isdigit() else None
        if guild is None:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild

    def _role(self, guild: FakeGuild, role_id: str) -> FakeRole:
        role = guild.roles.get(int(role_id)) if role_id.isdigit() else None
        if role is None:
            raise DiscordError(404, 10011, "Unknown Role")
        return role

    def _message(self, channel: FakeChannel, message_id: str) -> FakeMessage:
        message = (
            self.state.messages.get(channel.id, {}).get(int(message_id))
            if message_id.isdigit()
            else None
        )
        if message is None or message.ephemeral:
            raise DiscordError(404, 10008, "Unknown Message")
        return message

    def _user_id(self, value: str) -> int:
        if value == "@me":
            return self.state.bot.id
        if not value.isdigit() or int(value) not in self.state.users:
            raise DiscordError(404, 10013, "Unknown User")
        return int(value)

    def _can(self, channel: FakeChannel, permission: int) -> bool:
        return self.state.permissions_in(channel, self.state.bot.id) & permission == permission

    def _require(self, channel: FakeChannel, *permissions: int) -> None:
        for permission in permissions:
            if not self._can(channel, permission):
                raise missing_permissions()

    def _require_guild(self, guild: FakeGuild, permission: int) -> None:
        if not self.state.base_permissions(guild, self.state.bot.id) & permission:
            raise missing_permissions()

    # --- gateway & identity ----------------------------------------------------------------

    async def _get_gateway(self, _record: RecordedRequest) -> dict[str, Any]:
        return {"url": self.gateway_url}

    async def _get_gateway_bot(self, _record: RecordedRequest) -> dict[str, Any]:
        return {
            "url": self.gateway_url,
            "shards": self.shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": self.max_concurrency,
            },
        }

    async def _get_me(self, _record: RecordedRequest) -> dict[str, Any]:
        bot = self.state.bot
        return bot.payload() | {
            "verified": True,
            "mfa_enabled": False,
            "email": None,
            "locale": "en-US",
        }

    async def _get_application(self, _record: RecordedRequest) -> dict[str, Any]:
        return self.state.application.payload(self.state.bot)

    async def _get_user(self, _record: RecordedRequest, user_id: str) -> dict[str, Any]:
        return self.state.users[self._user_id(user_id)].payload()

    async def _create_dm(self, record: RecordedRequest) -> dict[str, Any]:
        recipient = str((record.json or {}).get("recipient_id", ""))
        user = self.state.users.get(int(recipient)) if recipient.isdigit() else None
        if user is None:
            raise DiscordError(400, 50033, "Invalid Recipient(s)")
        return self.state.dm_channel(user).payload()

    # --- commands --------------------------------------------------------------------------

    def _command_scope(self, app_id: str, guild_id: str | None) -> int | None:
        if app_id != str(self.state.application.id):
            raise DiscordError(403, 50001, "Missing Access")
        if guild_id is None:
            return None
        guild = self._guild(guild_id)
        return guild.id

    def commands(self, guild: FakeGuild | int | None = None) -> list[dict[str, Any]]:
        """The commands registered for a guild (or the global ones)."""
        scope = guild.id if isinstance(guild, FakeGuild) else guild
        return list(self.state.commands.get(scope, {}).values())

    def _stored_command(self, data: dict[str, Any], scope: int | None) -> dict[str, Any]:
        existing = self.state.commands.setdefault(scope, {})
        kind = data.get("type", 1)
        same = next(
            (
                c
                for c in existing.values()
                if c["name"] == data["name"] and c.get("type", 1) == kind
            ),
            None,
        )
        command = {
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **data,
            "id": same["id"] if same else str(self.state.snowflakes.next()),
            "application_id": str(self.state.application.id),
            "version": str(self.state.snowflakes.next()),
            "type": kind,
        }
        if kind != 1:
            command["description"] = ""
        if scope is not None:
            command["guild_id"] = str(scope)
        return command

    async def _list_commands(
        self, _record: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> list[dict[str, Any]]:
        return list(self.state.commands.get(self._command_scope(app_id, guild_id), {}).values())

    async def _overwrite_commands(
        self, record: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> list[dict[str, Any]]:
        scope = self._command_scope(app_id, guild_id)
        payload = record.json if isinstance(record.json, list) else []
        problems = check_command_list(payload)
        if problems:
            raise invalid_form_body(problems)
        stored = [self._stored_command(command, scope) for command in payload]
        self.state.commands[scope] = {int(c["id"]): c for c in stored}
        self.command_syncs.append(CommandSync(scope, payload))
        return stored

    async def _upsert_command(
        self, record: RecordedRequest, app_id: str, guild_id: str | None = None
    ) -> dict[str, Any]:
        scope = self._command_scope(app_id, guild_id)
        problems = check_command_list([record.json])
        if problems:
            raise invalid_form_body(problems)
        command = self._stored_command(record.json, scope)
        self.state.commands.setdefault(scope, {})[int(command["id"])] = command
        return command

    async def _get_command(
        self, _record: RecordedRequest, app_id: str, command_id: str, guild_id: str | None = None
    ) -> dict[str, Any]:
        commands = self.state.commands.get(self._command_scope(app_id, guild_id), {})
        if not command_id.isdigit() or int(command_id) not in commands:
            raise DiscordError(404, 10063, "Unknown application command")
        return commands[int(command_id)]

    async def _delete_command(
        self, _record: RecordedRequest, app_id: str, command_id: str, guild_id: str | None = None
    ) -> None:
        commands = self.state.commands.get(self._command_scope(app_id, guild_id), {})
        if not command_id.isdigit() or commands.pop(int(command_id), None) is None:
            raise DiscordError(404, 10063, "Unknown application command")

    # --- messages --------------------------------------------------------------------------

    def _attachments(
        self,
        channel: FakeChannel,
        payload: dict[str, Any],
        files: Sequence[UploadedFile],
        keep: Sequence[FakeAttachment] = (),
    ) -> list[FakeAttachment]:
        by_field = {f.field_name: f for f in files}
        kept = {a.id: a for a in keep}
        result: list[FakeAttachment] = []
        declared = payload.get("attachments")
        if declared is None:
            declared = [{"id": index} for index in range(len(files))]
        for item in declared:
            ident = int(item.get("id", 0))
            if ident in kept:
                result.append(kept[ident])
                continue
            upload = by_field.get(f"files[{ident}]")
            if upload is None:
                continue
            filename = item.get("filename") or upload.filename
            attachment = self._new_attachment(
                channel.id, filename, upload.data, item.get("description")
            )
            result.append(attachment)
        return result

    def _new_attachment(
        self, channel_id: int, filename: str, data: bytes, description: str | None = None
    ) -> FakeAttachment:
        attachment_id = self.state.snowflakes.next()
        attachment = FakeAttachment(
            attachment_id,
            filename,
            data,
            url=f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{filename}",
            content_type=mimetypes.guess_type(filename)[0],
            description=description,
        )
        self.uploads[attachment_id] = attachment
        return attachment

    def upload(self, filename: str, data: bytes | str) -> FakeAttachment:
        """A file a user attached to a slash command option (type 11)."""
        raw = data.encode() if isinstance(data, str) else data
        return self._new_attachment(0, filename, raw)

    def _check_message(
        self, payload: dict[str, Any], files: Sequence[UploadedFile], *, existing: int = 0
    ) -> None:
        problems, empty = check_message(payload, file_count=len(files) + existing)
        if problems:
            raise invalid_form_body(problems)
        if empty:
            raise DiscordError(400, 50006, "Cannot send an empty message")

    def _new_message(
        self,
        channel: FakeChannel,
        payload: dict[str, Any],
        files: Sequence[UploadedFile],
        *,
        author: FakeUser,
        allowed_flags: int,
        type: int = 0,
        webhook_id: int | None = None,
        interaction: InteractionResult | None = None,
        message_id: int | None = None,
    ) -> FakeMessage:
        self._check_message(payload, files)
        content = payload.get("content") or ""
        allowed = payload.get("allowed_mentions")
        users, roles, everyone = self.state.resolve_mentions(author, channel, content, allowed)
        embeds = [
            dict(embed, type=embed.get("type", "rich")) for embed in payload.get("embeds") or []
        ]
        if (
            channel.guild_id is not None
            and not self._can(channel, Perm.EMBED_LINKS)
            and webhook_id is None
        ):
            embeds = []  # Discord drops embeds silently without Embed Links
        message = FakeMessage(
            id=message_id or self.state.snowflakes.next(),
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=author,
            content=content,
            embeds=embeds,
            components=payload.get("components") or [],
            flags=(payload.get("flags") or 0) & allowed_flags,
            nonce=payload.get("nonce"),
            tts=bool(payload.get("tts")),
            type=type,
            allowed_mentions=allowed,
            mentions=users,
            mention_roles=roles,
            mention_everyone=everyone,
            webhook_id=webhook_id,
            application_id=self.state.application.id if webhook_id else None,
            message_reference=payload.get("message_reference"),
        )
        message.attachments = self._attachments(channel, payload, files)
        if interaction is not None:
            message.interaction_metadata = self._interaction_metadata(interaction)
        self.state.store_message(message)
        return message

    def _apply_edit(
        self, message: FakeMessage, payload: dict[str, Any], files: Sequence[UploadedFile]
    ) -> None:
        merged = {
            "content": payload.get("content", message.content),
            "embeds": payload.get("embeds", message.embeds),
            "components": payload.get("components", message.components),
            "flags": message.flags | ((payload.get("flags") or 0) & MessageFlags.IS_COMPONENTS_V2),
            "allowed_mentions": payload.get("allowed_mentions", message.allowed_mentions),
        }
        keep = message.attachments
        attachments = (
            self._attachments(self.state.channels[message.channel_id], payload, files, keep)
            if "attachments" in payload or files
            else keep
        )
        self._check_message(merged, [], existing=len(attachments))
        message.content = merged["content"] or ""
        message.embeds = [
            dict(embed, type=embed.get("type", "rich")) for embed in merged["embeds"] or []
        ]
        message.components = merged["components"] or []
        message.attachments = attachments
        if "allowed_mentions" in payload:
            message.allowed_mentions = payload["allowed_mentions"]
        if "content" in payload or "allowed_mentions" in payload:
            channel = self.state.channels[message.channel_id]
            users, roles, everyone = self.state.resolve_mentions(
                message.author, channel, message.content, message.allowed_mentions
            )
            message.mentions, message.mention_roles, message.mention_everyone = (
                users,
                roles,
                everyone,
            )
        if message.loading:
            message.flags &= ~MessageFlags.LOADING
        else:
            message.edited_timestamp = now_iso()
            message.edits += 1

    def _check_can_post(self, channel: FakeChannel) -> None:
        if channel.type not in ChannelType.MESSAGEABLE:
            raise DiscordError(400, 50008, "Cannot send messages in a non-text channel")
        if channel.type == ChannelType.DM:
            if not channel.recipients[0].accepts_dms:
                raise DiscordError(403, 50007, "Cannot send messages to this user")
            return
        if channel.is_thread:
            self._require(channel, Perm.SEND_MESSAGES_IN_THREADS)
            if channel.locked and not self._can(channel, Perm.MANAGE_THREADS):
                raise DiscordError(400, 50083, "Thread is archived")
        else:
            self._require(channel, Perm.SEND_MESSAGES)

    async def _create_message(self, record: RecordedRequest, channel_id: str) -> dict[str, Any]:
        channel = self._channel(channel_id)
        self._check_can_post(channel)
        payload = record.json or {}
        if record.files:
            self._require(channel, Perm.ATTACH_FILES)
        bot = self.state.bot
        nonce = payload.get("nonce")
        if nonce is not None and payload.get("enforce_nonce"):
            key = (channel.id, bot.id, str(nonce))
            seen = self._nonces.get(key)
            if seen is not None and time.monotonic() - seen[1] < NONCE_WINDOW:
                existing = self.state.messages.get(channel.id, {}).get(seen[0])
                if existing is not None:
                    return existing.payload()
        allowed = (
            MessageFlags.SUPPRESS_EMBEDS
            | MessageFlags.SUPPRESS_NOTIFICATIONS
            | MessageFlags.IS_COMPONENTS_V2
        )
        message = self._new_message(
            channel, payload, record.files, author=bot, allowed_flags=allowed
        )
        if nonce is not None and payload.get("enforce_nonce"):
            self._nonces[(channel.id, bot.id, str(nonce))] = (message.id, time.monotonic())
        if channel.is_thread and channel.archived:
            channel.archived = False
            await self.dispatch("THREAD_UPDATE", channel.payload(), guild_id=channel.guild_id)
        await self._dispatch_message("MESSAGE_CREATE", message)
        return message.payload()

    async def _dispatch_message(self, event: str, message: FakeMessage) -> None:
        data = message.payload()
        if message.guild_id is not None:
            guild = self.state.guilds[message.guild_id]
            member = guild.members.get(message.author.id)
            if member is not None:
                data["member"] = member.payload(with_user=False)
        await self.dispatch(event, data, guild_id=message.guild_id)

    async def _list_messages(
        self, record: RecordedRequest, channel_id: str
    ) -> list[dict[str, Any]]:
        channel = self._channel(channel_id)
        if channel.guild_id is not None and not self._can(channel, Perm.READ_MESSAGE_HISTORY):
            return []
        limit = min(max(int(record.query.get("limit", 50)), 1), 100)
        messages = sorted(
            (m for m in self.state.messages_in(channel) if not m.ephemeral), key=lambda m: m.id
        )
        if "after" in record.query:
            after = int(record.query["after"])
            return [m.payload() for m in reversed([m for m in messages if m.id > after][:limit])]
        if "before" in record.query:
            before = int(record.query["before"])
            messages = [m for m in messages if m.id < before]
        if "around" in record.query:
            around = int(record.query["around"])
            older = [m for m in messages if m.id <= around][-(limit // 2 + 1) :]
            newer = [m for m in messages if m.id > around][: limit - len(older)]
            return [m.payload() for m in reversed(older + newer)]
        return [m.payload() for m in reversed(messages[-limit:])]

    async def _get_message(
        self, _record: RecordedRequest, channel_id: str, message_id: str
    ) -> dict[str, Any]:
        channel = self._channel(channel_id)
        if channel.guild_id is not None:
            self._require(channel, Perm.READ_MESSAGE_HISTORY)
        return self._message(channel, message_id).payload()

    async def _edit_message(
        self, record: RecordedRequest, channel_id: str, message_id: str
    ) -> dict[str, Any]:
        channel = self._channel(channel_id)
        message = self._message(channel, message_id)
        payload = record.json or {}
        if message.author.id != self.state.bot.id:
            if set(payload) - {"flags"}:
                raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
            self._require(channel, Perm.MANAGE_MESSAGES)
        self._apply_edit(message, payload, record.files)
        await self._dispatch_message("MESSAGE_UPDATE", message)
        return message.payload()

    async def _delete_message(
        self, _record: RecordedRequest, channel_id: str, message_id: str
    ) -> None:
        channel = self._channel(channel_id)
        message = self._message(channel, message_id)
        if message.author.id != self.state.bot.id:
            self._require(channel, Perm.MANAGE_MESSAGES)
        del self.state.messages[channel.id][message.id]
        self.state.deleted_messages.append(message)
        data = {"id": str(message.id), "channel_id": str(channel.id)}
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
        await self.dispatch("MESSAGE_DELETE", data, guild_id=channel.guild_id)

    # --- threads ---------------------------------------------------------------------------

    def _thread_options(self, payload: dict[str, Any]) -> tuple[str, int]:
        name = payload.get("name")
        problems = Problems()
        problems.length_between(("name",), name, 1, THREAD_NAME_MAX)
        duration = payload.get("auto_archive_duration") or 4320
        if duration not in THREAD_ARCHIVE_DURATIONS:
            problems.add(
                ("auto_archive_duration",),
                "BASE_TYPE_CHOICES",
                f"Value must be one of {THREAD_ARCHIVE_DURATIONS}.",
            )
        if problems:
            raise invalid_form_body(problems)
        return str(name), int(duration)

    async def _announce_thread(self, thread: FakeChannel) -> None:
        data = thread.payload(me=self.state.bot.id) | {"newly_created": True}
        await self.dispatch("THREAD_CREATE", data, guild_id=thread.guild_id)

    async def _thread_from_message(
        self, record: RecordedRequest, channel_id: str, message_id: str
    ) -> dict[str, Any]:
        channel = self._channel(channel_id)
        if channel.type not in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT):
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        message = self._message(channel, message_id)
        self._require(channel, Perm.CREATE_PUBLIC_THREADS, Perm.READ_MESSAGE_HISTORY)
        if message.thread is not None:
            raise DiscordError(400, 160004, "A thread has already been created for this message")
        name, duration = self._thread_options(record.json or {})
        kind = (
            ChannelType.ANNOUNCEMENT_THREAD
            if channel.type == ChannelType.GUILD_ANNOUNCEMENT
            else ChannelType.PUBLIC_THREAD
        )
        # A thread started from a message has that message's id.
        thread = self.state.add_thread(
            channel,
            name,
            owner=self.state.bot,
            type=kind,
            thread_id=message.id,
            auto_archive_duration=duration,
        )
        message.thread = thread
        message.flags |= MessageFlags.HAS_THREAD
        await self._announce_thread(thread)
        return thread.payload(me=self.state.bot.id)

    async def _create_thread(self, record: RecordedRequest, channel_id: str) -> dict[str, Any]:
        channel = self._channel(channel_id)
        payload = record.json or {}
        if channel.is_forum:
            return await self._create_forum_post(channel, payload, record.files)
        if channel.type not in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT):
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        kind = int(payload.get("type") or ChannelType.PRIVATE_THREAD)
        needed = (
            Perm.CREATE_PRIVATE_THREADS
            if kind == ChannelType.PRIVATE_THREAD
            else Perm.CREATE_PUBLIC_THREADS
        )
        self._require(channel, needed)
        name, duration = self._thread_options(payload)
        thread = self.state.add_thread(
            channel, name, owner=self.state.bot, type=kind, auto_archive_duration=duration
        )
        thread.invitable = bool(payload.get("invitable", True))
        await self._announce_thread(thread)
        return thread.payload(me=self.state.bot.id)

    async def _create_forum_post(
        self, forum: FakeChannel, payload: dict[str, Any], files: Sequence[UploadedFile]
    ) -> dict[str, Any]:
        self._require(forum, Perm.SEND_MESSAGES)
        if files:
            self._require(forum, Perm.ATTACH_FILES)
        name, duration = self._thread_options(payload)
        tags = [int(tag) for tag in payload.get("applied_tags") or []]
        known = {int(tag["id"]) for tag in forum.available_tags}
        if any(tag not in known for tag in tags) or len(tags) > 5:
            problems = Problems()
            problems.add(
                ("applied_tags",),
                "BASE_TYPE_CHOICES",
                "Tags must be tags of this forum (at most 5)",
            )
            raise invalid_form_body(problems)
        if forum.flags & (1 << 4) and not tags:  # REQUIRE_TAG
            raise DiscordError(
                400, 40067, "A tag is required to create a forum post in this channel"
            )
        message_payload = payload.get("message") or {}
        self._check_message(message_payload, files)
        thread = self.state.add_thread(
            forum, name, owner=self.state.bot, auto_archive_duration=duration, applied_tags=tags
        )
        # The starter message of a forum post has the post's id.
        message = self._new_message(
            thread,
            message_payload,
            files,
            author=self.state.bot,
            allowed_flags=MessageFlags.SUPPRESS_EMBEDS
            | MessageFlags.SUPPRESS_NOTIFICATIONS
            | MessageFlags.IS_COMPONENTS_V2,
            message_id=thread.id,
        )
        forum.last_message_id = thread.id
        await self._announce_thread(thread)
        return thread.payload(me=self.state.bot.id) | {"message": message.payload()}

    def _thread(self, channel_id: str) -> FakeChannel:
        thread = self._channel(channel_id)
        if not thread.is_thread:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        return thread

    async def _add_thread_member(
        self, _record: RecordedRequest, channel_id: str, user_id: str
    ) -> None:
        thread = self._thread(channel_id)
        member_id = self._user_id(user_id)
        guild = self.state.guilds[thread.guild_id or 0]
        if member_id not in guild.members:
            raise DiscordError(404, 10007, "Unknown Member")
        if thread.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        if member_id != self.state.bot.id:
            self._require(thread, Perm.SEND_MESSAGES_IN_THREADS)
            if thread.type == ChannelType.PRIVATE_THREAD and not thread.invitable:
                self._require(thread, Perm.MANAGE_THREADS)
        if member_id in thread.thread_members:
            return
        thread.thread_members[member_id] = now_iso()
        await self._thread_members_changed(thread, added=[member_id], removed=[])

    async def _remove_thread_member(
        self, _record: RecordedRequest, channel_id: str, user_id: str
    ) -> None:
        thread = self._thread(channel_id)
        member_id = self._user_id(user_id)
        if thread.archived:
            raise DiscordError(400, 50083, "Thread is archived")
        if member_id != self.state.bot.id and thread.owner_id != self.state.bot.id:
            self._require(thread, Perm.MANAGE_THREADS)
        if thread.thread_members.pop(member_id, None) is not None:
            await self._thread_members_changed(thread, added=[], removed=[member_id])

    async def _thread_members_changed(
        self, thread: FakeChannel, *, added: list[int], removed: list[int]
    ) -> None:
        data = {
            "id": str(thread.id),
            "guild_id": str(thread.guild_id),
            "member_count": len(thread.thread_members),
            "added_members": [thread.thread_member_payload(user) for user in added],
            "removed_member_ids": [str(user) for user in removed],
        }
        bot = self.state.bot.id
        # Without GUILD_MEMBERS, Discord only tells the bot about itself.
        await self.dispatch(
            "THREAD_MEMBERS_UPDATE",
            data,
            guild_id=thread.guild_id,
            about_self=bot in added + removed,
        )

    async def _list_thread_members(
        self, _record: RecordedRequest, channel_id: str
    ) -> list[dict[str, Any]]:
        thread = self._thread(channel_id)
        if not self.members_intent_enabled:
            raise DiscordError(403, 50001, "Missing Access")
        return [thread.thread_member_payload(user) for user in thread.thread_members]

    async def _get_thread_member(
        self, _record: RecordedRequest, channel_id: str, user_id: str
    ) -> dict[str, Any]:
        thread = self._thread(channel_id)
        member_id = self._user_id(user_id)
        if member_id not in thread.thread_members:
            raise DiscordError(404, 10007, "Unknown Member")
        return thread.thread_member_payload(member_id)

    async def _archived_threads(self, record: RecordedRequest, channel_id: str) -> dict[str, Any]:
        """Public archived threads, most recently archived first, `limit` (2 to 100, default
        50) at a time, those archived before `before` (an ISO timestamp) when given."""
        channel = self._channel(channel_id)
        self._require(channel, Perm.READ_MESSAGE_HISTORY)
        limit = int(record.query.get("limit", 50))
        if not 2 <= limit <= 100:
            problems = Problems()
            problems.add(("limit",), "NUMBER_TYPE_MIN", "Value must be between 2 and 100.")
            raise invalid_form_body(problems)
        threads = sorted(
            (
                t
                for t in self.state.channels.values()
                if t.parent_id == channel.id
                and t.is_thread
                and t.archived
                and t.type != ChannelType.PRIVATE_THREAD
            ),
            key=lambda t: datetime.fromisoformat(t.archive_timestamp),
            reverse=True,
        )
        if "before" in record.query:
            before = datetime.fromisoformat(record.query["before"])
            threads = [t for t in threads if datetime.fromisoformat(t.archive_timestamp) < before]
        return self._thread_list(threads[:limit]) | {"has_more": len(threads) > limit}

    def _thread_list(self, threads: list[FakeChannel]) -> dict[str, Any]:
        bot = self.state.bot.id
        return {
            "threads": [thread.payload() for thread in threads],
            "members": [
                thread.thread_member_payload(bot)
                for thread in threads
                if bot in thread.thread_members
            ],
        }

    async def _active_threads(self, _record: RecordedRequest, guild_id: str) -> dict[str, Any]:
        guild = self._guild(guild_id)
        return self._thread_list([t for t in self.state.threads_of(guild) if not t.archived])

    async def _get_channel(self, _record: RecordedRequest, channel_id: str) -> dict[str, Any]:
        return self._channel(channel_id).payload(me=self.state.bot.id)

    async def _edit_channel(self, record: RecordedRequest, channel_id: str) -> dict[str, Any]:
        channel = self._channel(channel_id)
        payload = record.json or {}
        if channel.is_thread:
            owner = channel.owner_id == self.state.bot.id
            if "locked" in payload or not owner:
                self._require(channel, Perm.MANAGE_THREADS)
            if "name" in payload or "auto_archive_duration" in payload:
                name, duration = self._thread_options(
                    {
                        "name": payload.get("name", channel.name),
                        "auto_archive_duration": payload.get(
                            "auto_archive_duration", channel.auto_archive_duration
                        ),
                    }
                )
                channel.name, channel.auto_archive_duration = name, duration
            if "archived" in payload:
                channel.archived = bool(payload["archived"])
                channel.archive_timestamp = now_iso()
            if "locked" in payload:
                channel.locked = bool(payload["locked"])
            if "invitable" in payload:
                channel.invitable = bool(payload["invitable"])
            if "applied_tags" in payload:
                channel.applied_tags = [int(tag) for tag in payload["applied_tags"]]
            await self.dispatch("THREAD_UPDATE", channel.payload(), guild_id=channel.guild_id)
            return channel.payload(me=self.state.bot.id)
        self._require(channel, Perm.MANAGE_CHANNELS)
        for key in ("name", "topic", "nsfw", "rate_limit_per_user", "position"):
            if key in payload:
                setattr(channel, key, payload[key])
        await self.dispatch("CHANNEL_UPDATE", channel.payload(), guild_id=channel.guild_id)
        return channel.payload()

    async def _delete_channel(self, _record: RecordedRequest, channel_id: str) -> dict[str, Any]:
        channel = self._channel(channel_id)
        self._require(channel, Perm.MANAGE_THREADS if channel.is_thread else Perm.MANAGE_CHANNELS)
        data = channel.payload()
        del self.state.channels[channel.id]
        if (
            channel.guild_id is not None
            and channel.id in self.state.guilds[channel.guild_id].channel_ids
        ):
            self.state.guilds[channel.guild_id].channel_ids.remove(channel.id)
        if channel.is_thread:
            event = {
                "id": str(channel.id),
                "guild_id": str(channel.guild_id),
                "parent_id": str(channel.parent_id),
                "type": channel.type,
            }
            await self.dispatch("THREAD_DELETE", event, guild_id=channel.guild_id)
        else:
            await self.dispatch("CHANNEL_DELETE", data, guild_id=channel.guild_id)
        return data

    # --- guilds, roles, members ------------------------------------------------------------

    async def _get_guild(self, record: RecordedRequest, guild_id: str) -> dict[str, Any]:
        guild = self._guild(guild_id)
        data = guild.payload()
        if record.query.get("with_counts") in ("true", "1", "True"):
            data |= {
                "approximate_member_count": len(guild.members),
                "approximate_presence_count": 0,
            }
        return data

    async def _list_guild_channels(
        self, _record: RecordedRequest, guild_id: str
    ) -> list[dict[str, Any]]:
        guild = self._guild(guild_id)
        return [self.state.channels[c].payload() for c in guild.channel_ids]

    async def _create_guild_channel(self, record: RecordedRequest, guild_id: str) -> dict[str, Any]:
        guild = self._guild(guild_id)
        self._require_guild(guild, Perm.MANAGE_CHANNELS)
        payload = record.json or {}
        channel = await self.add_channel(
            payload.get("name", "channel"),
            guild=guild,
            type=int(payload.get("type") or 0),
            topic=payload.get("topic"),
        )
        return channel.payload()

    async def _list_roles(self, _record: RecordedRequest, guild_id: str) -> list[dict[str, Any]]:
        guild = self._guild(guild_id)
        return [role.payload() for role in sorted(guild.roles.values(), key=lambda r: r.position)]

    async def _get_role(
        self, _record: RecordedRequest, guild_id: str, role_id: str
    ) -> dict[str, Any]:
        guild = self._guild(guild_id)
        return self._role(guild, role_id).payload()

    def _check_role_below_bot(self, guild: FakeGuild, role: FakeRole) -> None:
        bot = self.state.bot.id
        if guild.owner_id != bot and role.position >= guild.top_role_position(bot):
            raise missing_permissions()

    async def _create_role(self, record: RecordedRequest, guild_id: str) -> dict[str, Any]:
        guild = self._guild(guild_id)
        self._require_guild(guild, Perm.MANAGE_ROLES)
        payload = record.json or {}
        permissions = int(payload.get("permissions") or 0)
        if permissions & ~self.state.base_permissions(guild, self.state.bot.id):
            raise missing_permissions()
        problems = Problems()
        problems.too_long(("name",), payload.get("name"), 100)
        if problems:
            raise invalid_form_body(problems)
        for role in guild.roles.values():  # new roles go just above @everyone
            if role.position >= 1:
                role.position += 1
        role = self.state.add_role(
            guild,
            payload.get("name") or "new role",
            permissions=permissions,
            mentionable=bool(payload.get("mentionable")),
            position=1,
            color=int(payload.get("color") or 0),
        )
        role.hoist = bool(payload.get("hoist"))
        await self.dispatch(
            "GUILD_ROLE_CREATE",
            {"guild_id": str(guild.id), "role": role.payload()},
            guild_id=guild.id,
        )
        return role.payload()

    async def _edit_role(
        self, record: RecordedRequest, guild_id: str, role_id: str
    ) -> dict[str, Any]:
        guild = self._guild(guild_id)
        self._require_guild(guild, Perm.MANAGE_ROLES)
        role = self._role(guild, role_id)
        self._check_role_below_bot(guild, role)
        payload = record.json or {}
        for key in ("name", "mentionable", "hoist", "color"):
            if key in payload:
                setattr(role, key, payload[key])
        if "permissions" in payload:
            role.permissions = int(payload["permissions"])
        await self.dispatch(
            "GUILD_ROLE_UPDATE",
            {"guild_id": str(guild.id), "role": role.payload()},
            guild_id=guild.id,
        )
        return role.payload()

    async def _delete_role(self, _record: RecordedRequest, guild_id: str, role_id: str) -> None:
        guild = self._guild(guild_id)
        self._require_guild(guild, Perm.MANAGE_ROLES)
        role = self._role(guild, role_id)
        self._check_role_below_bot(guild, role)
        if role.managed or role.is_everyone:
            raise DiscordError(400, 50028, "Invalid Role")
        del guild.roles[role.id]
        for member in guild.members.values():
            if role.id in member.roles:
                member.roles.remove(role.id)
        await self.dispatch(
            "GUILD_ROLE_DELETE",
            {"guild_id": str(guild.id), "role_id": str(role.id)},
            guild_id=guild.id,
        )

    async def _list_members(self, record: RecordedRequest, guild_id: str) -> list[dict[str, Any]]:
        guild = self._guild(guild_id)
        if not self.members_intent_enabled:
            raise DiscordError(403, 50001, "Missing Access")
        after = int(record.query.get("after", 0))
        limit = int(record.query.get("limit", 1))
        members = sorted((m for m in guild.members.values() if m.id > after), key=lambda m: m.id)
        return [member.payload() for member in members[:limit]]

    async def _get_member(
        self, _record: RecordedRequest, guild_id: str, user_id: str
    ) -> dict[str, Any]:
        guild = self._guild(guild_id)
        member = guild.members.get(self._user_id(user_id))
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return member.payload()

    def _member_role_change(
        self, guild_id: str, user_id: str, role_id: str
    ) -> tuple[FakeGuild, int, FakeRole]:
        guild = self._guild(guild_id)
        self._require_guild(guild, Perm.MANAGE_ROLES)
        member_id = self._user_id(user_id)
        if member_id not in guild.members:
            raise DiscordError(404, 10007, "Unknown Member")
        role = self._role(guild, role_id)
        self._check_role_below_bot(guild, role)
        if role.managed or role.is_everyone:
            raise missing_permissions()
        return guild, member_id, role

    async def _add_member_role(
        self, _record: RecordedRequest, guild_id: str, user_id: str, role_id: str
    ) -> None:
        guild, member_id, role = self._member_role_change(guild_id, user_id, role_id)
        member = guild.members[member_id]
        if role.id not in member.roles:
            member.roles.append(role.id)
            await self._member_updated(guild, member_id)

    async def _remove_member_role(
        self, _record: RecordedRequest, guild_id: str, user_id: str, role_id: str
    ) -> None:
        guild, member_id, role = self._member_role_change(guild_id, user_id, role_id)
        member = guild.members[member_id]
        if role.id in member.roles:
            member.roles.remove(role.id)
            await self._member_updated(guild, member_id)

    async def _member_updated(self, guild: FakeGuild, member_id: int) -> None:
        data = guild.members[member_id].payload() | {"guild_id": str(guild.id)}
        await self.dispatch("GUILD_MEMBER_UPDATE", data, guild_id=guild.id)
