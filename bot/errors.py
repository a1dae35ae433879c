"""Errors that carry a message meant for the person who used the bot.

Services raise these without knowing about Discord; the interaction error handler shows
`UserError.message` (and the hint, if any) to the user, privately, and logs nothing alarming.
Any other exception is treated as a bug: logged with an error id that the user is shown.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix or should know: shown to them kindly and ephemerally.

    `message` says what went wrong in the user's terms ("That schedule no longer exists.");
    `hint` optionally says what to do next ("Use /schedule list to see the current ones.").
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def user_message(self) -> str:
        """The text shown to the user: the message, then the hint on its own line."""
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class NotFound(UserError):
    """An id that does not exist in this guild (another guild's ids are not found either)."""
