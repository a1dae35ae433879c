"""The environment variables the bot reads, and `clean_environment`, which keeps them (and any
./.env file) out of a test (tests/conftest.py offers it to every test)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import Settings

# Every setting by its name in the environment (pydantic-settings reads a field by its alias,
# else by its own name), taken from `Settings` so that a new one is kept out too; and the one
# variable the bot reads outside its settings: STUDY_CIRCLE_IMAGE, which the image's
# Dockerfile sets and `bot/cli.py` reads to word its help.
BOT_ENVIRONMENT: frozenset[str] = frozenset(
    {field.alias or name.upper() for name, field in Settings.model_fields.items()}
    | {"STUDY_CIRCLE_IMAGE"}
)


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """None of BOT_ENVIRONMENT set, and the test's own empty folder as the working one, so no
    .env is read: the settings are their defaults unless the test sets one."""
    monkeypatch.chdir(tmp_path)
    for name in list(os.environ):
        # pydantic-settings matches names whatever their case: `log_level` counts too.
        if name.upper() in BOT_ENVIRONMENT:
            monkeypatch.delenv(name)
