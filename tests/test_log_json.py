"""LOG_FORMAT=json: one JSON object a line, with the token redacted in every field."""

from __future__ import annotations

import io
import json
import logging
import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import exc as sa_exc

from bot.logging_setup import REDACTED, configure_logging
from bot.settings import load_settings

TOKEN = "MTIzNA.GxxxxX.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    configure_logging(logging.INFO, secrets=[TOKEN], stream=out, json_lines=True)
    yield out
    configure_logging(logging.WARNING)


def _lines(stream: io.StringIO) -> list[dict[str, str]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_record_is_one_json_line_with_time_level_logger_and_message(
    stream: io.StringIO,
) -> None:
    logging.getLogger("bot.test").info("Ready in %d guilds\nand more", 3)

    [entry] = _lines(stream)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "bot.test"
    assert entry["message"] == "Ready in 3 guilds\nand more"
    assert entry["time"].endswith("+00:00")


def test_an_exception_stays_on_the_line_with_the_token_redacted(stream: io.StringIO) -> None:
    try:
        raise RuntimeError(f"rejected {TOKEN}")
    except RuntimeError:
        logging.getLogger("bot.test").exception("login with %s failed", TOKEN)

    [entry] = _lines(stream)
    assert entry["level"] == "ERROR"
    assert entry["message"] == f"login with {REDACTED} failed"
    assert "RuntimeError: rejected [redacted]" in entry["exception"]
    assert TOKEN not in stream.getvalue()


def test_log_format_is_a_setting_with_two_choices() -> None:
    assert load_settings(_env_file=None, LOG_FORMAT="JSON").log_format == "json"
    assert load_settings(_env_file=None).log_format == "text"


def test_a_database_error_shows_no_member_words(stream: io.StringIO) -> None:
    words = "my private reflection about chapter two"
    error = sa_exc.IntegrityError(
        "INSERT INTO reflections (text) VALUES (?)",
        (words,),
        sqlite3.IntegrityError(f"CHECK constraint failed: {words}"),
    )
    try:
        raise error
    except sa_exc.IntegrityError as caught:
        logging.getLogger("bot.test").exception("saving failed: %s", caught)

    [entry] = _lines(stream)
    assert entry["level"] == "ERROR"
    assert "IntegrityError" in entry["exception"]
    assert words not in stream.getvalue()
