"""The form a facilitator rewords a prompt in (`/prompts edit`), answered from its custom_id
after a restart as any modal of the bot is."""

from __future__ import annotations

import re

import discord

from bot.exts.interactions import (
    DynamicModal,
    ModalValues,
    guild_id_of,
    reply,
    require_facilitator,
    services_of,
    when_ready,
)
from bot.exts.readings import render
from bot.services.prompts import MAX_PROMPT_CHARS, MIN_PROMPT_CHARS, PromptInfo

PROMPT_TEXT_ID = "prompt:text"


class EditPromptModal(DynamicModal, template=r"sc:prompt:(?P<prompt>\d+):edit"):
    """A prompt reworded in a paragraph box that holds its current text."""

    def __init__(self, prompt_id: int) -> None:
        super().__init__(f"sc:prompt:{prompt_id}:edit")
        self.prompt_id = prompt_id

    @classmethod
    def from_custom_id(cls, match: re.Match[str]) -> EditPromptModal:
        return cls(int(match["prompt"]))

    def form(self, current: PromptInfo) -> discord.ui.Modal:
        return self.modal(
            "Edit prompt",
            discord.ui.TextInput(
                label="Question",
                custom_id=PROMPT_TEXT_ID,
                style=discord.TextStyle.paragraph,
                default=current.text,
                min_length=MIN_PROMPT_CHARS,
                max_length=MAX_PROMPT_CHARS,
            ),
        )

    async def on_submit(self, interaction: discord.Interaction, values: ModalValues) -> None:
        guild_id = guild_id_of(interaction)

        async def edit() -> PromptInfo:
            # Asked again: a modal can be submitted long after it was opened.
            await require_facilitator(interaction)
            text = values.text(PROMPT_TEXT_ID)
            return await services_of(interaction).prompts.edit(guild_id, self.prompt_id, text)

        edited = await when_ready(interaction, edit())
        await reply(interaction, render.prompt_edited_text(edited))
