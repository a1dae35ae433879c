"""Text for `/settings` and `/forget-me`: what each feature keeps, in the right number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import discord

from bot.exts.discord_limits import CONTENT_LIMIT, EMBED_DESCRIPTION_LIMIT
from bot.exts.reflections.render import COLOUR, VISIBILITY_HINTS, VISIBILITY_LABELS
from bot.exts.text import listed, plural, shorten
from bot.services.reflections import Visibility

YOURS = "your "
MADE_ANONYMOUS = " made anonymous"
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


def _singular(label: str) -> str:
    """A feature's plural label for a count of one: its first word ending in "s" loses it."""
    words = label.split(" ")
    for index, word in enumerate(words):
        if word.endswith("s"):
            words[index] = word[:-1]
            break
    return " ".join(words)


def _said(label: str, n: int) -> str:
    """A feature's label with its count ("1 circle membership"); "your settings" as it is."""
    return label if label.startswith(YOURS) else plural(n, _singular(label), label)


def forget_embed(
    held: Mapping[str, int], notes: Mapping[str, str], *, uncounted: bool = False
) -> discord.Embed:
    """What /forget-me will delete or take the member's name off, as each feature counts it
    (by label, in the features' order), before the member confirms; `notes`, by label, what
    the features say it means. `uncounted`: a feature could not count its part."""
    lines = [
        f"- {_said(label, n)}" + (f" ({notes[label]})" if label in notes else "")
        for label, n in held.items()
        if n
    ]
    if not lines and not uncounted:
        return discord.Embed(
            title="Forget me in this server?",
            description="Nothing is kept about you here: there is nothing to delete.",
            colour=COLOUR,
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


def forget_report(forgotten: Mapping[str, int], problems: Sequence[str]) -> str:
    """What /forget-me deleted (by label, in the features' order), and anything it could
    not do."""
    # What a feature keeps without the member's name is said apart ("topics made
    # anonymous": "made 3 topics anonymous").
    parts: list[str] = []
    anonymous: list[str] = []
    for kept, n in forgotten.items():
        if n:
            what = kept.removesuffix(MADE_ANONYMOUS)
            (parts if what == kept else anonymous).append(_said(what, n))
    if not parts and not anonymous:
        # Nothing was left (it went meanwhile): said as none of the first thing the features
        # count ("0 reflections"), or as nothing when none answered.
        counted = (k for k in forgotten if not k.startswith(YOURS))
        first = next((k for k in counted if not k.endswith(MADE_ANONYMOUS)), None)
        parts = [f"0 {first}" if first else "nothing"]
    said = [f"deleted {listed(parts)}"] if parts else []
    if anonymous:
        said.append(f"made {listed(anonymous)} anonymous")
    text = f"Done. I {', and '.join(said)}."
    text += " Closed votes keep their totals."
    for problem in problems:
        text += f"\n{problem}"
    return shorten(text, CONTENT_LIMIT)
