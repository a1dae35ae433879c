"""`/forget-me`'s work: ask every `MemberData` what it holds (the command's confirmation),
and, once the member confirmed (the button), have each forget it and take back the member's
circle roles."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING

import discord

from bot.exts.interactions import guild_member, update, when_ready
from bot.exts.privacy import render
from bot.services.features import MemberData

if TYPE_CHECKING:
    from bot.services.root import Services

log = logging.getLogger(__name__)


async def each_feature(
    services: Services,
    doing: str,
    guild_id: int,
    ask: Callable[[MemberData], Awaitable[Mapping[str, int]]],
) -> tuple[dict[str, int], bool]:
    """What every feature keeping member data answers, added up by label in the features'
    order; False when one of them failed (logged, the others still asked)."""
    totals: dict[str, int] = {}
    complete = True
    for feature in services.implementers(MemberData):
        try:
            for label, count in (await ask(feature)).items():
                totals[label] = totals.get(label, 0) + count
        except Exception:
            log.exception("%s failed to %s in guild %s", type(feature).__name__, doing, guild_id)
            complete = False
    return totals, complete


async def forget(interaction: discord.Interaction, services: Services) -> None:
    """After the member confirmed: every feature forgets them, their circle roles go, and the
    question becomes the report of what went."""
    guild, member = guild_member(interaction)
    report = await when_ready(interaction, _forget(services, guild, member), edit=True)
    await update(interaction, content=report, embed=None, view=None)


async def _forget(services: Services, guild: discord.Guild, member: discord.Member) -> str:
    # Read before the members feature forgets the memberships that gave these roles.
    role_ids = await services.members.circle_roles(guild.id, member.id)
    problems: list[str] = []
    roles = [guild.get_role(role_id) for role_id in role_ids]
    held = [role for role in roles if role is not None and role in member.roles]
    if held:
        try:
            await member.remove_roles(
                *held, reason="Study Circle: the member asked to be forgotten"
            )
        except discord.HTTPException:
            names = ", ".join(role.mention for role in held)
            problems.append(f"I couldn't remove {names} from you: my role must be above it.")
    forgotten, complete = await each_feature(
        services, "forget a member", guild.id, lambda f: f.forget_member(guild.id, member.id)
    )
    if not complete:
        problems.append(
            "Some of your data could not be deleted just now: run /forget-me again later."
        )
    return render.forget_report(forgotten, problems)
