"""Text and embeds for `/circle about` and `/circle facilitator-role`."""

from __future__ import annotations

import discord

ABOUT = (
    "Study Circle helps a reading group read one text together. A facilitator loads a "
    "reading; the bot posts it one section at a time on a schedule, each with discussion "
    "prompts drawn from that section's own words, in a thread or forum post of its own.\n\n"
    "Members join the circle, mark what they have read, write reflections (private, revealed "
    "later, or public), propose discussion topics and decide among them by vote."
)


def about_embed(version: str) -> discord.Embed:
    """The `/circle about` answer."""
    embed = discord.Embed(title="Study Circle", description=ABOUT, colour=discord.Colour.teal())
    embed.add_field(name="Version", value=version)
    embed.set_footer(text="Slash commands only: I never read your messages.")
    return embed


def facilitator_role_text(role_mention: str | None) -> str:
    """The answer to /circle facilitator-role: who may run facilitator commands now."""
    if role_mention is None:
        return "Only members with Manage Server can run facilitator commands now."
    return (
        f"Members with {role_mention} can now run facilitator commands, "
        "as can members with Manage Server."
    )
