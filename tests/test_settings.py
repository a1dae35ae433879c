"""Settings: sensible defaults, friendly URLs, one clear line for a wrong value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import DEFAULT_DATABASE_URL, SettingsError, load_settings

pytestmark = pytest.mark.usefixtures("clean_environment")


def test_defaults_need_nothing_but_a_token_to_run() -> None:
    settings = load_settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.log_level == "INFO"
    assert settings.discord_token is None
    assert settings.dev_guild_id is None


def test_plain_postgres_urls_get_the_async_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/circle")
    assert load_settings().database_url == "postgresql+asyncpg://u:p@db:5432/circle"


def test_env_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
        ("PROMPTS_LLM_BASE_URL", "localhost:11434"),
        ("PROMPTS_LLM_DAILY_REQUESTS", "0"),
        ("PROMPTS_LLM_TIMEOUT", "600"),
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


def test_model_prompts_are_off_unless_a_url_is_set() -> None:
    settings = load_settings()
    assert settings.prompts_llm_base_url is None
    assert settings.secrets == []


def test_a_model_endpoint_needs_a_model_name_and_keeps_its_key_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROMPTS_LLM_BASE_URL", "http://127.0.0.1:11434/v1/")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "PROMPTS_LLM_MODEL is needed" in str(caught.value)
    monkeypatch.setenv("PROMPTS_LLM_MODEL", " llama3.1:8b ")
    monkeypatch.setenv("PROMPTS_LLM_API_KEY", "sk-test-1234")
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    settings = load_settings()
    assert settings.prompts_llm_base_url == "http://127.0.0.1:11434/v1"
    assert settings.prompts_llm_model == "llama3.1:8b"
    assert "sk-test-1234" not in repr(settings)
    assert settings.secrets == ["abc.def.ghi", "sk-test-1234"]
