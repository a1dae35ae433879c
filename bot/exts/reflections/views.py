"""Buttons on the private lists and questions of reflections: pages, edit, delete.

They are dynamic items: the custom_id carries what they act on, so they keep working after a
restart. Each asks the cog to do the work; the services check that the member acts on their
own reflections only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.exts.interactions import OwnCog, dynamic_view, reports_errors
from bot.exts.pages import turns
from bot.services.reflections import ReflectionInfo

if TYPE_CHECKING:
    from bot.exts.reflections.cog import ReflectionsCog

# The reflections cog, which does the work of these buttons and of the modal;
# `ReflectionsCog.own` binds it.
REFLECTIONS_COG: OwnCog[ReflectionsCog] = OwnCog()


class ReflectButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sc:reflect:(?P<section>\d+)"
):
    """Under a section post: opens the reflection modal on the section."""

    def __init__(self, section_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Reflect",
                emoji="💭",
                style=discord.ButtonStyle.primary,
                custom_id=f"sc:reflect:{section_id}",
            )
        )
        self.section_id = section_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReflectButton:
        return cls(int(match["section"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await REFLECTIONS_COG.of(interaction).open_new(interaction, section_id=self.section_id)


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sc:rf:page:(?P<page>\d+):(?P<tag>[a-z]+)"
):
    """Shows page `page` of the member's reflections."""

    def __init__(self, page: int, tag: str, *, label: str = "Back", disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"sc:rf:page:{page}:{tag}",
            )
        )
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        return cls(int(match["page"]), match["tag"])

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await REFLECTIONS_COG.of(interaction).show_page(interaction, self.page)


class EditButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sc:rf:edit:(?P<id>\d+):(?P<page>\d+)"
):
    """Opens the modal to edit one's reflection."""

    def __init__(self, reflection_id: int, page: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Edit",
                style=discord.ButtonStyle.primary,
                custom_id=f"sc:rf:edit:{reflection_id}:{page}",
            )
        )
        self.reflection_id, self.page = reflection_id, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> EditButton:
        return cls(int(match["id"]), int(match["page"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await REFLECTIONS_COG.of(interaction).open_edit(interaction, self.reflection_id, self.page)


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"sc:rf:delete:(?P<id>\d+):(?P<page>\d+)"
):
    """Asks whether to delete one's reflection."""

    def __init__(self, reflection_id: int, page: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete",
                style=discord.ButtonStyle.danger,
                custom_id=f"sc:rf:delete:{reflection_id}:{page}",
            )
        )
        self.reflection_id, self.page = reflection_id, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DeleteButton:
        return cls(int(match["id"]), int(match["page"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await REFLECTIONS_COG.of(interaction).ask_delete(interaction, self.reflection_id, self.page)


class ConfirmDeleteButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sc:rf:delete-yes:(?P<id>\d+):(?P<page>\d+)",
):
    """Deletes one's reflection, after the question."""

    def __init__(self, reflection_id: int, page: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Delete it",
                style=discord.ButtonStyle.danger,
                custom_id=f"sc:rf:delete-yes:{reflection_id}:{page}",
            )
        )
        self.reflection_id, self.page = reflection_id, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmDeleteButton:
        return cls(int(match["id"]), int(match["page"]))

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        await REFLECTIONS_COG.of(interaction).delete(interaction, self.reflection_id, self.page)


def mine_view(reflections: list[ReflectionInfo], index: int) -> discord.ui.View | None:
    """Previous / Next through the member's reflections, and Edit / Delete for the shown one."""
    if not reflections:
        return None
    shown = reflections[index].id
    return dynamic_view(
        *turns(PageButton, index, len(reflections)),
        EditButton(shown, index),
        DeleteButton(shown, index),
    )


def delete_view(reflection_id: int, page: int) -> discord.ui.View:
    return dynamic_view(
        ConfirmDeleteButton(reflection_id, page), PageButton(page, "keep", label="Keep it")
    )


DYNAMIC_ITEMS = (
    ReflectButton,
    PageButton,
    EditButton,
    DeleteButton,
    ConfirmDeleteButton,
)
