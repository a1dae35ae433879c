"""What the reflection modules share: who may read a reflection, and the service's base."""

from __future__ import annotations

from bot.db import Database
from bot.errors import UserError
from bot.scheduling.clock import Clock

PRIVATE = "private"
AFTER_CLOSE = "after_close"
NOW = "now"
VISIBILITIES = (PRIVATE, AFTER_CLOSE, NOW)
DEFAULT_VISIBILITY = PRIVATE


def check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise UserError("Choose who may read it: only you, the circle after the close, or now.")
    return visibility


class ReflectionsBase:
    """What each part of `Reflections` is bound to: the database and the clock."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
