"""What the reflection modules share: who may read a reflection."""

from __future__ import annotations

from bot.db.models.reflections import Visibility
from bot.errors import UserError

DEFAULT_VISIBILITY = Visibility.PRIVATE


def check_visibility(visibility: str) -> Visibility:
    """The visibility named, or a UserError when it is none of `Visibility`'s."""
    try:
        return Visibility(visibility)
    except ValueError:
        raise UserError(
            "Choose who may read it: only you, the circle after the close, or now."
        ) from None
