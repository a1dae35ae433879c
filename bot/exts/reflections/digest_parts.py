"""What other features add to a section's digest.

A feature's cog with something to say about a section (the votes held on it, its meeting) is a
`DigestContributor`: the digest's poster (`poster.py`) asks every one the bot has as it
publishes, and a contributor that fails is left out. The cog writes its lines itself, over
data its service returns, so a line may hold Discord's markup (a timestamp, a link).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol, runtime_checkable


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
