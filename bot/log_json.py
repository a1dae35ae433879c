"""Log records as one JSON object a line (LOG_FORMAT=json), for log collectors.

Each line has `time` (UTC, ISO 8601), `level`, `logger` and `message`, and `exception` when
the record carries one. It keeps out what the text format keeps out (`RedactingFormatter`):
secrets, and anything a member wrote or chose (database errors by class and kind only).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from bot.logging_setup import HIDDEN, LEAKY_LINES, REDACTED, RedactingFormatter


class JsonFormatter(RedactingFormatter):
    """Formats a record as a single-line JSON object, as safe as the text format."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__("%(message)s", secrets)

    def _clean(self, text: str) -> str:
        text = LEAKY_LINES.sub(HIDDEN, text)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def format(self, record: logging.LogRecord) -> str:
        bare = logging.makeLogRecord(record.__dict__)
        bare.exc_info, bare.exc_text, bare.stack_info = None, None, None
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            # The message as the text format writes it: safe arguments, secrets redacted.
            "message": super().format(bare),
        }
        if record.exc_info:
            entry["exception"] = self._clean(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = self._clean(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)
