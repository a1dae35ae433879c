"""Text for `/settings` and `/forget-me`: what each feature keeps, in the right number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.exts.discord_limits import CONTENT_LIMIT, EMBED_DESCRIPTION_LIMIT
from bot.exts.reflections.render import VISIBILITY_HINTS, VISIBILITY_LABELS
from bot.exts.text import listed, plural, shorten
from bot.services.features import Kept
from bot.services.reflections import Visibility

# The answer when the member thinks better of /forget-me.
KEPT = "Nothing was deleted."


def settings_text(visibility: Visibility, *, changed: bool) -> str:
    label = VISIBILITY_LABELS[visibility].lower()
    head = "From now on, new reflections" if changed else "New reflections"
    return (
        f"{head} start as readable by **{label}** ({VISIBILITY_HINTS[visibility].lower()}). "
        "You can still choose each time you write."
    )


def timezone_text(key: str) -> str:
    return f"Your time zone is now {key}: quiet hours and the weekly reminder follow it."


def _said(kept: Kept, n: int) -> str:
    """What a feature keeps, with its count ("1 circle membership"), or without one ("your
    settings")."""
    return plural(n, kept.one, kept.many) if kept.counted else kept.many


def forget_embed(
    held: Mapping[Kept, int], notes: Mapping[Kept, str], *, uncounted: bool = False
) -> discord.Embed:
    """What /forget-me will delete or take the member's name off, as each feature counts it
    (in the features' order), before the member confirms; `notes`: what the features say
    one of them means. `uncounted`: a feature could not count its part."""
    lines = [
        f"- {_said(kept, n)}"
        + (" made anonymous" if kept.anonymised else "")
        + (f" ({notes[kept]})" if kept in notes else "")
        for kept, n in held.items()
        if n
    ]
    if not lines and not uncounted:
        return discord.Embed(
            title="Forget me in this server?",
            description="Nothing is kept about you here: there is nothing to delete.",
            colour=discord.Colour.blurple(),
        )
    if uncounted:
        lines.append("- what some features could not count just now (it goes all the same)")
    description = (
        "This deletes everything Study Circle keeps about you here, or takes your name off it:\n"
        + "\n".join(lines)
        + "\n\nCircle roles go with their memberships. What you set up (topics, votes, "
        "schedules, meetings) stays, without your name; closed votes keep their totals. "
        "This cannot be undone."
    )
    return discord.Embed(
        title="Forget me in this server?",
        description=shorten(description, EMBED_DESCRIPTION_LIMIT),
        colour=discord.Colour.red(),
    )


def forget_report(forgotten: Mapping[Kept, int], problems: Sequence[str]) -> str:
    """What /forget-me deleted and what it took the member's name off (in the features'
    order), and anything it could not do."""
    deleted = [_said(kept, n) for kept, n in forgotten.items() if n and not kept.anonymised]
    anonymous = [_said(kept, n) for kept, n in forgotten.items() if n and kept.anonymised]
    if not deleted and not anonymous:
        # Nothing was left (it went meanwhile): said as none of the first thing the features
        # count ("0 reflections"), or as nothing when none answered.
        first = next((k for k in forgotten if k.counted and not k.anonymised), None)
        deleted = [f"0 {first.many}" if first else "nothing"]
    said = [f"deleted {listed(deleted)}"] if deleted else []
    if anonymous:
        said.append(f"made {listed(anonymous)} anonymous")
    text = f"Done. I {', and '.join(said)}."
    text += " Closed votes keep their totals."
    for problem in problems:
        text += f"\n{problem}"
    return shorten(text, CONTENT_LIMIT)
