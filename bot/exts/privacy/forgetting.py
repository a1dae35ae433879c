"""`/forget-me`'s work, and what a feature's Discord side adds to it.

The command asks every `MemberData` of `bot.services.features` what it holds (the confirmation,
where each `MemberDataNotes` of `bot.exts.features` says what its labels mean); once the member
confirmed (the button), every `MemberDataOnDiscord` undoes on Discord what its feature's data
gave the member, then every `MemberData` forgets that data. `/forget-me` knows none of the
others: the composition root finds each part (`Services.implementers`) among the services and
the cogs, as Red-DiscordBot hands each cog its `red_delete_data_for_user`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

import discord

from bot.exts.features import MemberDataNotes, MemberDataOnDiscord
from bot.exts.interactions import guild_member, update, when_ready
from bot.exts.privacy import render
from bot.services.features import Kept, MemberData

if TYPE_CHECKING:
    from bot.services.root import Services

log = logging.getLogger(__name__)


async def each_feature(
    services: Services,
    doing: str,
    guild_id: int,
    ask: Callable[[MemberData], Awaitable[Mapping[Kept, int]]],
) -> tuple[dict[Kept, int], bool]:
    """What every feature keeping member data answers, added up in the features' order;
    False when one of them failed (logged, the others still asked)."""
    totals: dict[Kept, int] = {}
    complete = True
    for feature in services.implementers(MemberData):
        try:
            for kept, count in (await ask(feature)).items():
                totals[kept] = totals.get(kept, 0) + count
        except Exception:
            log.exception("%s failed to %s in guild %s", type(feature).__name__, doing, guild_id)
            complete = False
    return totals, complete


def notes(services: Services) -> dict[Kept, str]:
    """What the features' Discord sides say about what their `MemberData` keep."""
    return {
        kept: note
        for part in services.implementers(MemberDataNotes)
        for kept, note in part.member_data_notes.items()
    }


async def forget(interaction: discord.Interaction, services: Services) -> None:
    """After the member confirmed: every feature undoes its part on Discord and forgets them,
    and the question becomes the report of what went."""
    guild, member = guild_member(interaction)
    report = await when_ready(interaction, _forget(services, guild.id, member), edit=True)
    await update(interaction, content=report, embed=None, view=None)


async def _forget(services: Services, guild_id: int, member: discord.Member) -> str:
    problems: list[str] = []
    # Discord first: what it undoes comes from data the features are about to forget.
    for part in services.implementers(MemberDataOnDiscord):
        problems += await part.forget_on_discord(member)
    forgotten, complete = await each_feature(
        services, "forget a member", guild_id, lambda f: f.forget_member(guild_id, member.id)
    )
    if not complete:
        problems.append(
            "Some of your data could not be deleted just now: run /forget-me again later."
        )
    return render.forget_report(forgotten, problems)
