"""Checking what members type before it is kept: trimmed, visible, within its limit.

Every piece of member text the bot stores (reflections, topics, questions, options, motions,
reasons, prompts, titles) is checked here, as one line by `clean_line` or as lines by
`clean_block`, or as it stands by `has_visible_text` (`bot.reading.text`, where the vote rules
check options with it too), so one rule decides what counts as text: at least one character a
reader can see. Zero-width spaces, direction overrides, fillers and combining marks on their
own are not a reflection or an option. What is too long is told in the same words, whatever
the text.
"""

from __future__ import annotations

from bot.errors import UserError
from bot.reading.text import has_visible_text


def _check(cleaned: str, what: str, limit: int, empty: str | None, *, hint: str) -> str:
    if not has_visible_text(cleaned):
        raise UserError(empty or f"Write the {what}: it has no visible characters yet.")
    if len(cleaned) > limit:
        raise UserError(
            f"The {what} can be at most {limit:,} characters (this one has {len(cleaned):,})."
            + (f" {hint}" if hint else "")
        )
    return cleaned


def clean_line(text: str, *, what: str, limit: int, empty: str | None = None) -> str:
    """`text` as one line (runs of white space become one space), checked: it must show at
    least one visible character and fit `limit`. `what` names it in the error ("topic");
    `empty` replaces the message for text with nothing visible."""
    return _check(" ".join(text.split()), what, limit, empty, hint="")


def clean_block(
    text: str, *, what: str, limit: int, empty: str | None = None, hint: str = ""
) -> str:
    """`text` as the member wrote it, line breaks kept (each as one "\\n") and trimmed at
    both ends, checked as `clean_line` checks a line; `hint`, added to the message for text
    too long, says what to do instead (split a reflection in two)."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return _check(cleaned, what, limit, empty, hint=hint)
