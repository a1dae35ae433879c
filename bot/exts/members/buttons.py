"""The Done button under a section post: marks the section read for whoever presses it. Its
custom_id carries the section id, so it keeps working after a restart."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.exts.interactions import guild_id_of, reply, reports_errors, services_of, when_ready
from bot.exts.members.render import done_text


class DoneButton(discord.ui.DynamicItem[discord.ui.Button], template=r"sc:done:(?P<section>\d+)"):
    """Marks the section read (every section of a post of several) for whoever presses it."""

    def __init__(self, section_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Done",
                emoji="✅",
                style=discord.ButtonStyle.success,
                custom_id=f"sc:done:{section_id}",
            )
        )
        self.section_id = section_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DoneButton:
        return cls(int(match["section"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        marked = await when_ready(
            interaction,
            services_of(interaction).members.mark_read(
                guild_id_of(interaction), interaction.user.id, section_id=self.section_id
            ),
        )
        await reply(interaction, done_text(marked))
