"""The reflection modal: a prompt to answer, the text, and who may read it.

A `DynamicModal` (`bot.exts.interactions`): its custom_id says what it writes
("sc:rfm:new:{schedule}:{section}" or "sc:rfm:edit:{reflection}:{page}"), and its submission
is answered from the interaction's own data, not by a modal object kept in memory. So a
member who writes for an hour, or across a restart of the bot, still has their reflection
saved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.exts.discord_limits import (
    MODAL_TITLE_LIMIT,
    PLACEHOLDER_LIMIT,
    SELECT_DESCRIPTION_LIMIT,
    SELECT_LABEL_LIMIT,
    SELECT_OPTIONS_MAX,
    TEXT_DISPLAY_LIMIT,
)
from bot.exts.interactions import DynamicModal, ModalValues
from bot.exts.options import chosen_ids
from bot.exts.reflections import render
from bot.exts.reflections.views import REFLECTIONS_COG
from bot.exts.text import inline, label
from bot.reading.prompts import STAGE_LABELS
from bot.services.reflections import MAX_TEXT_CHARS, PromptChoice, Target, Visibility

TEXT_ID = "sc:rf:text"
VISIBILITY_ID = "sc:rf:visibility"
PROMPT_ID = "sc:rf:prompt"
NO_PROMPT_PLACEHOLDER = "What did this section make you think?"


@dataclass(frozen=True)
class ModalTarget:
    """What a submitted modal writes: a new reflection, or an edit of one."""

    schedule_id: int | None = None
    section_id: int | None = None
    reflection_id: int | None = None
    page: int = 0

    @property
    def is_edit(self) -> bool:
        return self.reflection_id is not None

    @property
    def custom_id(self) -> str:
        if self.reflection_id is not None:
            return f"sc:rfm:edit:{self.reflection_id}:{self.page}"
        return f"sc:rfm:new:{self.schedule_id}:{self.section_id}"


@dataclass(frozen=True)
class Submitted:
    text: str
    visibility: str | None
    prompt_id: int | None

    @classmethod
    def of(cls, values: ModalValues) -> Submitted:
        """The text, visibility and prompt a member submitted."""
        visibility = values.choices(VISIBILITY_ID)
        prompt = chosen_ids(values.choices(PROMPT_ID), "prompt")
        return cls(
            text=values.text(TEXT_ID),
            visibility=visibility[0] if visibility else None,
            prompt_id=prompt[0] if prompt else None,
        )


def _prompt_option(prompt: PromptChoice, chosen: int | None) -> discord.SelectOption:
    return discord.SelectOption(
        label=label(f"{prompt.position}. {prompt.text}", SELECT_LABEL_LIMIT),
        value=str(prompt.id),
        description=f"{STAGE_LABELS[prompt.kind]} question",
        default=prompt.id == chosen,
    )


class ReflectionModal(
    DynamicModal,
    template=(
        r"sc:rfm:(?:new:(?P<schedule>\d+):(?P<section>\d+)"
        r"|edit:(?P<reflection>\d+):(?P<page>\d+))"
    ),
):
    """Writing a new reflection on a section, or editing one's own."""

    def __init__(self, target: ModalTarget) -> None:
        super().__init__(target.custom_id)
        self.target = target

    @classmethod
    def new(cls, target: Target) -> ReflectionModal:
        return cls(ModalTarget(schedule_id=target.schedule_id, section_id=target.section_id))

    @classmethod
    def edit(cls, reflection_id: int, page: int) -> ReflectionModal:
        return cls(ModalTarget(reflection_id=reflection_id, page=page))

    @classmethod
    def from_custom_id(cls, match: re.Match[str]) -> ReflectionModal:
        if match["reflection"] is not None:
            return cls.edit(int(match["reflection"]), int(match["page"]))
        return cls(
            ModalTarget(schedule_id=int(match["schedule"]), section_id=int(match["section"]))
        )

    def form(
        self,
        *,
        title: str,
        section: str,
        prompts: Sequence[PromptChoice],
        visibility: str,
        prompt_id: int | None = None,
        text: str | None = None,
    ) -> discord.ui.Modal:
        """The modal to write (or edit) a reflection on `section`, `visibility` preselected.

        The text box is headed by the chosen prompt (or the section); a prompt longer than
        its description can hold is shown in full above it.
        """
        items: list[discord.ui.Item[discord.ui.Modal]] = []
        chosen = next((p for p in prompts if p.id == prompt_id), None)
        if chosen is not None and len(chosen.text) > SELECT_DESCRIPTION_LIMIT:
            shown = inline(chosen.text, TEXT_DISPLAY_LIMIT - 20)
            items.append(discord.ui.TextDisplay(f"**Prompt:** {shown}"))
        if prompts:
            items.append(
                discord.ui.Label(
                    text="Prompt (optional)",
                    description="Answer one of the section's prompts, or none in particular",
                    component=discord.ui.Select(
                        custom_id=PROMPT_ID,
                        placeholder="No particular prompt",
                        options=[
                            _prompt_option(p, prompt_id) for p in prompts[:SELECT_OPTIONS_MAX]
                        ],
                        min_values=0,
                        max_values=1,
                        required=False,
                    ),
                )
            )
        heading = chosen.text if chosen else f"On {section}"
        items.append(
            discord.ui.Label(
                text="Your reflection",
                description=label(heading, SELECT_DESCRIPTION_LIMIT),
                component=discord.ui.TextInput(
                    custom_id=TEXT_ID,
                    style=discord.TextStyle.paragraph,
                    placeholder=label(
                        chosen.text if chosen else NO_PROMPT_PLACEHOLDER, PLACEHOLDER_LIMIT
                    ),
                    default=text,
                    min_length=1,
                    max_length=MAX_TEXT_CHARS,
                    required=True,
                ),
            )
        )
        items.append(
            discord.ui.Label(
                text="Who may read it",
                component=discord.ui.Select(
                    custom_id=VISIBILITY_ID,
                    options=[
                        discord.SelectOption(
                            label=render.VISIBILITY_LABELS[v],
                            value=v,
                            description=render.VISIBILITY_HINTS[v],
                            default=v == visibility,
                        )
                        for v in Visibility
                    ],
                    min_values=1,
                    max_values=1,
                    required=True,
                ),
            )
        )
        return self.modal(label(title, MODAL_TITLE_LIMIT), *items)

    async def on_submit(self, interaction: discord.Interaction, values: ModalValues) -> None:
        await REFLECTIONS_COG.of(interaction).submitted(
            interaction, self.target, Submitted.of(values)
        )
