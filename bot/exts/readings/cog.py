"""`/reading` and `/prompts`: readings in a server and the prompts of their sections."""

from __future__ import annotations

import asyncio
import logging
from enum import StrEnum
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.drafting import parse_on_every_core
from bot.errors import UserError
from bot.exts.interactions import (
    facilitator_only,
    guild_id_of,
    reply,
    when_ready,
)
from bot.exts.options import (
    WHICH_PROMPT,
    WHICH_SECTION,
    EnumOption,
    PromptId,
    ReadingId,
    ReadingSectionId,
)
from bot.exts.readings import render
from bot.exts.readings.modals import EditPromptModal
from bot.exts.readings.views import DYNAMIC_ITEMS, sections_page
from bot.exts.text import inline
from bot.reading.importer import FORMATS_HELP, MAX_TITLE_CHARS, readable, unreadable
from bot.reading.prompts import PromptKind, TextKind
from bot.reading.text import TextFormatError
from bot.services.prompts import MAX_PROMPT_CHARS

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class PromptEngine(StrEnum):
    """What writes a server's prompts: the configured language model, or the rules engine;
    the command's own choice, stored as whether the model is enabled."""

    MODEL = "model"
    RULES = "rules"


EngineChoice = app_commands.Transform[PromptEngine, EnumOption(list(PromptEngine))]
PromptKindChoice = app_commands.Transform[PromptKind, EnumOption(list(PromptKind))]
TextKindChoice = app_commands.Transform[TextKind, EnumOption(list(TextKind))]


class ReadingsCog(commands.Cog, name="Readings"):
    """Add, list, show and remove readings; view and edit their prompts."""

    reading = app_commands.Group(name="reading", description="The texts this server reads")
    prompt = app_commands.Group(name="prompts", description="Discussion prompts of a section")
    dynamic_items = (*DYNAMIC_ITEMS, EditPromptModal)

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot

    async def cog_unload(self) -> None:
        await self.bot.services.model_prompts.close()

    @reading.command(name="add", description=f"Add a reading: {FORMATS_HELP}")
    @app_commands.describe(
        file=f"A book or text: {FORMATS_HELP} (a PDF with its text, not scans)",
        title="The title members will see (default: the book's own, else the file name)",
        language="The text's language code, e.g. en or it (default: detected from the text)",
        kind="The kind of text, which sets how prompts ask (default: detected from the text)",
    )
    @facilitator_only
    async def reading_add(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        title: app_commands.Range[str, 1, MAX_TITLE_CHARS] | None = None,
        language: app_commands.Range[str, 2, 16] | None = None,
        kind: TextKindChoice | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        name = file.filename
        if not readable(name):
            raise _refused(unreadable(name))
        if file.size > MAX_UPLOAD_BYTES:
            raise UserError(
                f"{inline(name, 100)} is {file.size / 1_048_576:.1f} MB; readings can be up to "
                f"{MAX_UPLOAD_BYTES // 1_048_576} MB. Split it into parts and add each one."
            )
        embed = await when_ready(
            interaction, self._add(guild_id, file, title=title, language=language, kind=kind)
        )
        await reply(interaction, embed=embed)

    async def _add(
        self,
        guild_id: int,
        file: discord.Attachment,
        *,
        title: str | None,
        language: str | None,
        kind: TextKind | None,
    ) -> discord.Embed:
        """Download, split and store the reading; queue its prompts; the answer's embed."""
        name = file.filename
        try:
            data = await file.read()
        except (discord.HTTPException, aiohttp.ClientError, TimeoutError) as exc:
            log.info("Could not download the upload %s: %r", file.id, exc)
            raise UserError(
                f"I couldn't download {inline(name, 100)} from Discord just now, so nothing "
                "was added. Please upload it again."
            ) from None
        try:
            # Splitting and drafting prompts is CPU work: keep the event loop free meanwhile.
            parsed = await asyncio.to_thread(
                parse_on_every_core, data, name, title=title, language=language, kind=kind
            )
        except TextFormatError as exc:
            raise _refused(exc) from None
        summary = await self.bot.services.readings.add(guild_id, parsed)
        queued = await self.bot.services.model_prompts.queue_reading(guild_id, summary.id)
        return render.added_embed(summary, parsed, model_writing=queued > 0)

    @reading.command(name="list", description="The readings this server can schedule")
    async def reading_list(self, interaction: discord.Interaction) -> None:
        found = await when_ready(
            interaction, self.bot.services.readings.available(guild_id_of(interaction))
        )
        await reply(interaction, embed=render.list_embed(found))

    @reading.command(name="show", description="A reading's sections, with words and minutes")
    @app_commands.describe(reading="The reading to show")
    async def reading_show(self, interaction: discord.Interaction, reading: ReadingId) -> None:
        summary, sections = await when_ready(
            interaction, self.bot.services.readings.sections(guild_id_of(interaction), reading)
        )
        embed, view = sections_page(summary, sections, 0)
        await reply(interaction, embed=embed, view=view)

    @reading.command(name="remove", description="Remove a reading this server added")
    @app_commands.describe(reading="The reading to remove")
    @facilitator_only
    async def reading_remove(self, interaction: discord.Interaction, reading: ReadingId) -> None:
        removed = await when_ready(
            interaction, self.bot.services.readings.remove(guild_id_of(interaction), reading)
        )
        await reply(interaction, render.removed_text(removed))

    @prompt.command(name="show", description="A section's discussion prompts")
    @app_commands.describe(section=WHICH_SECTION)
    async def prompts_show(
        self, interaction: discord.Interaction, section: ReadingSectionId
    ) -> None:
        guild_id = guild_id_of(interaction)
        await reply(
            interaction, embed=await when_ready(interaction, self._shown(guild_id, section))
        )

    async def _shown(self, guild_id: int, section_id: int) -> discord.Embed:
        """The section's prompts, as `/prompts show` shows them."""
        shown = await self.bot.services.prompts.of_section(guild_id, section_id)
        title = await self.bot.services.prompts.section_title(guild_id, section_id)
        note = await self.bot.services.model_prompts.note(section_id)
        return render.prompts_embed(title, shown, note)

    @prompt.command(name="add", description="Add a prompt of your own to a section")
    @app_commands.describe(text="The question", kind="Where it goes in the discussion")
    @app_commands.describe(section=WHICH_SECTION)
    @facilitator_only
    async def prompts_add(
        self,
        interaction: discord.Interaction,
        section: ReadingSectionId,
        text: app_commands.Range[str, 1, MAX_PROMPT_CHARS],
        kind: PromptKindChoice = PromptKind.INTERPRETIVE,
    ) -> None:
        guild_id = guild_id_of(interaction)

        async def add() -> discord.Embed:
            await self.bot.services.prompts.add(guild_id, section, text, kind)
            return await self._shown(guild_id, section)

        await reply(interaction, embed=await when_ready(interaction, add()))

    @prompt.command(name="edit", description="Reword one prompt (its id is in /prompts show)")
    @app_commands.describe(prompt=WHICH_PROMPT)
    @facilitator_only
    async def prompts_edit(self, interaction: discord.Interaction, prompt: PromptId) -> None:
        current = await self.bot.services.prompts.get(guild_id_of(interaction), prompt)
        await interaction.response.send_modal(EditPromptModal(current.id).form(current))

    @prompt.command(name="remove", description="Remove one prompt (its id is in /prompts show)")
    @app_commands.describe(prompt=WHICH_PROMPT)
    @facilitator_only
    async def prompts_remove(self, interaction: discord.Interaction, prompt: PromptId) -> None:
        removed = await when_ready(
            interaction, self.bot.services.prompts.remove(guild_id_of(interaction), prompt)
        )
        await reply(interaction, render.prompt_removed_text(removed))

    @prompt.command(
        name="regenerate", description="Draft a section's prompts again; your own are kept"
    )
    @app_commands.describe(section=WHICH_SECTION)
    @facilitator_only
    async def prompts_regenerate(
        self, interaction: discord.Interaction, section: ReadingSectionId
    ) -> None:
        guild_id = guild_id_of(interaction)

        async def regenerate() -> discord.Embed:
            # Another guild's section is "not found" before anything is queued.
            await self.bot.services.prompts.section_title(guild_id, section)
            if not await self.bot.services.model_prompts.queue_section(guild_id, section):
                await self.bot.services.prompts.regenerate(guild_id, section)
            return await self._shown(guild_id, section)

        await reply(interaction, embed=await when_ready(interaction, regenerate()))

    @prompt.command(
        name="engine", description="Whether a language model writes this server's prompts"
    )
    @app_commands.describe(
        use="model: the configured model writes them, checked; rules: the engine"
    )
    @facilitator_only
    async def prompts_engine(
        self, interaction: discord.Interaction, use: EngineChoice | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        if not self.bot.services.model_prompts.configured:
            raise UserError(render.NO_MODEL)

        async def engine() -> bool:
            if use is not None:
                model = use == PromptEngine.MODEL
                await self.bot.services.model_prompts.set_enabled(guild_id, model)
            return await self.bot.services.model_prompts.enabled(guild_id)

        enabled = await when_ready(interaction, engine())
        await reply(interaction, render.engine_status(enabled, changed=use is not None))


def _refused(error: TextFormatError) -> UserError:
    """A file the reading cannot use, told to the member: its message names their file, whose
    name is shown as text, never as markdown."""
    return UserError(inline(str(error), 1000))
