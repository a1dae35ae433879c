"""Glue shared by the feature cogs: who may facilitate, and where an interaction runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import UserError

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


class NotFacilitator(UserError, app_commands.CheckFailure):
    """The member lacks the facilitator role and Manage Server; the message says so."""


async def is_facilitator(interaction: discord.Interaction[StudyCircleBot]) -> bool:
    """Manage Server, or the guild's facilitator role (set with /circle facilitator-role)."""
    member = interaction.user
    if interaction.guild is None or not isinstance(member, discord.Member):
        raise app_commands.NoPrivateMessage()
    if member.guild_permissions.manage_guild:
        return True
    role_id = await interaction.client.services.guilds.facilitator_role(interaction.guild.id)
    if role_id is not None and any(role.id == role_id for role in member.roles):
        return True
    raise NotFacilitator(
        "Only facilitators can do this: members with Manage Server"
        + (f" or the <@&{role_id}> role." if role_id else ".")
    )


facilitator_only = app_commands.check(is_facilitator)


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


def guild_member(interaction: discord.Interaction) -> tuple[discord.Guild, discord.Member]:
    """The guild and the member behind a guild interaction."""
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        raise app_commands.NoPrivateMessage()
    return interaction.guild, interaction.user


def jump_url(guild_id: int, channel_id: int | None, message_id: int | None = None) -> str | None:
    if channel_id is None:
        return None
    base = f"https://discord.com/channels/{guild_id}/{channel_id}"
    return f"{base}/{message_id}" if message_id else base
