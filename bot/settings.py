"""Runtime settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'study-circle.db'}"
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
_LOG_FORMATS = ("text", "json")


class SettingsError(Exception):
    """A setting has a value the bot cannot use; the message names the setting."""


class Settings(BaseSettings):
    """Everything the process needs to know about where it runs."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    dev_guild_id: int | None = Field(default=None, alias="DEV_GUILD_ID", gt=0)
    discord_api_base: str | None = Field(default=None, alias="DISCORD_API_BASE")
    # For running one bot as several processes: each gets the total and its own shard ids.
    shard_count: int | None = Field(default=None, alias="SHARD_COUNT", gt=0)
    shard_ids: Annotated[list[int] | None, NoDecode] = Field(default=None, alias="SHARD_IDS")
    # Running it for real: `text` or `json` logs, a heartbeat file for `health`, /metrics.
    log_format: str = Field(default="text", alias="LOG_FORMAT")
    health_file: Path | None = Field(default=None, alias="HEALTH_FILE")
    metrics_port: int | None = Field(default=None, alias="METRICS_PORT", ge=1, le=65535)
    metrics_host: str = Field(default="127.0.0.1", alias="METRICS_HOST")

    @field_validator("log_format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        fmt = value.strip().lower()
        if fmt not in _LOG_FORMATS:
            raise ValueError(f"must be one of {', '.join(_LOG_FORMATS)}")
        return fmt

    @field_validator("health_file", "metrics_port", "dev_guild_id", "shard_count", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    # An OpenAI-compatible endpoint that writes discussion prompts; off unless the URL is set.
    prompts_llm_base_url: str | None = Field(default=None, alias="PROMPTS_LLM_BASE_URL")
    prompts_llm_model: str | None = Field(default=None, alias="PROMPTS_LLM_MODEL")
    prompts_llm_api_key: SecretStr | None = Field(default=None, alias="PROMPTS_LLM_API_KEY")
    prompts_llm_daily_requests: int = Field(
        default=100, alias="PROMPTS_LLM_DAILY_REQUESTS", ge=1, le=1_000_000
    )
    prompts_llm_timeout: float = Field(default=60.0, alias="PROMPTS_LLM_TIMEOUT", gt=0, le=120)

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(_LOG_LEVELS)}")
        return level

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        url = value.strip()
        if url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            return url
        if url.startswith(("postgres://", "postgresql://")):
            return "postgresql+asyncpg://" + url.split("://", 1)[1]
        if url.startswith("sqlite://"):
            return "sqlite+aiosqlite://" + url.split("://", 1)[1]
        raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")

    @field_validator("discord_api_base", "prompts_llm_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        url = value.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return url

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.split(",") if part.strip()]
            return [int(part) if part.isdigit() else part for part in parts] or None
        return value

    @field_validator("prompts_llm_model")
    @classmethod
    def _model_name(cls, value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    @field_validator("prompts_llm_api_key")
    @classmethod
    def _optional_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(value.get_secret_value().strip())

    @model_validator(mode="after")
    def _model_named(self) -> Settings:
        if self.prompts_llm_base_url and not self.prompts_llm_model:
            raise ValueError("PROMPTS_LLM_MODEL is needed with PROMPTS_LLM_BASE_URL")
        return self

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT")
            if any(not 0 <= shard < self.shard_count for shard in self.shard_ids):
                raise ValueError(f"SHARD_IDS must be between 0 and {self.shard_count - 1}")
        return self

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]

    @property
    def secrets(self) -> list[str]:
        """Values no log line may show: the bot's token and the model endpoint's key."""
        values = [self.discord_token, self.prompts_llm_api_key]
        return [v.get_secret_value().strip() for v in values if v is not None]


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation failure into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]  # pydantic validates the raw values
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "settings"
            message = str(error["msg"]).removeprefix("Value error, ")
            problems.append(f"{name.upper()}: {message}")
        raise SettingsError("; ".join(problems)) from None
