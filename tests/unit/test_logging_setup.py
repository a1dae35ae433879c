"""Debug logging never prints raw Discord payloads, which could link members to ballots."""

from __future__ import annotations

import io
import logging

from bot.logging_setup import RAW_PAYLOAD_LOGGERS, configure_logging


def test_debug_logging_keeps_raw_discord_payloads_out() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    try:
        for name in RAW_PAYLOAD_LOGGERS:
            logging.getLogger(name).debug("INTERACTION_CREATE member 42 custom_id sc:vote:7:2")
        logging.getLogger("bot.services").debug("our own debug line")
        text = stream.getvalue()
        assert "sc:vote:7:2" not in text
        assert "our own debug line" in text
    finally:
        configure_logging("WARNING", stream=io.StringIO())
