"""The cyclic garbage collector held off while a reading is parsed.

A parse of a 1 MB book makes millions of short-lived objects and keeps thousands of them
(sections, sentences, candidates) until it ends: the collector, counting allocations, ran
about 550 times a parse, a few of them full collections over every object in the process,
for 0.3-0.5 s of CPU a parse (0.2 s with the bot's own thresholds). A parse makes no
reference cycles (tests/test_gc_pause.py), so reference counting frees all it drops; nothing
waits for the collector meanwhile.

The collector is one for the whole process, and so is the pause (`gc_paused`): parses in
several threads share it, and the collector runs again once the last of them is done, if it
ran before the first began. The pure parse (`bot.reading.importer`) knows nothing of it; the
bot's parse (`bot.parsing`) is run inside it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager


class CollectorPause:
    """Overlapping blocks that each want the collector held off: it is disabled when the
    first begins and enabled again when the last ends, if it was enabled before the first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holding = 0  # blocks under way
        self._was_enabled = False  # whether the collector ran when the first of them began

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold off cyclic garbage collection for the block."""
        with self._lock:
            if self._holding == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._holding += 1
        try:
            yield
        finally:
            with self._lock:
                self._holding -= 1
                if self._holding == 0 and self._was_enabled:
                    gc.enable()


# One collector a process, so one pause: two pauses would each enable it while the other's
# parse still runs.
_PROCESS_PAUSE = CollectorPause()


def gc_paused() -> AbstractContextManager[None]:
    """Hold off cyclic garbage collection for the block, sharing the pause with any other
    block under way in the process; it is enabled again afterwards only if it was enabled
    when the first of the overlapping blocks began."""
    return _PROCESS_PAUSE.held()
