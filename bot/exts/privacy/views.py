"""The buttons of /forget-me's question. A dynamic item: the custom_id names the member who
asked, so the answer works after a restart and only that member can give it."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.errors import UserError
from bot.exts.interactions import dynamic_view, reports_errors, services_of, update
from bot.exts.privacy import render
from bot.exts.privacy.forgetting import forget


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"sc:forget:(?P<answer>yes|no):(?P<user>\d+)",
):
    """The answer to /forget-me's question; only the member who asked can give it."""

    def __init__(self, user_id: int, *, confirmed: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Forget me" if confirmed else "Cancel",
                style=discord.ButtonStyle.danger if confirmed else discord.ButtonStyle.secondary,
                custom_id=f"sc:forget:{'yes' if confirmed else 'no'}:{user_id}",
            )
        )
        self.confirmed, self.user_id = confirmed, user_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ForgetButton:
        return cls(int(match["user"]), confirmed=match["answer"] == "yes")

    @reports_errors
    async def callback(self, interaction: discord.Interaction) -> None:
        if interaction.user.id != self.user_id:
            raise UserError("This question was for someone else: use /forget-me yourself.")
        if self.confirmed:
            await forget(interaction, services_of(interaction))
        else:
            await update(interaction, content=render.KEPT, embed=None, view=None)


def forget_view(user_id: int) -> discord.ui.View:
    return dynamic_view(
        ForgetButton(user_id, confirmed=True), ForgetButton(user_id, confirmed=False)
    )


DYNAMIC_ITEMS = (ForgetButton,)
