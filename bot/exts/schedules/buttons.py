"""The persistent buttons under a section post. Their custom_id carries the section id, so
they keep working after a restart (registered in setup_hook through the cog)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.exts._answer import reply, when_ready
from bot.exts._common import guild_id_of
from bot.exts.errors.handler import reports_errors
from bot.services.posting import PostPlan

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


def _button(
    kind: str, section_id: int, label: str, emoji: str, style: discord.ButtonStyle
) -> discord.ui.Button[Any]:
    """A section post's button; `sc:<kind>:<section id>` matches its class's template."""
    return discord.ui.Button(
        label=label, emoji=emoji, style=style, custom_id=f"sc:{kind}:{section_id}"
    )


class DoneButton(discord.ui.DynamicItem[discord.ui.Button], template=r"sc:done:(?P<section>\d+)"):
    """Marks the section read for whoever presses it."""

    def __init__(self, section_id: int) -> None:
        super().__init__(_button("done", section_id, "Done", "✅", discord.ButtonStyle.success))
        self.section_id = section_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DoneButton:
        return cls(int(match["section"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction[StudyCircleBot]) -> None:
        from bot.exts.members.render import done_text

        section, new, report = await when_ready(
            interaction,
            interaction.client.services.members.click_done(
                guild_id_of(interaction), interaction.user.id, self.section_id
            ),
        )
        await reply(interaction, done_text(section, new, report))


class ReflectButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sc:reflect:(?P<section>\d+)"
):
    """Opens the reflection modal on the section (see `bot.exts.reflections`)."""

    def __init__(self, section_id: int) -> None:
        super().__init__(
            _button("reflect", section_id, "Reflect", "💭", discord.ButtonStyle.primary)
        )
        self.section_id = section_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReflectButton:
        return cls(int(match["section"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction[StudyCircleBot]) -> None:
        from bot.exts.reflections.cog import open_reflection

        await open_reflection(interaction, section_id=self.section_id)


def section_view(plan: PostPlan) -> discord.ui.View:
    """Reflect and Done for the post (Done marks every section of a post of several)."""
    section_id = plan.sections[0].section_id
    view = discord.ui.View(timeout=None)
    view.add_item(ReflectButton(section_id))
    view.add_item(DoneButton(section_id))
    return view
