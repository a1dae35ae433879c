"""Logging to stderr, with secrets such as the bot token redacted from every line."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
REDACTED = "[redacted]"


class RedactingFormatter(logging.Formatter):
    """A formatter that replaces each secret in the finished line, traceback included.

    Redacting the formatted text (not `record.msg`) also covers arguments, exception messages
    and stack traces, wherever the secret came from.
    """

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


_HANDLER_NAME = "study-circle-stderr"
# At DEBUG these discord.py loggers print whole payloads: interactions with the member who
# sent them (a secret ballot's choice, a private reflection's text). They stay at INFO.
RAW_PAYLOAD_LOGGERS = ("discord.gateway", "discord.http", "discord.webhook.async_")


def configure_logging(
    level: int | str,
    *,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    json_lines: bool = False,
) -> None:
    """Send all logs at `level` and above to stderr, redacting `secrets`; as JSON lines
    with `json_lines` (LOG_FORMAT=json).

    Calling it again replaces the handler it installed before, so it is safe in tests.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    if json_lines:
        from bot.log_json import JsonFormatter

        handler.setFormatter(JsonFormatter(secrets))
    else:
        handler.setFormatter(RedactingFormatter(LOG_FORMAT, secrets))
    root.addHandler(handler)
    root.setLevel(level)
    number = logging.getLevelNamesMapping()[level] if isinstance(level, str) else level
    for name in RAW_PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, number))
