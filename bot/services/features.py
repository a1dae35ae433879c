"""What one feature offers the others, as protocols the composition root looks for.

A feature takes part by implementing a method, never by appending itself to a list: the root
(`bot.services.root`) finds every service, and every object the bot adds (its cogs), that
implements a protocol, in the order the services are declared. The model is Red-DiscordBot's
`red_delete_data_for_user`.

- `MemberData`: the feature keeps something about a member; `/forget-me`
  (`bot.exts.privacy`) asks each one what it holds (for its confirmation), then has each one
  forget it, each kind of thing named by a `Kept` (where a filter says it all, a table's rows
  are counted and forgotten by one `bot.services.member_rows.MemberRows`, so that the
  confirmation and the report agree). Every feature keeping member data is one, reflections
  included. What a feature says about its data there, or undoes on Discord (the circle
  roles), is its cog's: the protocols of `bot.exts.features`.
- `ScheduleWatcher`, `VoteWatcher`, `MeetingWatcher`: the feature follows schedules, votes or
  meetings of another feature (reminders queue their DMs, meetings follow a schedule's dates).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.services.schedules import ScheduleChange


@dataclass(frozen=True)
class Kept:
    """A kind of thing a feature keeps about a member, as /forget-me names it: `one` for a
    count of one ("circle membership"), `many` for any other. `anonymised`: it stays,
    without the member's name (a topic they proposed)."""

    one: str
    many: str
    anonymised: bool = False
    counted: bool = True

    @classmethod
    def uncounted(cls, name: str) -> Kept:
        """What a member has one of at most, named without a count ("your settings")."""
        return cls(name, name, counted=False)


@runtime_checkable
class MemberData(Protocol):
    """A feature that keeps data about members."""

    async def held_about_member(self, guild_id: int, user_id: int) -> Mapping[Kept, int]:
        """What `forget_member` would report now, changing nothing: the same things, counted
        the same way, so that /forget-me's confirmation and its report agree."""
        ...

    async def forget_member(self, guild_id: int, user_id: int) -> Mapping[Kept, int]:
        """Delete (or make anonymous) what is kept about the member in the guild, and say
        how many of each went. Zero counts may be left out. A feature that fails (raises) is
        reported as not done; the others are still asked."""
        ...


@runtime_checkable
class ScheduleWatcher(Protocol):
    """A feature that follows schedules' dates."""

    async def on_schedule_change(self, session: AsyncSession, change: ScheduleChange) -> None:
        """Act in the transaction that changes the schedule (e.g. queue a job)."""
        ...


@runtime_checkable
class VoteWatcher(Protocol):
    """A feature that follows the votes being opened."""

    async def on_vote_opened(
        self,
        session: AsyncSession,
        vote_id: int,
        guild_id: int,
        schedule_id: int | None,
        opened_at: datetime,
        closes_at: datetime,
    ) -> None:
        """Act in the transaction that opens the vote."""
        ...


@runtime_checkable
class MeetingWatcher(Protocol):
    """A feature that follows the meetings being announced."""

    async def on_meeting_set(self, meeting_id: int) -> None:
        """A meeting was announced or moved (called after its transaction)."""
        ...
