"""Tripwires for the discord.py internals the bot and the fake Discord rely on.

If one fails after a discord.py upgrade, re-read the named function in
.venv/lib/python3.11/site-packages/discord/ and adapt `bot/app.py` (API base and gateway
redirection) or `tests/fakediscord/` (payload shapes) before trusting the Discord tests.
"""

from __future__ import annotations

import inspect
from types import SimpleNamespace
from typing import Any

import discord
import pytest
import yarl
from discord.ext import commands
from discord.gateway import DiscordWebSocket
from discord.http import HTTPClient, Route, json_or_text
from discord.interactions import Interaction, InteractionCallbackResponse, InteractionResponse
from discord.shard import AutoShardedClient
from discord.state import ConnectionState
from discord.ui.modal import Modal
from discord.ui.view import ViewStore
from discord.webhook.async_ import AsyncWebhookAdapter

from bot.app import StudyCircleBot

TESTED_VERSION = "2.7.1"


def _source(obj: Any) -> str:
    return inspect.getsource(obj)


def test_discordpy_version_is_the_one_these_tripwires_were_written_for() -> None:
    assert discord.__version__ == TESTED_VERSION, (
        f"discord.py is {discord.__version__}, the harness was checked against {TESTED_VERSION}: "
        "run this file, re-read what fails, then update TESTED_VERSION"
    )


def test_route_base_redirects_rest_interaction_callbacks_and_webhooks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(Route, "BASE", "http://127.0.0.1:1/api/v10")
    assert Route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
    # Interaction callbacks and follow-ups are built from the same Route class.
    webhook_module = inspect.getmodule(AsyncWebhookAdapter)
    assert webhook_module is not None
    assert webhook_module.Route is Route
    assert "Route(" in _source(AsyncWebhookAdapter.create_interaction_response)
    assert "'/webhooks/{webhook_id}/{webhook_token}'" in _source(
        AsyncWebhookAdapter.execute_webhook
    )


def test_plain_clients_connect_to_default_gateway_without_asking() -> None:
    assert isinstance(DiscordWebSocket.DEFAULT_GATEWAY, yarl.URL)
    assert "gateway or cls.DEFAULT_GATEWAY" in _source(DiscordWebSocket.from_client)
    assert "get_bot_gateway" not in _source(discord.Client.connect)
    # An invalidated session goes back to DEFAULT_GATEWAY.
    assert "self.gateway = self.DEFAULT_GATEWAY" in _source(DiscordWebSocket.received_message)


def test_sharded_clients_ask_only_without_a_shard_count() -> None:
    source = _source(AutoShardedClient.launch_shards)
    assert "await self.http.get_bot_gateway()" in source
    assert "gateway = DiscordWebSocket.DEFAULT_GATEWAY" in source
    assert "data['shards'], data['url'], data['session_start_limit']" in _source(
        HTTPClient.get_bot_gateway
    )
    assert issubclass(StudyCircleBot, commands.AutoShardedBot)


async def test_json_needs_exactly_application_json() -> None:
    async def text(encoding: str = "utf-8") -> str:
        return '{"ok": true}'

    exact = SimpleNamespace(headers={"content-type": "application/json"}, text=text)
    with_charset = SimpleNamespace(
        headers={"content-type": "application/json; charset=utf-8"}, text=text
    )
    assert await json_or_text(exact) == {"ok": True}  # type: ignore[arg-type]  # a stand-in for aiohttp's response
    assert await json_or_text(with_charset) == '{"ok": true}'  # type: ignore[arg-type]  # a stand-in for aiohttp's response


def test_rate_limits_need_via_and_retry_after() -> None:
    source = _source(HTTPClient.request)
    assert "response.headers.get('Via')" in source
    assert "data['retry_after']" in source
    assert "response.status in {500, 502, 504, 524}" in source
    # The pause before a 500's retry: what `quick_server_error_retries` shortens.
    assert "await asyncio.sleep(1 + tries * 2)" in source


def test_the_interaction_callback_response_is_read_as_the_fake_sends_it() -> None:
    assert "'with_response': '1'" in _source(AsyncWebhookAdapter.create_interaction_response)
    update = _source(InteractionCallbackResponse._update)
    for key in (
        "data['interaction']",
        "response_message_id",
        "response_message_loading",
        "response_message_ephemeral",
        "resource.get('message')",
    ):
        assert key in update, key


def test_interaction_and_message_fields_that_must_be_present() -> None:
    assert "data['attachment_size_limit']" in _source(Interaction._from_data)
    member_init = _source(discord.Member.__init__)
    assert "data['flags']" in member_init
    assert "data['roles']" in member_init
    user_update = _source(discord.user.BaseUser._update)
    assert "data['discriminator']" in user_update
    assert "data['avatar']" in user_update
    # A "poll": null would be parsed as a poll.
    assert "poll = data['poll']" in _source(discord.Message.__init__)
    assert "Message(state=self._state, channel=self.channel, data=data['message'])" in _source(
        Interaction._from_data
    )


def test_modal_submits_rows_and_labels() -> None:
    source = _source(Modal._refresh)
    assert "component['type'] == 1" in source
    assert "component['components']" in source
    assert "component['type'] == 18" in source
    assert "component['component']" in source


def test_a_stopped_modal_is_not_kept_and_a_submitted_one_is_found_by_its_custom_id() -> None:
    # `DynamicModal` stops its modal before it is sent, so discord.py keeps none and leaves
    # every submission to the bot's `Modals` listener: no modal is answered twice.
    assert "if not modal.is_finished():" in _source(InteractionResponse.send_modal)
    dispatch = _source(ViewStore.dispatch_modal)
    assert "modal = self._modals.get(custom_id)" in dispatch
    assert "if modal is None:" in dispatch
    # A submitted modal reaches the listeners whatever discord.py's store made of it.
    parse = _source(ConnectionState.parse_interaction_create)
    assert parse.rstrip().endswith("self.dispatch('interaction', interaction)")


def test_guild_ready_timeout_is_an_option() -> None:
    assert "options.get('guild_ready_timeout', 2.0)" in _source(ConnectionState.__init__)


def test_voice_warnings_can_be_switched_off() -> None:
    assert hasattr(discord.VoiceClient, "warn_nacl")
    assert hasattr(discord.VoiceClient, "warn_dave")
