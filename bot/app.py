"""The Discord client: `create_bot(settings)` builds it; `setup_hook` loads the features.

Features live in `bot/exts/<feature>/`; every module there with a `setup` function is loaded.
Commands are synced at start only when their JSON differs from what was last synced (the
hash is kept in the database), never in `on_ready`: Discord limits command creates per day.
Every command works in a server only: the tree's default (`allowed_contexts`) says so for all
of them, and no command or group says it again.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import pkgutil
import time
from dataclasses import dataclass
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from bot.db import Database, create_database
from bot.exts.interactions import Answers, DynamicModal, Modals
from bot.heartbeat import Heartbeat, Pulse, shard_latencies
from bot.identify_queue import IdentifyQueue
from bot.metrics import Metrics
from bot.scheduler import Scheduler
from bot.scheduling.clock import Clock, SystemClock
from bot.services.bot_state import command_tree_digest
from bot.services.model_prompts import ModelConfig
from bot.services.root import Services, build_services
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS_PACKAGE = "bot.exts"
# A sync stuck behind a long rate limit must not keep the bot from connecting.
COMMAND_SYNC_TIMEOUT = 30.0

# discord.py keeps the REST base and the gateway URL as class attributes; the originals are
# put back on close so that several bots in one test process do not leak into each other.
_DISCORD_API_BASE = Route.BASE
_DISCORD_GATEWAY = DiscordWebSocket.DEFAULT_GATEWAY


def bot_intents() -> discord.Intents:
    """Only `guilds`: slash commands, components and threads need nothing privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


def find_extensions(package: str = EXTENSIONS_PACKAGE) -> list[str]:
    """Every module under `package` that defines `setup`, in name order.

    A feature is a package under `bot/exts/` whose `__init__` (or one of whose modules)
    defines `async def setup(bot)`. Names starting with `_` are skipped.
    """
    root = importlib.import_module(package)
    found = []
    for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if any(part.startswith("_") for part in module.name.split(".")):
            continue
        if callable(getattr(importlib.import_module(module.name), "setup", None)):
            found.append(module.name)
    return sorted(found)


@dataclass(frozen=True)
class SyncResult:
    """What a command sync did: `synced` is False when Discord already had these commands."""

    synced: bool
    command_count: int
    guild_id: int | None


class StudyCircleBot(commands.AutoShardedBot):
    """The bot. Holds the settings and the database the features use."""

    def __init__(
        self,
        settings: Settings,
        database: Database,
        *,
        owns_database: bool,
        sync_on_start: bool = True,
        guild_ready_timeout: float = 2.0,
        clock: Clock | None = None,
    ) -> None:
        metrics = Metrics(lambda: self.latencies) if settings.metrics_port else None
        http_trace = metrics.http_trace() if metrics else None
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=bot_intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=settings.shard_count,
            # discord.py's hints leave out None, its own default for both: all shards, no trace.
            shard_ids=settings.shard_ids,  # type: ignore[arg-type]  # None is allowed
            guild_ready_timeout=guild_ready_timeout,
            allowed_contexts=app_commands.AppCommandContext(guild=True),
            allowed_installs=app_commands.AppInstallationType(guild=True),
            http_trace=http_trace,  # type: ignore[arg-type]  # None is allowed
        )
        self.settings = settings
        self.metrics = metrics
        self.database = database
        self.clock: Clock = clock or SystemClock()
        # Interactions being answered, and the features' modals: see `bot.exts.interactions`.
        self.answers = Answers()
        self.modals = Modals()
        self.add_listener(self.modals.on_interaction)
        # `build_services` registers every job kind; the dispatcher starts once the features
        # have attached their Discord sides, in `setup_hook`.
        self.scheduler = Scheduler(
            database,
            self.clock,
            shard_count=settings.shard_count or 1,
            shard_ids=settings.shard_ids,
        )
        if metrics is not None:
            self.scheduler.observer = metrics.job_event
        # Every service, built once; cogs take part in the features' protocols too.
        self.services: Services = build_services(
            database,
            scheduler=self.scheduler,
            clock=self.clock,
            model=ModelConfig.from_settings(settings),
            plugins=lambda: list(self.cogs.values()),
        )
        self.sync_on_start = sync_on_start
        self.heartbeat = (
            Heartbeat(settings.health_file, self.pulse) if settings.health_file else None
        )
        # Processes of one bot take turns to identify through PostgreSQL (see identify_queue).
        self.identify_queue = None if database.is_sqlite else IdentifyQueue(database)
        self._max_concurrency: int | None = None
        self._owns_database = owns_database
        self._released = False
        if settings.discord_api_base:
            # Route.BASE also redirects interaction callbacks and webhook follow-ups.
            Route.BASE = settings.discord_api_base

    async def setup_hook(self) -> None:
        if self.metrics is not None and self.settings.metrics_port:
            self.metrics.start(self.settings.metrics_port, self.settings.metrics_host)
        for name in find_extensions():
            await self.load_extension(name)
            log.debug("Loaded extension %s", name)
        self._register_persistent_ui()
        if self.sync_on_start and self._syncs_commands:
            await self._sync_commands_at_start()
        await self.scheduler.start()
        if self.heartbeat is not None:
            self.heartbeat.start()

    def pulse(self) -> Pulse:
        """What the heartbeat says now: gateway connection per shard, scheduler alive."""
        closed = {shard_id for shard_id, shard in self.shards.items() if shard.is_closed()}
        return Pulse(
            pid=os.getpid(),
            written_at=time.time(),
            ready=self.is_ready() and not self.is_closed(),
            shards=shard_latencies(self.latencies, closed),
            scheduler_alive=self.scheduler.alive,
        )

    def _register_persistent_ui(self) -> None:
        """Register the buttons, menus and modals the loaded cogs declare (`dynamic_items`),
        each answered from its custom_id, so what was sent before a restart still works."""
        for cog in self.cogs.values():
            for item in getattr(cog, "dynamic_items", ()):
                if issubclass(item, DynamicModal):
                    self.modals.add(item)
                else:
                    self.add_dynamic_items(item)

    @property
    def _syncs_commands(self) -> bool:
        # With several processes, only the one running shard 0 talks to Discord about commands.
        return self.shard_ids is None or 0 in self.shard_ids

    async def _sync_commands_at_start(self) -> None:
        try:
            result = await asyncio.wait_for(self.sync_commands(), COMMAND_SYNC_TIMEOUT)
        except TimeoutError:
            log.warning(
                "Command sync is taking too long (rate limited?); retrying at the next start"
            )
        except discord.HTTPException as exc:
            log.error("Command sync failed (%s); the previous commands stay in place", exc)
        else:
            scope = "globally" if result.guild_id is None else f"to guild {result.guild_id}"
            if result.synced:
                log.info("Synced %d commands %s", result.command_count, scope)
            else:
                log.info("Commands unchanged since the last sync %s", scope)

    async def sync_commands(self, *, force: bool = False) -> SyncResult:
        """Push the command tree to Discord if it changed since the last sync (or if `force`).

        With DEV_GUILD_ID set, commands go to that guild only, where changes show at once.
        """
        if self.application_id is None:
            raise RuntimeError("sync_commands needs a logged-in bot (application id unknown)")
        guild_id = self.settings.dev_guild_id
        guild = None if guild_id is None else discord.Object(guild_id)
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        payload = await self.command_payload(guild)
        digest = command_tree_digest(payload)
        state = self.services.state
        if not force and not await state.commands_need_sync(self.application_id, guild_id, digest):
            return SyncResult(synced=False, command_count=len(payload), guild_id=guild_id)
        synced = await self.tree.sync(guild=guild)
        await state.record_command_sync(self.application_id, guild_id, digest)
        return SyncResult(synced=True, command_count=len(synced), guild_id=guild_id)

    async def command_payload(
        self, guild: discord.abc.Snowflake | None = None
    ) -> list[dict[str, Any]]:
        """The JSON `tree.sync(guild=guild)` sends: global commands when `guild` is None."""
        translator = self.tree.translator
        commands_ = self.tree.get_commands(guild=guild)
        if translator is not None:
            return [
                await command.get_translated_payload(self.tree, translator) for command in commands_
            ]
        return [command.to_dict(self.tree) for command in commands_]

    async def connect(self, *, reconnect: bool = True) -> None:
        if self.settings.discord_api_base:
            # With explicit shard ids, and after a session is invalidated, discord.py goes to
            # DEFAULT_GATEWAY instead of asking /gateway/bot: point it at the configured API.
            _shards, url, _limits = await self.http.get_bot_gateway()
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
        await super().connect(reconnect=reconnect)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if self.identify_queue is None or self.application_id is None:
            await super().before_identify_hook(shard_id, initial=initial)
            return
        try:
            if self._max_concurrency is None:
                _shards, _url, limits = await self.http.get_bot_gateway()
                self._max_concurrency = int(limits.get("max_concurrency", 1))
            await self.identify_queue.wait_turn(
                self.application_id, shard_id or 0, self._max_concurrency
            )
        except Exception as exc:
            # A reconnect must not fail for want of a turn: space it as discord.py would.
            log.warning("Cannot take a turn to identify (%s); waiting 5 s instead", exc)
            await super().before_identify_hook(shard_id, initial=False)

    async def on_ready(self) -> None:
        shards = "all" if self.shard_ids is None else ",".join(map(str, self.shard_ids))
        log.info(
            "Ready as %s (id %s) in %d guilds, shards %s of %s",
            self.user,
            self.application_id,
            len(self.guilds),
            shards,
            self.shard_count,
        )
        if self.heartbeat is not None:
            # Say "connected" now rather than at the next beat, up to INTERVAL seconds later.
            self.heartbeat.beat()

    async def close(self) -> None:
        if self.heartbeat is not None:
            await self.heartbeat.stop()
        if self.metrics is not None:
            self.metrics.stop()
        if self.identify_queue is not None:
            await self.identify_queue.close()
        # Running jobs finish (or go back to the queue) before the connection and db close.
        await self.scheduler.stop()
        await super().close()
        if self._released:
            return
        self._released = True
        if self.settings.discord_api_base:
            Route.BASE = _DISCORD_API_BASE
            DiscordWebSocket.DEFAULT_GATEWAY = _DISCORD_GATEWAY
        if self._owns_database:
            await self.database.dispose()


def create_bot(
    settings: Settings,
    *,
    database: Database | None = None,
    sync_on_start: bool = True,
    guild_ready_timeout: float = 2.0,
    clock: Clock | None = None,
) -> StudyCircleBot:
    """Build the bot. It disposes of `database` on close only if it created it itself.

    `guild_ready_timeout` is how long discord.py waits for more guilds before `on_ready`;
    tests against the fake Discord shorten it.
    """
    # The bot never joins voice: no warning at every start that voice libraries are missing.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    owns_database = database is None
    if database is None:
        database = create_database(settings.database_url)
    return StudyCircleBot(
        settings,
        database,
        owns_database=owns_database,
        sync_on_start=sync_on_start,
        guild_ready_timeout=guild_ready_timeout,
        clock=clock,
    )
