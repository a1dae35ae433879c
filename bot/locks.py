"""Locks per resource (a schedule, a vote) that last only while someone uses them."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from typing import Generic, TypeVar
from weakref import WeakValueDictionary

K = TypeVar("K", bound=Hashable)


class KeyedLocks(Generic[K]):
    """`locks[key]` is the one `asyncio.Lock` for `key` while a task holds it or waits for it.

    The locks are held weakly: `async with locks[key]:` keeps its lock alive, and once no
    task refers to it the entry goes, so the table never grows with every key ever seen.
    """

    def __init__(self) -> None:
        self._locks: WeakValueDictionary[K, asyncio.Lock] = WeakValueDictionary()

    def __getitem__(self, key: K) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    def __len__(self) -> int:
        return len(self._locks)
