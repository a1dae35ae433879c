"""`python -m bot invite` and the permission list it is built from."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from bot import runner
from bot.permissions import (
    INVITE_PERMISSIONS,
    application_id_from_token,
    invite_url,
    permissions_value,
)
from bot.settings import load_settings
from tests.fakediscord.model import make_token


def test_each_permission_is_the_discord_flag_it_names() -> None:
    for permission in INVITE_PERMISSIONS:
        flag = getattr(discord.Permissions, permission.name)
        assert flag.flag == permission.value, permission.name
        assert permission.reason


def test_exactly_the_permissions_the_features_use() -> None:
    expected = discord.Permissions(
        view_channel=True,
        send_messages=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
        mention_everyone=True,
        manage_roles=True,
        manage_events=True,
        manage_threads=True,
        create_public_threads=True,
        send_messages_in_threads=True,
    )
    assert permissions_value() == expected.value
    granted = discord.Permissions(permissions_value())
    assert not granted.administrator
    assert not granted.manage_guild
    assert not granted.manage_messages


def test_application_id_from_token() -> None:
    token = make_token(1234567890123456789)
    assert application_id_from_token(token) == 1234567890123456789
    assert application_id_from_token("not-a-token") is None
    assert application_id_from_token("") is None


def test_invite_url_has_scopes_and_permissions() -> None:
    query = parse_qs(urlsplit(invite_url(42)).query)
    assert query == {
        "client_id": ["42"],
        "scope": ["bot applications.commands"],
        "permissions": [str(permissions_value())],
    }


def test_invite_command_reads_the_id_from_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings(_env_file=None, DISCORD_TOKEN=make_token(987654321987654321))
    assert runner.invite(settings, None) == 0
    out, err = capsys.readouterr()
    assert out.strip() == invite_url(987654321987654321)
    assert "Manage Roles" in err


def test_invite_command_prefers_client_id(capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings(_env_file=None, DISCORD_TOKEN=make_token(1))
    assert runner.invite(settings, 555) == 0
    assert capsys.readouterr().out.strip() == invite_url(555)


def test_invite_command_without_token_or_id(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert runner.invite(load_settings(_env_file=None), None) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--client-id" in err
