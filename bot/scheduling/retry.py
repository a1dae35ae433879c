"""How long to wait before trying again after a failure."""

from __future__ import annotations

from datetime import timedelta


def backoff(failures: int, *, first: timedelta, cap: timedelta) -> timedelta:
    """The wait after the `failures`-th failure in a row (1-based): `first`, doubled after
    each failure since, never more than `cap`."""
    factor: int = 2 ** max(failures - 1, 0)  # an int power of two (typeshed says Any)
    return min(cap, first * factor)
