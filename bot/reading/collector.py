"""The cyclic garbage collector held off while a reading is parsed.

A parse of a 1 MB book makes millions of short-lived objects and keeps thousands of them
(sections, sentences, candidates) until it ends: the collector, counting allocations, ran
about 550 times a parse, a few of them full collections over every object in the process,
for 0.3-0.5 s of CPU a parse (0.2 s with the bot's own thresholds). A parse makes no
reference cycles (tests/reading/test_collector.py), so reference counting frees all it
drops; nothing waits for the collector meanwhile.

The collector is one for the whole process: parses in several threads share one pause, and
the collector runs again once the last of them is done, if it ran before the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holding = 0  # parses under way
_was_enabled = False  # whether the collector ran when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off cyclic garbage collection for the block; it is enabled again afterwards only
    if it was enabled when the first of the overlapping blocks began."""
    global _holding, _was_enabled
    with _lock:
        if _holding == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holding += 1
    try:
        yield
    finally:
        with _lock:
            _holding -= 1
            if _holding == 0 and _was_enabled:
                gc.enable()
