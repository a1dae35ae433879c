"""The bot's parse: the pure `bot.reading.importer.parse_reading`, handed the process's language
classifier and run with the garbage collector held off.

What the pure parse must not do itself is done here, once for the process: py3langid's model
is loaded the first time a text's language is detected (read from the user's cache folder,
`bot.language_cache`), and the cyclic collector is paused for the parse (`bot.gc_pause`).
The upload cog and the preview (through `bot.drafting`), the bundled readings
(`bot.services.readings`) and the benchmarks all parse through `parse_reading` here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Unpack

from bot.gc_pause import gc_paused
from bot.reading.importer import ParsedReading, ParseOptions
from bot.reading.importer import parse_reading as parse_pure

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier


def _from_cache() -> LanguageIdentifier:
    # Imported here: numpy and the detector are 90 modules and a twelfth of a second of CPU at
    # every start of the bot otherwise, and only readings that name no language need them.
    from bot.language_cache import cached_identifier

    return cached_identifier()


class LoadedOnFirstUse:
    """A language identifier loaded by the first `classify` (by `load`: py3langid's, from the
    user's cache folder) and kept: loaded once, however many parses ask for it at the same
    time. A process that never detects a language (the bundled readings name theirs and are
    not checked) never loads it: about 100 MB once loaded."""

    def __init__(self, load: Callable[[], LanguageIdentifier] = _from_cache) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._loaded: LanguageIdentifier | None = None

    def identifier(self) -> LanguageIdentifier:
        """The identifier, loaded now if it was not yet."""
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    def classify(self, text: str) -> tuple[str, float]:
        """The text's language and its score (`bot.reading.language.LanguageClassifier`)."""
        code, score = self.identifier().classify(text)
        return code, score


#: The process's classifier: its model is 68 MB of tables, loaded once.
LANGUAGE_CLASSIFIER = LoadedOnFirstUse()


def parse_reading(
    data: bytes,
    source_name: str,
    *,
    executor: Executor | None = None,
    **options: Unpack[ParseOptions],
) -> ParsedReading:
    """`bot.reading.importer.parse_reading(data, source_name, **options)` with the process's
    language classifier, and the cyclic garbage collector held off meanwhile: a parse makes
    no reference cycles. Blocking: run it in a worker thread."""
    with gc_paused():
        return parse_pure(
            data, source_name, language_classifier=LANGUAGE_CLASSIFIER, executor=executor, **options
        )
