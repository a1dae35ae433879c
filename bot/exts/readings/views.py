"""The buttons of `/reading show`: a reading's sections, a page at a time."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.exts.interactions import (
    dynamic_view,
    guild_id_of,
    reports_errors,
    services_of,
    update,
    when_ready,
)
from bot.exts.pages import numbered, turns
from bot.exts.readings import render
from bot.services.readings import ReadingSummary, SectionSummary


class SectionsPage(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sc:rd:(?P<reading>\d+):page:(?P<page>\d+):(?P<tag>[a-z]+)",
):
    """Turns `/reading show`'s answer to page `page` of the reading's sections."""

    def __init__(
        self, reading_id: int, page: int, tag: str, *, label: str = "", disabled: bool = False
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"sc:rd:{reading_id}:page:{page}:{tag}",
            )
        )
        self.reading_id, self.page = reading_id, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SectionsPage:
        return cls(int(match["reading"]), int(match["page"]), match["tag"])

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        readings = services_of(interaction).readings
        summary, sections = await when_ready(
            interaction, readings.sections(guild_id_of(interaction), self.reading_id), edit=True
        )
        embed, view = sections_page(summary, sections, self.page)
        await update(interaction, embed=embed, view=view)


def sections_page(
    reading: ReadingSummary, sections: list[SectionSummary], page: int
) -> tuple[discord.Embed, discord.ui.View]:
    """Page `page` of the reading's sections (the last, if the reading has fewer now), with
    the buttons to turn it."""
    pages = numbered(render.sections_pages(reading, sections))
    page = min(page, len(pages) - 1)
    buttons = turns(
        lambda to, tag, **look: SectionsPage(reading.id, to, tag, **look), page, len(pages)
    )
    return pages[page], dynamic_view(*buttons)


DYNAMIC_ITEMS = (SectionsPage,)
