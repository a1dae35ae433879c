"""`/reflect`, `/reflections mine|export|summary`, `/digest`."""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotFound, UserError
from bot.exts.interactions import (
    facilitator_only,
    guild_id_of,
    guild_member,
    reply,
    update,
    when_ready,
)
from bot.exts.options import PostedSectionRef, PromptPosition
from bot.exts.reflections import render
from bot.exts.reflections.modals import ModalTarget, ReflectionModal, Submitted
from bot.exts.reflections.poster import SharedReflections
from bot.exts.reflections.views import (
    DYNAMIC_ITEMS,
    REFLECTIONS_COG,
    delete_view,
    mine_view,
)
from bot.services.features import Kept
from bot.services.reflections import (
    Change,
    ReflectionInfo,
    Target,
)

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)


def _prompt_id(target: Target, position: int | None) -> int | None:
    """The id of the section's prompt at `position` (None: no prompt in particular)."""
    if position is None:
        return None
    chosen = next((p for p in target.prompts if p.position == position), None)
    if chosen is None:
        if not target.prompts:
            raise UserError(f"Section {target.position} has no prompts: leave `prompt` out.")
        raise UserError(
            f"Section {target.position} has prompts 1 to {len(target.prompts)}: "
            "pick one from the list."
        )
    return chosen.id


class ReflectionsCog(commands.Cog, name="Reflections"):
    """Writing reflections, reading one's own, and digests; in /forget-me's confirmation, a
    `MemberDataNotes` (`bot.exts.features`)."""

    dynamic_items = (*DYNAMIC_ITEMS, ReflectionModal)
    own = REFLECTIONS_COG  # how the buttons and the modal find this cog
    member_data_notes: Mapping[Kept, str] = render.FORGET_NOTES
    group = app_commands.Group(
        name="reflections",
        description="Your reflections, and counts for facilitators",
    )

    def __init__(self, bot: StudyCircleBot, shared: SharedReflections) -> None:
        self.bot = bot
        self.shared = shared

    # -- writing ----------------------------------------------------------------------------

    @app_commands.command(name="reflect", description="Write a reflection on a section")
    @app_commands.describe(
        section="The section (default: this thread's, or the latest one posted)",
        prompt="One of the section's prompts to answer (default: none in particular)",
    )
    async def reflect(
        self,
        interaction: discord.Interaction,
        section: PostedSectionRef | None = None,
        prompt: PromptPosition | None = None,
    ) -> None:
        schedule_id, position = section or (None, None)
        await self.open_new(interaction, schedule_id=schedule_id, position=position, prompt=prompt)

    async def open_new(
        self,
        interaction: discord.Interaction,
        *,
        section_id: int | None = None,
        schedule_id: int | None = None,
        position: int | None = None,
        prompt: int | None = None,
    ) -> None:
        """Open the modal for a new reflection. A modal must be the interaction's first
        answer, so nothing may be deferred before it: one quick read gives the section, its
        prompts and the member's default visibility, and refuses a member over the rate."""
        new = await self.bot.services.reflections.new_reflection(
            guild_id_of(interaction),
            interaction.user.id,
            section_id=section_id,
            schedule_id=schedule_id,
            position=position,
            channel_id=interaction.channel_id,
            message_id=interaction.message.id if interaction.message else None,
        )
        target = new.target
        modal = ReflectionModal.new(target).form(
            title=render.new_modal_title(target),
            section=render.section_name(target),
            prompts=target.prompts,
            visibility=new.visibility,
            prompt_id=_prompt_id(target, prompt),
        )
        await interaction.response.send_modal(modal)

    async def open_edit(
        self, interaction: discord.Interaction, reflection_id: int, page: int
    ) -> None:
        reflection, prompts = await self.bot.services.reflections.reading.for_edit(
            guild_id_of(interaction), interaction.user.id, reflection_id
        )
        modal = ReflectionModal.edit(reflection_id, page).form(
            title=render.edit_modal_title(reflection_id),
            section=render.section_name(reflection),
            prompts=prompts,
            visibility=reflection.visibility,
            prompt_id=reflection.prompt_id,
            text=reflection.text,
        )
        await interaction.response.send_modal(modal)

    async def submitted(
        self, interaction: discord.Interaction, target: ModalTarget, values: Submitted
    ) -> None:
        """Save what a member submitted in the reflection modal, and tell them."""
        if target.reflection_id is not None and interaction.message is not None:
            # Edited from the list: the answer updates the list, and a private note confirms.
            saved, page = await when_ready(
                interaction, self._save_and_page(interaction, target, values), edit=True
            )
            await update(interaction, **page)
        else:
            saved = await when_ready(interaction, self._save(interaction, target, values))
        if saved is None:  # deleted meanwhile: the error says so
            raise NotFound("That reflection is gone.")
        posted = saved.shared and saved.message_id is not None
        edited = target.is_edit
        await reply(
            interaction,
            render.saved_text(saved, edited=edited),
            embed=render.saved_embed(saved, posted=posted, edited=edited),
        )

    async def _save_and_page(
        self, interaction: discord.Interaction, target: ModalTarget, values: Submitted
    ) -> tuple[ReflectionInfo | None, dict[str, Any]]:
        saved = await self._save(interaction, target, values)
        return saved, await self._page(interaction, target.page)

    async def _save(
        self, interaction: discord.Interaction, target: ModalTarget, values: Submitted
    ) -> ReflectionInfo | None:
        """Write or edit the reflection, and post or refresh the messages that show it."""
        guild_id = guild_id_of(interaction)
        user = interaction.user
        if target.reflection_id is not None:
            reflection_id = target.reflection_id
            change = await self._settled(
                guild_id,
                user.id,
                reflection_id,
                lambda: self.bot.services.reflections.writing.edit(
                    guild_id,
                    user.id,
                    reflection_id,
                    text=values.text,
                    visibility=values.visibility or "",
                    prompt_id=values.prompt_id,
                    author_name=user.display_name,
                ),
            )
        else:
            visibility = (
                values.visibility
                or await self.bot.services.reflections.default_visibility(guild_id, user.id)
            )
            assert target.schedule_id is not None
            assert target.section_id is not None
            change = await self.bot.services.reflections.writing.write(
                guild_id,
                user.id,
                schedule_id=target.schedule_id,
                section_id=target.section_id,
                text=values.text,
                visibility=visibility,
                prompt_id=values.prompt_id,
                author_name=user.display_name,
            )
        return await self.shared.apply(guild_id, change)

    async def _settle(
        self, guild_id: int, user_id: int, reflection_ids: Sequence[int] | None = None
    ) -> None:
        """Before a member's reflections change or go: find their messages whose ids a crash
        kept from being recorded, so that those change or go too."""
        try:
            await self.shared.settle(guild_id, reflection_ids=reflection_ids, user_id=user_id)
        except discord.HTTPException as exc:
            log.warning("Could not look for unrecorded reflection messages: %s", exc)
            raise UserError(
                "I couldn't check the section's thread for a message showing your reflection "
                "just now, so I changed nothing. Please try again in a minute."
            ) from exc

    async def _settled(
        self,
        guild_id: int,
        user_id: int,
        reflection_id: int,
        change: Callable[[], Awaitable[Change]],
    ) -> Change:
        """`change()`, after settling the reflection's message if it asks for it."""
        done = await change()
        if done.unsettled:
            await self._settle(guild_id, user_id, [reflection_id])
            done = await change()
        if done.unsettled:
            raise UserError("Your reflection is being posted right now: try again in a minute.")
        return done

    # -- one's own reflections --------------------------------------------------------------

    @group.command(
        name="mine", description="Your reflections in this server, to read, edit or delete"
    )
    async def mine(self, interaction: discord.Interaction) -> None:
        guild_id = guild_id_of(interaction)
        reflections = await when_ready(
            interaction, self.bot.services.reflections.reading.mine(guild_id, interaction.user.id)
        )
        await reply(
            interaction,
            embed=render.mine_embed(reflections, 0),
            view=mine_view(reflections, 0) or discord.utils.MISSING,
        )

    async def _page(
        self, interaction: discord.Interaction, page: int, content: str | None = None
    ) -> dict[str, Any]:
        """The list of the member's reflections at `page`, as the edit of its message."""
        reflections = await self.bot.services.reflections.reading.mine(
            guild_id_of(interaction), interaction.user.id
        )
        index = max(0, min(page, len(reflections) - 1))
        return {
            "content": content,
            "embed": render.mine_embed(reflections, index),
            "view": mine_view(reflections, index),
        }

    async def show_page(self, interaction: discord.Interaction, page: int) -> None:
        await update(
            interaction, **await when_ready(interaction, self._page(interaction, page), edit=True)
        )

    async def ask_delete(
        self, interaction: discord.Interaction, reflection_id: int, page: int
    ) -> None:
        reflection = await when_ready(
            interaction,
            self.bot.services.reflections.reading.own(
                guild_id_of(interaction), interaction.user.id, reflection_id
            ),
            edit=True,
        )
        await update(
            interaction,
            embed=render.delete_prompt_embed(reflection),
            view=delete_view(reflection_id, page),
        )

    async def delete(self, interaction: discord.Interaction, reflection_id: int, page: int) -> None:
        guild_id = guild_id_of(interaction)
        user_id = interaction.user.id

        async def delete() -> dict[str, Any]:
            change = await self._settled(
                guild_id,
                user_id,
                reflection_id,
                lambda: self.bot.services.reflections.writing.delete(
                    guild_id, user_id, reflection_id
                ),
            )
            await self.shared.apply(guild_id, change)
            return await self._page(interaction, page, content=render.deleted_text(reflection_id))

        await update(interaction, **await when_ready(interaction, delete(), edit=True))

    @group.command(name="export", description="Your reflections in this server, as a Markdown file")
    async def export(self, interaction: discord.Interaction) -> None:
        guild, member = guild_member(interaction)
        reflections = await when_ready(
            interaction, self.bot.services.reflections.reading.export(guild.id, member.id)
        )
        if not reflections:
            raise UserError("You have no reflections in this server yet: nothing to export.")
        text = render.export_markdown(reflections, guild.name, self.bot.clock.now())
        file = discord.File(io.BytesIO(text.encode("utf-8")), render.export_filename(guild.name))
        await reply(interaction, render.export_text(len(reflections)), file=file)

    # -- facilitators -----------------------------------------------------------------------

    @group.command(name="summary", description="How many reflected, per section and per prompt")
    @app_commands.describe(section="One section (default: every section posted so far)")
    @facilitator_only
    async def summary(
        self, interaction: discord.Interaction, section: PostedSectionRef | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        schedule_id, position = section or (None, None)
        summary = await when_ready(
            interaction,
            self.bot.services.reflections.counts.summary(
                guild_id, user_id=interaction.user.id, schedule_id=schedule_id, position=position
            ),
        )
        await reply(interaction, embed=render.summary_embed(summary))

    @app_commands.command(name="digest", description="Close a section now: post its digest")
    @app_commands.describe(section="The section to close (default: the latest one posted)")
    @facilitator_only
    async def digest(
        self, interaction: discord.Interaction, section: PostedSectionRef | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        schedule_id, position = section or (None, None)
        status = await when_ready(
            interaction,
            self.bot.services.digests.request(
                guild_id,
                user_id=interaction.user.id,
                schedule_id=schedule_id,
                position=position,
                channel_id=interaction.channel_id,
            ),
        )
        await reply(interaction, render.digest_request_text(guild_id, status))
