"""Checking what members type before it is kept: trimmed, visible, within its limit.

Every piece of member text the bot stores (reflections, topics, questions, options, motions,
reasons, prompts, titles) is checked as one line by `clean_line` here, or as it stands by
`has_visible_text` (`bot.reading.text`, where the vote rules check options with it too), so
one rule decides what counts as text: at least one character a reader can see. Zero-width
spaces, direction overrides, fillers and combining marks on their own are not a reflection
or an option.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.reading.text import has_visible_text


def _check(cleaned: str, what: str, limit: int, empty: str | None) -> str:
    if not has_visible_text(cleaned):
        raise UserError(empty or f"Write the {what}: it has no visible characters yet.")
    if len(cleaned) > limit:
        raise UserError(
            f"The {what} can be at most {limit:,} characters (this one has {len(cleaned):,})."
        )
    return cleaned


def clean_line(text: str, *, what: str, limit: int, empty: str | None = None) -> str:
    """`text` as one line (runs of white space become one space), checked: it must show at
    least one visible character and fit `limit`. `what` names it in the error ("topic");
    `empty` replaces the message for text with nothing visible."""
    return _check(" ".join(text.split()), what, limit, empty)
