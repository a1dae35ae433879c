"""Errors that carry a message meant for the person who used the bot.

Services raise these without knowing about Discord; the interaction error handler shows
`UserError.message` (and the hint, if any) to the user, privately, and logs nothing alarming.
Any other exception is treated as a bug: logged with an error id that the user is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# Where a message's `moment` goes; the one who shows the message writes the moment there.
MOMENT = "{moment}"


def utc_moment(moment: datetime) -> str:
    """A moment written plainly, in UTC: "2027-03-02 08:00 UTC"."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class UserError(Exception):
    """Something the user can fix or should know: shown to them kindly and ephemerally.

    `message` says what went wrong in the user's terms ("That schedule no longer exists.");
    `hint` optionally says what to do next ("Use /schedule list to see the current ones.").
    `moment` is a time the message speaks of, written where the message says `{moment}`: a
    service gives the time, and the Discord side shows it in each reader's time zone.
    """

    def __init__(
        self, message: str, *, hint: str | None = None, moment: datetime | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.moment = moment

    def user_message(self, write_moment: Callable[[datetime], str] = utc_moment) -> str:
        """The text shown to the user: the message, then the hint on its own line, with the
        moment written by `write_moment`."""
        text = self.message if not self.hint else f"{self.message}\n{self.hint}"
        if self.moment is not None:
            text = text.replace(MOMENT, write_moment(self.moment))
        return text


class NotFound(UserError):
    """An id that does not exist in this guild (another guild's ids are not found either)."""
