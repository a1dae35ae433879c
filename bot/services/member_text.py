"""Checking what members type before it is kept: trimmed, visible, within its limit.

Every piece of member text the bot stores (reflections, topics, questions, options, motions,
reasons, prompts, titles) is checked here, as one line by `clean_line`, as lines by
`clean_block` or as it stands by `has_visible_text`, so one rule decides what counts as text:
at least one character a reader can see. Zero-width spaces, direction overrides, fillers and
combining marks on their own are not a reflection or an option. What is too long is told in
the same words, whatever the text.
"""

from __future__ import annotations

import unicodedata

from bot.errors import UserError

# Categories that never show on their own: controls, format characters (zero-width spaces,
# direction marks and overrides), separators, unassigned and private code points, and marks
# that only combine with a letter before them.
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
# Letters and symbols that render as blank space, often used to fake an empty name.
_BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")


def is_visible(character: str) -> bool:
    """Whether `character` shows as something a reader can see."""
    return (
        character not in _BLANK_CHARACTERS
        and unicodedata.category(character) not in _UNSEEN_CATEGORIES
    )


def has_visible_text(text: str) -> bool:
    """Whether `text` has at least one character a reader can see."""
    return any(is_visible(character) for character in text)


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
