"""A tie-break order drawn when a vote opens, so that anyone can check it afterwards.

The order sorts option numbers by SHA-256 of "<seed>:<number>" (hex digests, ascending): with
the published seed, anyone can recompute it. It decides only when a single winner is required
and options tie at the top.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection, Sequence


def draw_seed() -> str:
    """A fresh random seed, short enough to publish with the vote."""
    return secrets.token_hex(6)


def tiebreak_order(seed: str, options: int) -> tuple[int, ...]:
    """Option indices (0-based), first to win a tie first."""
    if options < 0:
        raise ValueError("the number of options cannot be negative")
    return tuple(
        sorted(range(options), key=lambda i: hashlib.sha256(f"{seed}:{i + 1}".encode()).hexdigest())
    )


def first_in_order(tied: Collection[int], order: Sequence[int]) -> int:
    """The tied option that comes first in the tie-break order."""
    if not tied:
        raise ValueError("nothing is tied")
    for index in order:
        if index in tied:
            return index
    raise ValueError("the tie-break order does not cover the tied options")


def describe_order(order: Sequence[int]) -> str:
    """The order as option numbers people read: "3, 1, 2"."""
    return ", ".join(str(i + 1) for i in order)
