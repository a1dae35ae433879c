"""Settings: sensible defaults, friendly URLs, one clear line for a wrong value."""

from __future__ import annotations

import pytest

from bot.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings


@pytest.fixture(autouse=True)
def _no_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "LOG_LEVEL", "DEV_GUILD_ID", "DISCORD_API_BASE"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_nothing_but_a_token_to_run() -> None:
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.log_level == "INFO"
    assert settings.discord_token is None
    assert settings.dev_guild_id is None


def test_plain_postgres_urls_get_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/circle")
    assert load_settings().database_url == "postgresql+asyncpg://u:p@db:5432/circle"


def test_env_file_is_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".env").write_text("DISCORD_TOKEN=abc.def.ghi\nLOG_LEVEL=debug\n", "utf-8")
    settings = load_settings()
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "abc.def.ghi"
    assert settings.log_level == "DEBUG"
    assert "abc.def.ghi" not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOG_LEVEL", "loud"),
        ("DEV_GUILD_ID", "my-server"),
        ("DATABASE_URL", "mysql://x/y"),
        ("DISCORD_API_BASE", "localhost:8080"),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message
