"""What the reflection modules share: who may read a reflection."""

from __future__ import annotations

from bot.db.models.reflections import Visibility
from bot.errors import UserError

PRIVATE = Visibility.PRIVATE
AFTER_CLOSE = Visibility.AFTER_CLOSE
NOW = Visibility.NOW
VISIBILITIES = (PRIVATE, AFTER_CLOSE, NOW)
DEFAULT_VISIBILITY = PRIVATE


def check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise UserError("Choose who may read it: only you, the circle after the close, or now.")
    return visibility
