"""The bot's own log handler (`configure_logging`), written to a string for a test to read."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator

from bot.logging_setup import configure_logging


@contextlib.contextmanager
def bot_log(level: int | str) -> Iterator[io.StringIO]:
    """Configure logging as `python -m bot run` does at `level`; yield what it writes.

    On exit the root logger and every logger whose level changed are as they were.
    """
    root = logging.getLogger()
    handlers, root_level = list(root.handlers), root.level
    manager = logging.Logger.manager
    levels = {
        name: logger.level
        for name, logger in manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    stream = io.StringIO()
    configure_logging(level, stream=stream)
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(root_level)
        for name, logger in list(manager.loggerDict.items()):
            if isinstance(logger, logging.Logger):
                logger.setLevel(levels.get(name, logging.NOTSET))
