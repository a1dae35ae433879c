"""Small facts the bot keeps between runs, such as the hash of the last synced command tree."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from bot.db import Database
from bot.db.models import BotState


def command_tree_key(application_id: int, guild_id: int | None) -> str:
    """Where the hash of the commands synced for this application and scope is kept."""
    scope = "global" if guild_id is None else f"guild:{guild_id}"
    return f"commands:{application_id}:{scope}"


def command_tree_digest(payload: Sequence[dict[str, Any]]) -> str:
    """A stable hash of command JSON: same commands in any key or command order, same hash."""
    ordered = sorted(payload, key=lambda command: (command.get("type", 1), command["name"]))
    text = json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StateStore:
    """Facts kept in the `bot_state` table, by key."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get_value(self, key: str) -> str | None:
        """The value stored under `key`, or None."""
        async with self.db.read() as session:
            row = await session.get(BotState, key)
            return None if row is None else row.value

    async def set_value(self, key: str, value: str) -> None:
        """Store `value` under `key`, replacing what was there."""
        async with self.db.session() as session:
            row = await session.get(BotState, key)
            if row is None:
                session.add(BotState(key=key, value=value))
            else:
                row.value = value

    async def commands_need_sync(
        self, application_id: int, guild_id: int | None, digest: str
    ) -> bool:
        """Whether `digest` differs from the one recorded at the last sync to this scope."""
        return await self.get_value(command_tree_key(application_id, guild_id)) != digest

    async def record_command_sync(
        self, application_id: int, guild_id: int | None, digest: str
    ) -> None:
        """Remember that the commands with `digest` are now what Discord has for this scope."""
        await self.set_value(command_tree_key(application_id, guild_id), digest)
