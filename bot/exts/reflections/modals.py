"""The reflection modal: a prompt to answer, the text, and who may read it.

The modal is stateless: its custom_id says what it writes ("sc:rfm:new:{schedule}:{section}"
or "sc:rfm:edit:{reflection}:{page}"), and its submission is handled from the interaction's
own data (`submitted_values`), not by a modal object kept in memory. So a member who writes
for an hour, or across a restart of the bot, still has their reflection saved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.exts.reflections import render
from bot.exts.text import inline, label
from bot.services.reflections import MAX_TEXT_CHARS, VISIBILITIES, PromptChoice, Target

PREFIX = "sc:rfm:"
TEXT_ID = "sc:rf:text"
VISIBILITY_ID = "sc:rf:visibility"
PROMPT_ID = "sc:rf:prompt"
DESCRIPTION_LIMIT = 100
PLACEHOLDER_LIMIT = 100
OPTION_LIMIT = 100
TEXT_DISPLAY_LIMIT = 4000
NO_PROMPT_PLACEHOLDER = "What did this section make you think?"
_STAGE = {"factual": "Opening question", "interpretive": "Core question", "evaluative": "Closing"}
_NEW = re.compile(r"^sc:rfm:new:(?P<schedule>\d+):(?P<section>\d+)$")
_EDIT = re.compile(r"^sc:rfm:edit:(?P<reflection>\d+):(?P<page>\d+)$")


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


@dataclass(frozen=True)
class Submitted:
    text: str
    visibility: str | None
    prompt_id: int | None


def new_custom_id(target: Target) -> str:
    return f"{PREFIX}new:{target.schedule_id}:{target.section_id}"


def edit_custom_id(reflection_id: int, page: int) -> str:
    return f"{PREFIX}edit:{reflection_id}:{page}"


def parse_custom_id(custom_id: str) -> ModalTarget | None:
    if found := _NEW.match(custom_id):
        return ModalTarget(schedule_id=int(found["schedule"]), section_id=int(found["section"]))
    if found := _EDIT.match(custom_id):
        return ModalTarget(reflection_id=int(found["reflection"]), page=int(found["page"]))
    return None


def _prompt_option(prompt: PromptChoice, chosen: int | None) -> discord.SelectOption:
    return discord.SelectOption(
        label=label(f"{prompt.position}. {prompt.text}", OPTION_LIMIT),
        value=str(prompt.id),
        description=_STAGE.get(prompt.kind, prompt.kind.title()),
        default=prompt.id == chosen,
    )


def reflection_modal(
    *,
    custom_id: str,
    title: str,
    section: str,
    prompts: Sequence[PromptChoice],
    visibility: str,
    prompt_id: int | None = None,
    text: str | None = None,
) -> discord.ui.Modal:
    """The modal to write (or edit) a reflection on `section`, `visibility` preselected.

    The text box is headed by the chosen prompt (or the section); a prompt longer than its
    description can hold is shown in full above it.
    """
    modal = discord.ui.Modal(title=label(title, render.MODAL_TITLE_LIMIT), custom_id=custom_id)
    chosen = next((p for p in prompts if p.id == prompt_id), None)
    if chosen is not None and len(chosen.text) > DESCRIPTION_LIMIT:
        modal.add_item(
            discord.ui.TextDisplay(f"**Prompt:** {inline(chosen.text, TEXT_DISPLAY_LIMIT - 20)}")
        )
    if prompts:
        modal.add_item(
            discord.ui.Label(
                text="Prompt (optional)",
                description="Answer one of the section's prompts, or none in particular",
                component=discord.ui.Select(
                    custom_id=PROMPT_ID,
                    placeholder="No particular prompt",
                    options=[_prompt_option(p, prompt_id) for p in prompts[:25]],
                    min_values=0,
                    max_values=1,
                    required=False,
                ),
            )
        )
    heading = chosen.text if chosen else f"On {section}"
    modal.add_item(
        discord.ui.Label(
            text="Your reflection",
            description=label(heading, DESCRIPTION_LIMIT),
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
    modal.add_item(
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
                    for v in VISIBILITIES
                ],
                min_values=1,
                max_values=1,
                required=True,
            ),
        )
    )
    # Handled from the submission's data (see the cog), never from this object: a stopped
    # modal is not kept in discord.py's store, so none pile up in memory.
    modal.stop()
    return modal


def _walk(components: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for component in components:
        if "custom_id" in component:
            found.append(component)
        found.extend(_walk(component.get("components") or []))
        if isinstance(component.get("component"), dict):
            found.extend(_walk([component["component"]]))
    return found


def submitted_values(data: dict[str, Any]) -> Submitted:
    """The text, visibility and prompt a member submitted (rows and labels alike)."""
    values: dict[str, Any] = {}
    for component in _walk(data.get("components") or []):
        values[component["custom_id"]] = component.get("values", component.get("value"))
    text = values.get(TEXT_ID)
    visibility = values.get(VISIBILITY_ID) or []
    prompt = values.get(PROMPT_ID) or []
    prompt_id = int(prompt[0]) if prompt and str(prompt[0]).isdigit() else None
    return Submitted(
        text=text if isinstance(text, str) else "",
        visibility=str(visibility[0]) if visibility else None,
        prompt_id=prompt_id,
    )
