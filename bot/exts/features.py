"""What one feature's Discord side offers the others, as protocols the composition root looks
for: the Discord half of `bot.services.features`.

A feature's cog takes part by implementing a protocol here, never by appending itself to a
list or importing the feature that asks: the root (`Services.implementers`,
`bot.services.root`) finds every cog that implements one, and the asking feature reads them
there. A feature imports its own package, the modules shared by every feature (this one,
`interactions.py`, `options.py`, `text.py`, `discord_limits.py`, `pages.py`) and the parts
another feature lends to a message or command group it owns (CONTRIBUTING.md's "The layers").

- `DigestContributor`: the cog has lines for a section's digest (the votes held on it, its
  meeting), under one `DigestPart`; the reflections' digest poster asks every one as it
  publishes, and leaves out one that fails. The cog writes its lines itself, over data its
  service returns, so a line may hold Discord's markup (a timestamp, a link).
- `MemberDataNotes`, `MemberDataOnDiscord`: the cog has something to say about what its
  feature's `MemberData` keeps, in `/forget-me`'s confirmation, or something of the member's
  to undo on Discord before that data goes (`bot.exts.privacy.forgetting` asks them).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Protocol, runtime_checkable

import discord

from bot.services.features import Kept


class DigestPart(StrEnum):
    """Where a contributor's lines go in a section's digest."""

    VOTES = "votes"
    MEETING = "meeting"


@runtime_checkable
class DigestContributor(Protocol):
    """A feature with something to say in a section's digest."""

    digest_part: DigestPart

    async def digest_lines(self, guild_id: int, schedule_id: int, section_id: int) -> list[str]:
        """Lines about the section (one per vote, say), as the digest shows them; none when
        there is nothing."""
        ...


@runtime_checkable
class MemberDataNotes(Protocol):
    """A feature's Discord side with something to say about what its `MemberData` keeps."""

    # What forgetting one of the things its `MemberData` keeps means for the member, said
    # after its count in the confirmation ("private or shared; shared ones are removed from
    # their threads").
    member_data_notes: Mapping[Kept, str]


@runtime_checkable
class MemberDataOnDiscord(Protocol):
    """A feature's Discord side with something of the member's to undo on Discord."""

    async def forget_on_discord(self, member: discord.Member) -> list[str]:
        """Undo on Discord what the feature's data gave the member (the members feature: its
        circle roles). Runs before any `MemberData` forgets, so that data can still be read.
        Returns what could not be undone, a sentence each for the report; raising stops
        /forget-me before anything is deleted."""
        ...
