"""A Discord-compatible server on loopback that the real bot logs in to.

It speaks the gateway (HELLO, IDENTIFY → READY and GUILD_CREATE, heartbeats, dispatches
filtered by intents) and the REST routes the bot uses, keeps a world (`FakeState`) that
those routes change, records every request, and lets a test play a user: send an
interaction, then read what the bot answered.

    async with FakeDiscord() as fake:
        settings = load_settings(DISCORD_TOKEN=fake.token, DISCORD_API_BASE=fake.api_base)
        ...
        result = await fake.command("circle about", user=fake.world.member)
        assert result.ephemeral

Discord behaviour it keeps, because features rely on it: JSON answers carry exactly
`Content-Type: application/json`; a 429 has a `Via` header and `retry_after`; messages
never carry `"poll": null`; `enforce_nonce` returns the first message for a repeated nonce;
interaction callbacks must come within the deadline (3 s) and only once; the first follow-up
after a deferred response fills in the "thinking" message; permissions are checked
(403 50013); message, modal, autocomplete and command limits are checked (400 50035).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from aiohttp import BodyPartReader, web

from tests.fakediscord.events import EventsMixin
from tests.fakediscord.gateway import GatewayMixin, GatewaySession
from tests.fakediscord.handling import InteractionTasks
from tests.fakediscord.interactions import (
    CallbackType,
    InteractionBuilder,
    InteractionResult,
    InteractionType,
    User,
    user_of,
)
from tests.fakediscord.model import (
    ChannelType,
    DefaultWorld,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMessage,
    FakeRole,
    FakeState,
    FakeUser,
    MessageFlags,
    Perm,
    build_default_world,
)
from tests.fakediscord.protocol import (
    CommandSync,
    DiscordError,
    RecordedRequest,
    Reply,
    UploadedFile,
    invalid_form_body,
    path_regex,
)
from tests.fakediscord.rest import RestMixin
from tests.fakediscord.validation import Problems, check_choices, check_modal

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
POLL_INTERVAL = 0.02
# How often settling looks again at an interaction's tasks that are not finished.
SETTLE_POLL = 0.01
LISTEN_BACKLOG = 4096  # the kernel caps it at net.core.somaxconn

Handler = Callable[..., Awaitable[Any]]


@dataclass
class _Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    times: int
    # True: the request takes effect, and only its answer is the error (a lost response).
    after_handling: bool = False


@dataclass
class _Limit:
    method: str
    pattern: re.Pattern[str]
    headers: dict[str, str]
    times: int


@dataclass
class _Route:
    method: str
    template: str
    regex: re.Pattern[str]
    handler: Handler
    auth: bool


class FakeDiscord(RestMixin, EventsMixin, GatewayMixin):
    """The fake Discord. Use as an async context manager, or `start()` / `stop()`.

    `world` is the default guild (see `DefaultWorld`); `state` is everything; `token` is the
    bot token it accepts; `api_base` goes in DISCORD_API_BASE.
    """

    def __init__(
        self,
        *,
        bot_permissions: int = Perm.ADMINISTRATOR,
        shards: int = 1,
        populate: bool = True,
        interaction_deadline: float = 3.0,
        heartbeat_interval: float = 41.25,
        privileged_intents: int = 0,
        members_intent_enabled: bool = False,
    ) -> None:
        self.state = FakeState()
        self._bot_permissions = bot_permissions
        self._world = (
            build_default_world(self.state, bot_permissions=bot_permissions) if populate else None
        )
        self.payloads = InteractionBuilder(self.state)
        self.shards = shards
        # How many shards may IDENTIFY together (`/gateway/bot`'s session_start_limit).
        self.max_concurrency = 1
        self.interaction_deadline = interaction_deadline
        self.heartbeat_interval = heartbeat_interval
        self.privileged_intents = privileged_intents
        self.members_intent_enabled = members_intent_enabled
        self.tokens = {self.state.token}
        self.requests: list[RecordedRequest] = []
        self.sessions: list[GatewaySession] = []
        self.identifies: list[dict[str, Any]] = []
        self.resumes: list[dict[str, Any]] = []
        # False answers every RESUME with "invalid session", forcing a new IDENTIFY.
        self.allow_resume = True
        # Seconds between an IDENTIFY and its READY (and GUILD_CREATE): a lagging gateway.
        self.ready_delay = 0.0
        self.gateway_log: list[tuple[str, dict[str, Any]]] = []
        self.command_syncs: list[CommandSync] = []
        self.interactions: dict[int, InteractionResult] = {}
        self._by_token: dict[str, InteractionResult] = {}
        self.uploads: dict[int, FakeAttachment] = {}
        # A test that means to hit routes the fake lacks sets this; otherwise the fixture fails.
        self.allow_unknown_routes = False
        self._failures: list[_Failure] = []
        self._holds: list[tuple[str, re.Pattern[str], float]] = []
        self._limits: list[_Limit] = []
        self._stopping = asyncio.Event()
        self._nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self._changed = asyncio.Event()
        self._routes = self._build_routes()
        self._runner: web.AppRunner | None = None
        # What bots in this process do for each interaction (`running_bot` watches them).
        self.handling = InteractionTasks()
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> Self:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/{tail:.*}", self._http)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        # Discord's edge never turns a connection away; with aiohttp's default backlog (128),
        # a burst of requests on new connections overflows the listen queue, and each dropped
        # SYN costs its request the kernel's 1 s retransmission.
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=LISTEN_BACKLOG)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._stopping.set()
        self.handling.close()
        for session in self.sessions:
            if not session.ws.closed:
                with contextlib.suppress(Exception):
                    await session.ws.close(code=1001, message=b"fake Discord stopping")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """The value for DISCORD_API_BASE."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def token(self) -> str:
        return self.state.token

    @property
    def world(self) -> DefaultWorld:
        if self._world is None:
            raise AttributeError("this FakeDiscord was created with populate=False")
        return self._world

    @property
    def bot_user(self) -> FakeUser:
        return self.state.bot

    # --- waiting ---------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(
        self,
        condition: Callable[[], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        what: str = "a condition",
    ) -> None:
        """Wait until `condition()` holds: checked when the fake's state changes, and polled."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            changed = self._changed
            if condition():
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = "\n  ".join(str(r) for r in self.requests[-10:]) or "(none)"
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what}; last requests:\n  {recent}"
                )
            with contextlib.suppress(TimeoutError):
                # Also poll: the condition may depend on the bot's state, not only the fake's.
                await asyncio.wait_for(changed.wait(), min(remaining, POLL_INTERVAL))

    def mark(self) -> int:
        """A position in the request log, for `since=` (only requests after it count)."""
        return len(self.requests)

    def requests_to(self, method: str, pattern: str, *, since: int = 0) -> list[RecordedRequest]:
        """Answered requests with `method` whose path matches `pattern`, oldest first.

        `pattern` is a path where `{name}` stands for one segment, e.g.
        `"/channels/{id}/messages"` or `f"/channels/{channel.id}/messages"`.
        """
        regex = path_regex(pattern)
        return [
            r
            for r in self.requests[since:]
            if r.method == method.upper() and regex.fullmatch(r.path) and r.status
        ]

    async def wait_for_request(
        self,
        method: str,
        pattern: str,
        *,
        since: int = 0,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> RecordedRequest:
        """The first answered request matching (after `since`), waiting for it if needed."""
        found: list[RecordedRequest] = []

        def matched() -> bool:
            found[:] = [
                r
                for r in self.requests_to(method, pattern, since=since)
                if predicate is None or predicate(r)
            ]
            return bool(found)

        await self.wait_until(matched, timeout=timeout, what=f"{method} {pattern}")
        return found[0]

    async def wait_for_identify(self, *, count: int = 1, timeout: float = 10.0) -> dict[str, Any]:  # noqa: ASYNC109
        """The `count`-th IDENTIFY payload, once the bot has sent it."""
        await self.wait_until(
            lambda: len(self.identifies) >= count, timeout=timeout, what="IDENTIFY"
        )
        return self.identifies[count - 1]

    async def wait_until_connected(self, *, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Until every shard has identified and been sent its guilds."""

        def connected() -> bool:
            live = [s for s in self.sessions if s.ready and not s.closed]
            if not live:
                return False
            counts = {s.shard[1] for s in live if s.shard}
            return not counts or len(live) >= max(counts) or any(s.shard is None for s in live)

        await self.wait_until(connected, timeout=timeout, what="the bot to connect to the gateway")

    # --- faults ----------------------------------------------------------------------------

    def hold_next(self, method: str, pattern: str, seconds: float) -> None:
        """Answer the next matching request only after `seconds` (a slow Discord)."""
        self._holds.append((method.upper(), path_regex(pattern), seconds))

    def fail_next(
        self,
        method: str,
        pattern: str,
        status: int,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
        code: int = 0,
        message: str | None = None,
        after_handling: bool = False,
        via: bool = True,
    ) -> None:
        """Answer the next `times` matching requests with `status` instead of handling them.

        429 answers look like Discord's rate limits (`Via`, `retry_after`, `global`);
        others carry `{"message", "code"}`. With `after_handling`, the request is handled
        first (the message is created, say) and only the answer is lost to the error, as when
        Discord fails after doing the work.
        A 429 without `via` has no `Via` header: a REST
        proxy's own answer rather than Discord's.
        """
        headers: dict[str, str] = {}
        if status == 429:
            body: dict[str, Any] = {
                "message": message or "You are being rate limited.",
                "retry_after": retry_after,
                "global": is_global,
            }
            headers = {
                **({"Via": "1.1 google"} if via else {}),
                "Retry-After": str(max(1, round(retry_after))),
                "X-RateLimit-Scope": "global" if is_global else "user",
            }
            if not is_global:
                headers["X-RateLimit-Limit"] = "5"
                headers["X-RateLimit-Remaining"] = "0"
                headers["X-RateLimit-Reset-After"] = str(retry_after)
                headers["X-RateLimit-Bucket"] = secrets.token_hex(8)
        else:
            body = {"message": message or f"{status}: fake Discord failure", "code": code}
        self._failures.append(
            _Failure(
                method.upper(), path_regex(pattern), status, body, headers, times, after_handling
            )
        )

    def limit_next(
        self,
        method: str,
        pattern: str,
        *,
        remaining: int = 0,
        reset_after: float = 1.0,
        limit: int = 5,
        times: int = 1,
    ) -> None:
        """Answer the next `times` matching requests as usual, with `X-RateLimit-*` headers
        saying the route's bucket has `remaining` requests left for `reset_after` seconds
        (as Discord, or a REST proxy passing Discord's headers on, does)."""
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset-After": str(reset_after),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Bucket": secrets.token_hex(8),
        }
        self._limits.append(_Limit(method.upper(), path_regex(pattern), headers, times))

    # --- HTTP ------------------------------------------------------------------------------

    async def _http(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/attachments/"):
            return self._cdn(path)
        payload, files = await _read_body(request)
        api_path = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else path
        record = RecordedRequest(
            method=request.method,
            path=api_path,
            query=dict(request.query),
            headers=dict(request.headers),
            json=payload,
            files=files,
        )
        self.requests.append(record)
        try:
            reply = await self._answer(record, in_api=path.startswith(API_PREFIX))
        except DiscordError as exc:
            reply = Reply(exc.status, exc.body, exc.headers)
        except Exception as exc:  # a bug in the fake: answer 500 and make it visible
            log.exception("fake Discord failed on %s %s", record.method, record.path)
            reply = Reply(500, {"message": f"fake Discord error: {exc!r}", "code": 0})
        record.status = reply.status
        record.response = reply.body
        self._notify()
        if reply.body is None:
            return web.Response(status=reply.status, headers=reply.headers)
        headers = {"Content-Type": "application/json", **reply.headers}
        return web.Response(
            status=reply.status, body=json.dumps(reply.body).encode(), headers=headers
        )

    async def _answer(self, record: RecordedRequest, *, in_api: bool) -> Reply:
        route, params = self._match(record) if in_api else (None, {})
        if route is None:
            raise DiscordError(404, 0, "404: Not Found")
        record.route = f"{route.method} {route.template}"
        record.params = params
        if route.auth and record.headers.get("Authorization") not in {
            f"Bot {t}" for t in self.tokens
        }:
            raise DiscordError(401, 0, "401: Unauthorized")
        for hold in self._holds:
            if hold[0] == record.method and hold[1].fullmatch(record.path):
                self._holds.remove(hold)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), hold[2])
                break
        failed = next(
            (
                failure
                for failure in self._failures
                if failure.times > 0
                and failure.method == record.method
                and failure.pattern.fullmatch(record.path)
            ),
            None,
        )
        if failed is not None:
            failed.times -= 1
            if not failed.after_handling:
                return Reply(failed.status, failed.body, failed.headers)
        result = await route.handler(record, **params)
        if failed is not None:
            return Reply(failed.status, failed.body, failed.headers)
        reply = (
            result if isinstance(result, Reply) else Reply(204 if result is None else 200, result)
        )
        limited = next(
            (
                limit
                for limit in self._limits
                if limit.times > 0
                and limit.method == record.method
                and limit.pattern.fullmatch(record.path)
            ),
            None,
        )
        if limited is not None and reply.status < 400:
            limited.times -= 1
            reply = Reply(reply.status, reply.body, {**reply.headers, **limited.headers})
        return reply

    def _match(self, record: RecordedRequest) -> tuple[_Route | None, dict[str, str]]:
        for route in self._routes:
            if route.method != record.method:
                continue
            found = route.regex.fullmatch(record.path)
            if found:
                return route, found.groupdict()
        return None, {}

    def _cdn(self, path: str) -> web.Response:
        parts = path.split("/")
        attachment = (
            self.uploads.get(int(parts[3])) if len(parts) > 3 and parts[3].isdigit() else None
        )
        if attachment is None:
            return web.Response(status=404)
        return web.Response(
            body=attachment.data, content_type=attachment.content_type or "application/octet-stream"
        )

    def _build_routes(self) -> list[_Route]:
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", "/gateway", self._get_gateway, False),
            ("GET", "/gateway/bot", self._get_gateway_bot, True),
            ("GET", "/users/@me", self._get_me, True),
            ("GET", "/oauth2/applications/@me", self._get_application, True),
            ("GET", "/applications/@me", self._get_application, True),
            ("POST", "/users/@me/channels", self._create_dm, True),
            ("GET", "/users/{user_id}", self._get_user, True),
            # Commands, global and per guild.
            ("GET", "/applications/{app_id}/commands", self._list_commands, True),
            ("PUT", "/applications/{app_id}/commands", self._overwrite_commands, True),
            ("POST", "/applications/{app_id}/commands", self._upsert_command, True),
            ("GET", "/applications/{app_id}/commands/{command_id}", self._get_command, True),
            ("DELETE", "/applications/{app_id}/commands/{command_id}", self._delete_command, True),
            ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._list_commands, True),
            (
                "PUT",
                "/applications/{app_id}/guilds/{guild_id}/commands",
                self._overwrite_commands,
                True,
            ),
            (
                "POST",
                "/applications/{app_id}/guilds/{guild_id}/commands",
                self._upsert_command,
                True,
            ),
            (
                "GET",
                "/applications/{app_id}/guilds/{guild_id}/commands/{command_id}",
                self._get_command,
                True,
            ),
            (
                "DELETE",
                "/applications/{app_id}/guilds/{guild_id}/commands/{command_id}",
                self._delete_command,
                True,
            ),
            # Interactions and their webhooks: authenticated by the interaction token.
            (
                "POST",
                "/interactions/{interaction_id}/{token}/callback",
                self._interaction_callback,
                False,
            ),
            ("POST", "/webhooks/{webhook_id}/{token}", self._followup, False),
            (
                "GET",
                "/webhooks/{webhook_id}/{token}/messages/{message_id}",
                self._get_webhook_message,
                False,
            ),
            (
                "PATCH",
                "/webhooks/{webhook_id}/{token}/messages/{message_id}",
                self._edit_webhook_message,
                False,
            ),
            (
                "DELETE",
                "/webhooks/{webhook_id}/{token}/messages/{message_id}",
                self._delete_webhook_message,
                False,
            ),
            # Guild scheduled events.
            ("GET", "/guilds/{guild_id}/scheduled-events", self._list_scheduled_events, True),
            ("POST", "/guilds/{guild_id}/scheduled-events", self._create_scheduled_event, True),
            (
                "GET",
                "/guilds/{guild_id}/scheduled-events/{event_id}",
                self._get_scheduled_event,
                True,
            ),
            (
                "PATCH",
                "/guilds/{guild_id}/scheduled-events/{event_id}",
                self._edit_scheduled_event,
                True,
            ),
            (
                "DELETE",
                "/guilds/{guild_id}/scheduled-events/{event_id}",
                self._delete_scheduled_event,
                True,
            ),
            # Channels, messages, threads.
            ("GET", "/channels/{channel_id}", self._get_channel, True),
            ("PATCH", "/channels/{channel_id}", self._edit_channel, True),
            ("DELETE", "/channels/{channel_id}", self._delete_channel, True),
            ("GET", "/channels/{channel_id}/messages", self._list_messages, True),
            ("POST", "/channels/{channel_id}/messages", self._create_message, True),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message, True),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message, True),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message, True),
            (
                "POST",
                "/channels/{channel_id}/messages/{message_id}/threads",
                self._thread_from_message,
                True,
            ),
            ("POST", "/channels/{channel_id}/threads", self._create_thread, True),
            ("GET", "/channels/{channel_id}/thread-members", self._list_thread_members, True),
            (
                "PUT",
                "/channels/{channel_id}/thread-members/{user_id}",
                self._add_thread_member,
                True,
            ),
            (
                "DELETE",
                "/channels/{channel_id}/thread-members/{user_id}",
                self._remove_thread_member,
                True,
            ),
            (
                "GET",
                "/channels/{channel_id}/thread-members/{user_id}",
                self._get_thread_member,
                True,
            ),
            ("GET", "/channels/{channel_id}/threads/archived/public", self._archived_threads, True),
            # Guilds, roles, members.
            ("GET", "/guilds/{guild_id}", self._get_guild, True),
            ("GET", "/guilds/{guild_id}/channels", self._list_guild_channels, True),
            ("POST", "/guilds/{guild_id}/channels", self._create_guild_channel, True),
            ("GET", "/guilds/{guild_id}/threads/active", self._active_threads, True),
            ("GET", "/guilds/{guild_id}/roles", self._list_roles, True),
            ("POST", "/guilds/{guild_id}/roles", self._create_role, True),
            ("GET", "/guilds/{guild_id}/roles/{role_id}", self._get_role, True),
            ("PATCH", "/guilds/{guild_id}/roles/{role_id}", self._edit_role, True),
            ("DELETE", "/guilds/{guild_id}/roles/{role_id}", self._delete_role, True),
            ("GET", "/guilds/{guild_id}/members", self._list_members, True),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member, True),
            (
                "PUT",
                "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
                self._add_member_role,
                True,
            ),
            (
                "DELETE",
                "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
                self._remove_member_role,
                True,
            ),
        ]
        return [_Route(m, t, path_regex(t), h, a) for m, t, h, a in table]

    # --- changing the world while the bot runs ---------------------------------------------

    async def add_channel(
        self,
        name: str,
        *,
        guild: FakeGuild | None = None,
        type: int = ChannelType.GUILD_TEXT,
        **options: Any,
    ) -> FakeChannel:
        """Create a channel and tell the connected bot (CHANNEL_CREATE)."""
        guild = guild or self.world.guild
        channel = self.state.add_channel(guild, name, type=type, **options)
        await self.dispatch("CHANNEL_CREATE", channel.payload(), guild_id=guild.id)
        return channel

    async def add_world(self, name: str = "Second Room") -> DefaultWorld:
        """Another guild shaped like the default world, with its own people and channels.

        Added before the bot connects, it comes with the others in GUILD_CREATE; added later,
        the bot is told as when it joins a server.
        """
        world = build_default_world(self.state, bot_permissions=self._bot_permissions, name=name)
        for session in list(self.sessions):
            if session.ready and not session.closed and session.has_guild(world.guild.id):
                await self._send(
                    session,
                    {
                        "op": 0,
                        "t": "GUILD_CREATE",
                        "d": self.guild_create(world.guild, session.intents),
                    },
                )
        return world

    async def add_role(
        self, name: str, *, guild: FakeGuild | None = None, **options: Any
    ) -> FakeRole:
        """Create a role and tell the connected bot (GUILD_ROLE_CREATE)."""
        guild = guild or self.world.guild
        role = self.state.add_role(guild, name, **options)
        await self.dispatch(
            "GUILD_ROLE_CREATE",
            {"guild_id": str(guild.id), "role": role.payload()},
            guild_id=guild.id,
        )
        return role

    async def update_channel(self, channel: FakeChannel) -> None:
        """Tell the bot that `channel` changed (after editing it in `state`)."""
        event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
        await self.dispatch(event, channel.payload(), guild_id=channel.guild_id)

    # --- interactions ----------------------------------------------------------------------

    def _register(self, payload: dict[str, Any]) -> InteractionResult:
        user_data = payload["member"]["user"] if "member" in payload else payload["user"]
        source = None
        if "message" in payload:
            source = self.state.find_message(int(payload["message"]["id"]))
        result = InteractionResult(
            id=int(payload["id"]),
            token=payload["token"],
            type=payload["type"],
            payload=payload,
            user=self.state.users[int(user_data["id"])],
            channel=self.state.channels[int(payload["channel_id"])],
            source_message=source,
            _fake=self,
        )
        self.interactions[result.id] = result
        self._by_token[result.token] = result
        return result

    async def send_interaction(self, payload: dict[str, Any]) -> InteractionResult:
        """Dispatch INTERACTION_CREATE without waiting for the answer."""
        result = self._register(payload)
        guild_id = int(payload["guild_id"]) if "guild_id" in payload else None
        if not await self.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id):
            raise AssertionError("no connected bot session would receive this interaction")
        return result

    async def interact(
        self,
        payload: dict[str, Any],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        settle: float = 0.05,
    ) -> InteractionResult:
        """Send an interaction and wait for the bot's answer.

        Returns once the callback came and, for a deferred message, the answer was filled in,
        and then once the bot has finished handling the interaction, so follow-ups sent
        right after are included: for a bot in this process, when the tasks it started for
        the interaction are done (`handling.py`), or else when `settle` seconds pass with no
        further request for this interaction. Later ones: `result.wait_for_followups`.
        """
        result = await self.send_interaction(payload)
        await self.wait_until(
            lambda: result.callback_status is not None,
            timeout=timeout,
            what=f"the bot to answer interaction {result.id} ({_describe(payload)})",
        )
        if result.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE and result.acknowledged:
            await result.wait_for_answer(timeout=timeout)
        if settle > 0:
            await self._settle(result, settle, asyncio.get_running_loop().time() + timeout)
        return result

    async def _settle(self, result: InteractionResult, quiet: float, deadline: float) -> None:
        loop = asyncio.get_running_loop()
        seen = len(result.requests)
        quiet_since = loop.time()
        while loop.time() < deadline:
            if self.handling.seen(result.id):
                busy = self.handling.busy(result.id, pause=quiet)
                if not busy:
                    return
                # A task that starts a long wait for time does not finish: look again soon.
                await asyncio.wait(busy, timeout=SETTLE_POLL, return_when=asyncio.FIRST_COMPLETED)
                continue
            if len(result.requests) != seen:
                seen = len(result.requests)
                quiet_since = loop.time()
            elif loop.time() - quiet_since >= quiet:
                return
            await asyncio.sleep(quiet)

    async def command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: User,
        channel: FakeChannel | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """`user` runs the slash command `name` (e.g. "circle about") in `channel`."""
        channel = channel or self.world.general
        return await self.interact(
            self.payloads.command(name, options, user=user, channel=channel), timeout=timeout
        )

    async def autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        user: User,
        channel: FakeChannel | None = None,
    ) -> InteractionResult:
        channel = channel or self.world.general
        payload = self.payloads.autocomplete(
            name, options, focused=focused, user=user, channel=channel
        )
        return await self.interact(payload)

    async def click(
        self,
        message: FakeMessage,
        custom_id: str,
        *,
        user: User,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """`user` presses the button `custom_id` on `message`."""
        return await self.interact(
            self.payloads.button(message, custom_id, user=user), timeout=timeout
        )

    async def choose(
        self,
        message: FakeMessage,
        custom_id: str,
        values: Sequence[Any],
        *,
        user: User,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """`user` picks `values` in the select menu `custom_id` on `message`."""
        return await self.interact(
            self.payloads.select(message, custom_id, values, user=user), timeout=timeout
        )

    async def submit_modal(
        self,
        opened: InteractionResult,
        values: Mapping[str, Any],
        *,
        user: User | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> InteractionResult:
        """Fill in and submit the modal the bot opened in answer to `opened`."""
        if opened.modal is None:
            raise ValueError(f"the bot did not open a modal for interaction {opened.id}")
        payload = self.payloads.modal_submit(
            opened.modal,
            values,
            user=user or opened.user,
            channel=opened.channel,
            message=opened.source_message,
        )
        return await self.interact(payload, timeout=timeout)

    def _interaction_metadata(self, result: InteractionResult) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(result.id),
            "type": result.type,
            "user": result.user.payload(),
            "authorizing_integration_owners": result.payload.get(
                "authorizing_integration_owners", {}
            ),
        }
        if result.type == InteractionType.APPLICATION_COMMAND:
            data |= {"name": result.payload["data"]["name"], "command_type": 1}
        if result.source_message is not None:
            data["interacted_message_id"] = str(result.source_message.id)
        return data

    _ALLOWED_CALLBACKS: ClassVar[dict[int, set[int]]] = {
        InteractionType.APPLICATION_COMMAND: {4, 5, 9},
        InteractionType.MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
        InteractionType.AUTOCOMPLETE: {8},
        InteractionType.MODAL_SUBMIT: {4, 5, 6, 7},
    }

    async def _interaction_callback(
        self, record: RecordedRequest, interaction_id: str, token: str
    ) -> Any:
        result = self.interactions.get(int(interaction_id)) if interaction_id.isdigit() else None
        if result is None or result.token != token:
            raise DiscordError(404, 10062, "Unknown interaction")
        result.requests.append(record)
        try:
            return await self._callback(result, record)
        except DiscordError as exc:
            result.callback_status = exc.status
            raise

    async def _callback(self, result: InteractionResult, record: RecordedRequest) -> Any:
        if result.acknowledged:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() - result.created_at > self.interaction_deadline:
            raise DiscordError(404, 10062, "Unknown interaction")
        body = record.json or {}
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        allowed = set(self._ALLOWED_CALLBACKS.get(result.type, set()))
        if result.source_message is None:
            allowed -= {CallbackType.DEFERRED_UPDATE_MESSAGE, CallbackType.UPDATE_MESSAGE}
        if kind not in allowed:
            problems = Problems()
            problems.add(
                ("type",),
                "INTERACTION_RESPONSE_TYPE_INVALID",
                f"Response type {kind} is not valid here",
            )
            raise invalid_form_body(problems)
        message: FakeMessage | None = None
        flags = int(data.get("flags") or 0)
        if kind == CallbackType.CHANNEL_MESSAGE:
            message = self._new_message(
                result.channel,
                data,
                record.files,
                author=self.state.bot,
                allowed_flags=MessageFlags.EPHEMERAL
                | MessageFlags.SUPPRESS_EMBEDS
                | MessageFlags.SUPPRESS_NOTIFICATIONS
                | MessageFlags.IS_COMPONENTS_V2,
                type=20 if result.type == InteractionType.APPLICATION_COMMAND else 0,
                webhook_id=self.state.application.id,
                interaction=result,
            )
        elif kind == CallbackType.DEFERRED_CHANNEL_MESSAGE:
            message = FakeMessage(
                id=self.state.snowflakes.next(),
                channel_id=result.channel.id,
                guild_id=result.channel.guild_id,
                author=self.state.bot,
                flags=MessageFlags.LOADING | (flags & MessageFlags.EPHEMERAL),
                type=20 if result.type == InteractionType.APPLICATION_COMMAND else 0,
                webhook_id=self.state.application.id,
                application_id=self.state.application.id,
            )
            message.interaction_metadata = self._interaction_metadata(result)
            self.state.store_message(message)
        elif kind in (CallbackType.DEFERRED_UPDATE_MESSAGE, CallbackType.UPDATE_MESSAGE):
            message = result.source_message
            assert message is not None
            if kind == CallbackType.UPDATE_MESSAGE:
                self._apply_edit(message, data, record.files)
        elif kind == CallbackType.AUTOCOMPLETE_RESULT:
            problems = check_choices(
                {"data": data} if "choices" in data else {"data": {"choices": []}}
            )
            if problems:
                raise invalid_form_body(problems)
        elif kind == CallbackType.MODAL:
            problems = check_modal(data)
            if problems:
                raise invalid_form_body(problems)
        result.callback_type = kind
        result.callback_data = data
        result.message = message
        result.callback_status = 200
        if record.query.get("with_response") not in ("1", "true", "True"):
            return None
        interaction: dict[str, Any] = {
            "id": str(result.id),
            "type": result.type,
            "response_message_id": None if message is None else str(message.id),
            "response_message_loading": kind == CallbackType.DEFERRED_CHANNEL_MESSAGE,
            "response_message_ephemeral": bool(message is not None and message.ephemeral),
        }
        resource: dict[str, Any] = {"type": kind}
        if message is not None and kind in (
            CallbackType.CHANNEL_MESSAGE,
            CallbackType.UPDATE_MESSAGE,
        ):
            resource["message"] = message.payload()
        return {"interaction": interaction, "resource": resource}

    def _webhook_interaction(self, webhook_id: str, token: str) -> InteractionResult:
        result = self._by_token.get(token)
        if (
            result is None
            or webhook_id != str(self.state.application.id)
            or not result.acknowledged
        ):
            raise DiscordError(404, 10015, "Unknown Webhook")
        return result

    async def _followup(self, record: RecordedRequest, webhook_id: str, token: str) -> Any:
        result = self._webhook_interaction(webhook_id, token)
        result.requests.append(record)
        payload = record.json or {}
        original = result.message
        if original is not None and original.loading:
            # The first follow-up after a deferred response fills in the "thinking" message.
            self._apply_edit(original, payload, record.files)
            message = original
        else:
            message = self._new_message(
                result.channel,
                payload,
                record.files,
                author=self.state.bot,
                allowed_flags=MessageFlags.EPHEMERAL
                | MessageFlags.SUPPRESS_EMBEDS
                | MessageFlags.SUPPRESS_NOTIFICATIONS
                | MessageFlags.IS_COMPONENTS_V2,
                webhook_id=self.state.application.id,
                interaction=result,
            )
            result.followups.append(message)
        if record.query.get("wait") in ("true", "True", "1"):
            return message.payload()
        return None

    def _webhook_message(self, result: InteractionResult, message_id: str) -> FakeMessage:
        if message_id == "@original":
            message = result.message or result.source_message
        else:
            message = next((m for m in result.messages if str(m.id) == message_id), None)
        if message is None or message.id not in self.state.messages.get(message.channel_id, {}):
            raise DiscordError(404, 10008, "Unknown Message")
        return message

    async def _get_webhook_message(
        self, record: RecordedRequest, webhook_id: str, token: str, message_id: str
    ) -> Any:
        result = self._webhook_interaction(webhook_id, token)
        result.requests.append(record)
        return self._webhook_message(result, message_id).payload()

    async def _edit_webhook_message(
        self, record: RecordedRequest, webhook_id: str, token: str, message_id: str
    ) -> Any:
        result = self._webhook_interaction(webhook_id, token)
        result.requests.append(record)
        message = self._webhook_message(result, message_id)
        self._apply_edit(message, record.json or {}, record.files)
        return message.payload()

    async def _delete_webhook_message(
        self, record: RecordedRequest, webhook_id: str, token: str, message_id: str
    ) -> None:
        result = self._webhook_interaction(webhook_id, token)
        result.requests.append(record)
        message = self._webhook_message(result, message_id)
        del self.state.messages[message.channel_id][message.id]
        self.state.deleted_messages.append(message)

    # --- reading the world in tests -------------------------------------------------------

    def messages_in(
        self, channel: FakeChannel, *, include_ephemeral: bool = False
    ) -> list[FakeMessage]:
        """Messages in `channel` (a thread, a forum post, a DM…), oldest first."""
        return [m for m in self.state.messages_in(channel) if include_ephemeral or not m.ephemeral]

    def threads_in(self, parent: FakeChannel) -> list[FakeChannel]:
        """Threads (or forum posts) under `parent`, oldest first."""
        return [c for c in self.state.channels.values() if c.is_thread and c.parent_id == parent.id]

    def dm_messages(self, user: FakeUser) -> list[FakeMessage]:
        return self.state.messages_in(self.state.dm_channel(user))

    def member_roles(self, user: User, guild: FakeGuild | None = None) -> list[FakeRole]:
        guild = guild or self.world.guild
        member = guild.members[user_of(user).id]
        return [guild.roles[r] for r in member.roles if r in guild.roles]

    def unknown_routes(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.unknown_route]


def _describe(payload: dict[str, Any]) -> str:
    data = payload.get("data") or {}
    if payload.get("type") in (InteractionType.APPLICATION_COMMAND, InteractionType.AUTOCOMPLETE):
        names = [data.get("name", "?")]
        options = data.get("options") or []
        while options and options[0].get("type") in (1, 2):
            names.append(options[0]["name"])
            options = options[0].get("options") or []
        return "/" + " ".join(names)
    return f"custom_id {data.get('custom_id')!r}"


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        payload: Any = None
        files: list[UploadedFile] = []
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                raise web.HTTPBadRequest(text="nested multipart bodies are not supported")
            if part.name == "payload_json":
                payload = json.loads(await part.text())
            else:
                data = await part.read()
                files.append(
                    UploadedFile(
                        field_name=part.name or "",
                        filename=part.filename or "",
                        content_type=part.headers.get("Content-Type"),
                        data=bytes(data),
                    )
                )
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode("utf-8", "replace"), []
