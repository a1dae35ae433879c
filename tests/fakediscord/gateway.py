"""The fake's gateway: HELLO, IDENTIFY → READY and GUILD_CREATE, RESUME, heartbeats, and
dispatches sent only to the sessions whose shard and intents would receive them.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from tests.fakediscord.model import FakeGuild

if TYPE_CHECKING:
    from tests.fakediscord.model import FakeState


class Intent:
    """Gateway intent bits the fake looks at."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    GUILD_SCHEDULED_EVENTS = 1 << 16
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


_GUILDS_EVENTS = {
    "GUILD_CREATE",
    "GUILD_UPDATE",
    "GUILD_DELETE",
    "GUILD_ROLE_CREATE",
    "GUILD_ROLE_UPDATE",
    "GUILD_ROLE_DELETE",
    "CHANNEL_CREATE",
    "CHANNEL_UPDATE",
    "CHANNEL_DELETE",
    "CHANNEL_PINS_UPDATE",
    "THREAD_CREATE",
    "THREAD_UPDATE",
    "THREAD_DELETE",
    "THREAD_LIST_SYNC",
    "THREAD_MEMBER_UPDATE",
}
_MEMBER_EVENTS = {
    "GUILD_MEMBER_ADD",
    "GUILD_MEMBER_UPDATE",
    "GUILD_MEMBER_REMOVE",
    "THREAD_MEMBERS_UPDATE",
}
_MESSAGE_EVENTS = {"MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"}


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a guild's events arrive on: Discord's formula (the id's timestamp bits)."""
    return (guild_id >> 22) % shard_count


@dataclass
class GatewaySession:
    """One gateway connection (one shard)."""

    ws: web.WebSocketResponse
    query: dict[str, str]
    identify: dict[str, Any] | None = None
    session_id: str = field(default_factory=lambda: secrets.token_hex(16))
    shard: tuple[int, int] | None = None
    seq: int = 0
    ready: bool = False
    closed: bool = False
    close_code: int | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def intents(self) -> int:
        return 0 if self.identify is None else int(self.identify.get("intents", 0))

    def has_guild(self, guild_id: int | None) -> bool:
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return (0 if guild_id is None else shard_of(guild_id, count)) == shard_id


class GatewayMixin:
    """The gateway half of `FakeDiscord`."""

    if TYPE_CHECKING:
        state: FakeState
        sessions: list[GatewaySession]
        identifies: list[dict[str, Any]]
        resumes: list[dict[str, Any]]
        gateway_log: list[tuple[str, dict[str, Any]]]
        tokens: set[str]
        allow_resume: bool
        privileged_intents: int
        heartbeat_interval: float
        ready_delay: float

        @property
        def gateway_url(self) -> str: ...

        def _notify(self) -> None: ...

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        session = GatewaySession(ws=ws, query=dict(request.query))
        self.sessions.append(session)
        await self._send(
            session, {"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}}
        )
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                self.gateway_log.append(("recv", frame))
                await self._on_frame(session, frame)
        finally:
            session.closed = True
            session.close_code = session.close_code or ws.close_code
            self._notify()
        return ws

    async def _send(self, session: GatewaySession, frame: dict[str, Any]) -> None:
        async with session.lock:
            if session.ws.closed:
                return
            if frame.get("op") == 0:
                session.seq += 1
                frame = {**frame, "s": session.seq}
            else:
                frame = {"s": None, "t": None, **frame}
            self.gateway_log.append(("send", frame))
            await session.ws.send_str(json.dumps(frame))

    async def _close(self, session: GatewaySession, code: int, reason: str) -> None:
        session.close_code = code
        await session.ws.close(code=code, message=reason.encode())

    async def _on_frame(self, session: GatewaySession, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == 1:
            await self._send(session, {"op": 11})
        elif op == 2:
            await self._identify(session, data or {})
        elif op == 6:
            await self._resume(session, data or {})
        elif op in (3, 4, 8):
            return
        else:
            await self._close(session, 4001, "Unknown opcode.")

    async def _resume(self, session: GatewaySession, data: dict[str, Any]) -> None:
        """Resume a known session (events missed meanwhile are not replayed), else op 9."""
        previous = next(
            (s for s in self.sessions if s.session_id == data.get("session_id") and s.closed), None
        )
        if previous is None or data.get("token") not in self.tokens or not self.allow_resume:
            await self._send(session, {"op": 9, "d": False})
            return
        session.identify, session.shard = previous.identify, previous.shard
        session.session_id, session.seq = previous.session_id, previous.seq
        self.resumes.append(data)
        await self._send(session, {"op": 0, "t": "RESUMED", "d": {}})
        session.ready = True
        self._notify()

    async def _identify(self, session: GatewaySession, data: dict[str, Any]) -> None:
        if data.get("token") not in self.tokens:
            await self._close(session, 4004, "Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        if intents & Intent.PRIVILEGED & ~self.privileged_intents:
            await self._close(session, 4014, "Disallowed intent(s).")
            return
        shard = data.get("shard")
        if shard is not None:
            shard_id, count = int(shard[0]), int(shard[1])
            if not 0 <= shard_id < count:
                await self._close(session, 4010, "Invalid shard.")
                return
            session.shard = (shard_id, count)
        session.identify = data
        self.identifies.append(data)
        if self.ready_delay > 0:
            # Discord's gateway lags REST at start: until READY and GUILD_CREATE the bot's
            # cache is empty, while REST already answers.
            await asyncio.sleep(self.ready_delay)
        guilds = [g for g in self.state.guilds.values() if session.has_guild(g.id)]
        bot = self.state.bot
        ready: dict[str, Any] = {
            "v": 10,
            "user": bot.payload() | {"verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(guild.id), "unavailable": True} for guild in guilds],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {
                "id": str(self.state.application.id),
                "flags": self.state.application.flags,
            },
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
        }
        if session.shard is not None:
            ready["shard"] = list(session.shard)
        await self._send(session, {"op": 0, "t": "READY", "d": ready})
        for guild in guilds:
            await self._send(
                session, {"op": 0, "t": "GUILD_CREATE", "d": self.guild_create(guild, intents)}
            )
        session.ready = True
        self._notify()

    def guild_create(self, guild: FakeGuild, intents: int) -> dict[str, Any]:
        """GUILD_CREATE for `guild`. Without GUILD_MEMBERS only the bot's own member is sent."""
        bot = self.state.bot.id
        channels = [self.state.channels[c] for c in guild.channel_ids]
        members = (
            list(guild.members.values()) if intents & Intent.GUILD_MEMBERS else [guild.members[bot]]
        )
        return guild.payload() | {
            "joined_at": guild.joined_at,
            "large": False,
            "unavailable": False,
            "member_count": len(guild.members),
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "channels": [channel.payload() for channel in channels],
            "threads": [t.payload(me=bot) for t in self.state.threads_of(guild) if not t.archived],
            "members": [member.payload() for member in members],
        }

    def _wants(
        self, session: GatewaySession, event: str, guild_id: int | None, about_self: bool
    ) -> bool:
        intents = session.intents
        if event in _GUILDS_EVENTS:
            return bool(intents & Intent.GUILDS)
        if event == "THREAD_MEMBERS_UPDATE":
            return bool(intents & Intent.GUILD_MEMBERS) or (
                about_self and bool(intents & Intent.GUILDS)
            )
        if event in _MEMBER_EVENTS:
            return bool(intents & Intent.GUILD_MEMBERS)
        if event.startswith("GUILD_SCHEDULED_EVENT_"):
            return bool(intents & Intent.GUILD_SCHEDULED_EVENTS)
        if event in _MESSAGE_EVENTS:
            return bool(intents & (Intent.GUILD_MESSAGES if guild_id else Intent.DIRECT_MESSAGES))
        return True

    async def dispatch(
        self,
        event: str,
        data: dict[str, Any],
        *,
        guild_id: int | None = None,
        about_self: bool = False,
    ) -> int:
        """Send a DISPATCH to the sessions that would get it (by shard and intents).

        Returns how many sessions it went to.
        """
        sent = 0
        for session in list(self.sessions):
            if session.closed or not session.ready or not session.has_guild(guild_id):
                continue
            if not self._wants(session, event, guild_id, about_self):
                continue
            await self._send(session, {"op": 0, "t": event, "d": data})
            sent += 1
        return sent

    async def disconnect(self, *, code: int = 4000) -> None:
        """Close every gateway connection with `code` (the bot should reconnect on 4000)."""
        for session in self.sessions:
            if not session.closed:
                await self._close(session, code, "fake Discord disconnect")
