"""Logs go to stderr at LOG_LEVEL, and never show the token."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from bot.logging_setup import REDACTED, configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def test_token_is_redacted_everywhere(restore_logging: None) -> None:
    token = "MTIzNDU2Nzg5.abcdef.secret-part-of-the-token"
    stream = io.StringIO()
    configure_logging(logging.DEBUG, secrets=[token], stream=stream)
    log = logging.getLogger("discord.client")
    log.debug("Authorization: Bot %s", token)
    try:
        raise RuntimeError(f"bad token {token}")
    except RuntimeError:
        log.exception("failed")
    text = stream.getvalue()
    assert token not in text
    assert text.count(REDACTED) == 2  # the log argument and the exception message


def test_level_is_honoured_and_reconfiguring_replaces_the_handler(restore_logging: None) -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging("WARNING", stream=first)
    configure_logging("INFO", stream=second)
    logging.getLogger("bot").debug("hidden")
    logging.getLogger("bot").info("shown")
    assert first.getvalue() == ""
    assert "shown" in second.getvalue()
    assert "hidden" not in second.getvalue()
