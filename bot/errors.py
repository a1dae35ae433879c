"""Errors that carry a message meant for the person who used the bot.

Services raise these without knowing about Discord; the interaction error handler shows
`UserError.message` (and the hint, if any) to the user, privately, and logs nothing alarming.
Any other exception is treated as a bug: logged with an error id that the user is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

# Where a message repeats what a member wrote (`quoted`), shared with the rules' errors.
from bot.reading.text import QUOTED as QUOTED
from bot.reading.text import echo

# Where a message's `moment` goes; the one who shows the message writes the moment there.
MOMENT = "{moment}"


def utc_moment(moment: datetime) -> str:
    """A moment written plainly, in UTC: "2027-03-02 08:00 UTC". For text that Discord does
    not render (a message outside Discord, an exported file), where a `<t:…>` timestamp would
    show as typed."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


class UserError(Exception):
    """Something the user can fix or should know: shown to them kindly and ephemerally.

    `message` says what went wrong in the user's terms ("That schedule no longer exists.");
    `hint` optionally says what to do next ("Use /schedule list to see the current ones.").
    A service gives values and the one who shows the message writes them, where the message
    says so: `moment`, a time, where it says `{moment}` (Discord shows it in each reader's
    time zone), and `quoted`, something a member wrote (a title, a time they typed), where it
    says `{quoted}` (Discord shows it escaped, as `bot.exts.text.inline` does; plain text as
    written). A message never holds member text itself: `f"“{QUOTED}” is in use."`.
    `str(error)` is the plain text, as `user_message()` writes it.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        moment: datetime | None = None,
        quoted: str | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        self.moment = moment
        self.quoted = quoted
        super().__init__(self.user_message())

    def user_message(
        self,
        write_moment: Callable[[datetime], str] = utc_moment,
        write_quoted: Callable[[str], str] = echo,
    ) -> str:
        """The text shown to the user: the message, then the hint on its own line, with the
        moment written by `write_moment` and the member's text by `write_quoted` (by default
        plainly: UTC, and the text as written, on one line and cut short)."""
        text = self.message if not self.hint else f"{self.message}\n{self.hint}"
        if self.moment is not None:
            text = text.replace(MOMENT, write_moment(self.moment))
        # Last, so that nothing the member wrote is read as a placeholder.
        if self.quoted is not None:
            text = text.replace(QUOTED, write_quoted(self.quoted))
        return text


class NotFound(UserError):
    """An id that does not exist in this guild (another guild's ids are not found either)."""
