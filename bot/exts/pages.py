"""A small pager for long ephemeral lists: Previous / Next buttons over prepared embeds."""

from __future__ import annotations

import discord

from bot.exts.interactions import reply, reports_errors, update

PAGE_TIMEOUT = 600


class Pager(discord.ui.View):
    """Flip through `pages`; only the member who asked can press the buttons."""

    def __init__(self, pages: list[discord.Embed], owner_id: int) -> None:
        super().__init__(timeout=PAGE_TIMEOUT)
        self.pages = pages
        self.owner_id = owner_id
        self.index = 0
        for number, page in enumerate(pages, 1):
            if len(pages) > 1:
                page.set_footer(text=f"Page {number} of {len(pages)}")
        self._update_buttons()

    # Not `_refresh`: discord.py's views have one, which it calls with the components of an
    # edited message to bring the view's items up to date.
    def _update_buttons(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def show(self, interaction: discord.Interaction, index: int) -> None:
        """Turn to page `index` (kept within the pages), in the same message."""
        self.index = max(0, min(index, len(self.pages) - 1))
        self._update_buttons()
        await update(interaction, embed=self.pages[self.index], view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    @reports_errors
    async def previous(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self.show(interaction, self.index - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    @reports_errors
    async def next(self, interaction: discord.Interaction, _button: discord.ui.Button) -> None:
        await self.show(interaction, self.index + 1)


async def send_pages(interaction: discord.Interaction, pages: list[discord.Embed]) -> None:
    """Answer with the first page, ephemerally, with buttons when there is more than one."""
    view = Pager(pages, interaction.user.id) if len(pages) > 1 else discord.utils.MISSING
    await reply(interaction, embed=pages[0], view=view)
