"""`/reflect`, `/reflections mine|export|summary`, `/digest`, `/forget-me`, `/settings`."""

from __future__ import annotations

import io
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import NotFound, UserError
from bot.exts._answer import (
    facilitator_only,
    guild_id_of,
    guild_member,
    reply,
    update,
    when_ready,
)
from bot.exts.options import PostedSection, PromptPosition, TimeZone
from bot.exts.reflections import render
from bot.exts.reflections.modals import ModalTarget, ReflectionModal, Submitted
from bot.exts.reflections.poster import SharedReflections
from bot.exts.reflections.views import (
    DYNAMIC_ITEMS,
    delete_view,
    forget_view,
    mine_view,
)
from bot.exts.text import inline, jump_url, plural
from bot.services.digests import Digests, DigestState
from bot.services.features import MemberData
from bot.services.reflections import (
    VISIBILITIES,
    Change,
    Held,
    ReflectionInfo,
    Reflections,
    Target,
)

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)
VISIBILITY_CHOICES = [
    app_commands.Choice(name=render.VISIBILITY_LABELS[v], value=v) for v in VISIBILITIES
]


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
    """Writing reflections, reading one's own, digests, and forgetting a member."""

    dynamic_items = DYNAMIC_ITEMS
    group = app_commands.Group(
        name="reflections",
        description="Your reflections, and counts for facilitators",
        guild_only=True,
    )

    def __init__(
        self,
        bot: StudyCircleBot,
        service: Reflections,
        digests: Digests,
        shared: SharedReflections,
    ) -> None:
        self.bot = bot
        self.service = service
        self.digests = digests
        self.shared = shared

    # -- writing ----------------------------------------------------------------------------

    @app_commands.command(name="reflect", description="Write a reflection on a section")
    @app_commands.describe(
        section="The section (default: this thread's, or the latest one posted)",
        prompt="One of the section's prompts to answer (default: none in particular)",
    )
    @app_commands.guild_only()
    async def reflect(
        self,
        interaction: discord.Interaction,
        section: PostedSection | None = None,
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
        """Open the modal for a new reflection (a modal cannot follow a defer: no db waits)."""
        guild_id = guild_id_of(interaction)
        user_id = interaction.user.id
        target = await self.service.targets.target(
            guild_id,
            user_id=user_id,
            section_id=section_id,
            schedule_id=schedule_id,
            position=position,
            channel_id=interaction.channel_id,
            message_id=interaction.message.id if interaction.message else None,
        )
        prompt_id = _prompt_id(target, prompt)
        await self.service.writing.check_rate(guild_id, user_id)
        visibility = await self.service.default_visibility(guild_id, user_id)
        modal = ReflectionModal.new(target).form(
            title=f"Reflect on {target.position}. {target.section_title}",
            section=f"{target.position}. {target.section_title}",
            prompts=target.prompts,
            visibility=visibility,
            prompt_id=prompt_id,
        )
        await interaction.response.send_modal(modal)

    async def open_edit(
        self, interaction: discord.Interaction, reflection_id: int, page: int
    ) -> None:
        reflection, prompts = await self.service.reading.for_edit(
            guild_id_of(interaction), interaction.user.id, reflection_id
        )
        modal = ReflectionModal.edit(reflection_id, page).form(
            title=f"Edit your reflection #{reflection_id}",
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
                lambda: self.service.writing.edit(
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
            visibility = values.visibility or await self.service.default_visibility(
                guild_id, user.id
            )
            assert target.schedule_id is not None
            assert target.section_id is not None
            change = await self.service.writing.write(
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
            interaction, self.service.reading.mine(guild_id, interaction.user.id)
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
        reflections = await self.service.reading.mine(guild_id_of(interaction), interaction.user.id)
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
            self.service.reading.own(guild_id_of(interaction), interaction.user.id, reflection_id),
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
                lambda: self.service.writing.delete(guild_id, user_id, reflection_id),
            )
            await self.shared.apply(guild_id, change)
            done = f"Deleted your reflection #{reflection_id}."
            return await self._page(interaction, page, content=done)

        await update(interaction, **await when_ready(interaction, delete(), edit=True))

    @group.command(name="export", description="Your reflections in this server, as a Markdown file")
    async def export(self, interaction: discord.Interaction) -> None:
        guild, member = guild_member(interaction)
        reflections = await when_ready(
            interaction, self.service.reading.export(guild.id, member.id)
        )
        if not reflections:
            raise UserError("You have no reflections in this server yet: nothing to export.")
        text = render.export_markdown(reflections, guild.name, self.bot.clock.now())
        file = discord.File(io.BytesIO(text.encode("utf-8")), render.export_filename(guild.name))
        await reply(
            interaction,
            f"Your {plural(len(reflections), 'reflection')}, for your own keeping.",
            file=file,
        )

    # -- facilitators -----------------------------------------------------------------------

    @group.command(name="summary", description="How many reflected, per section and per prompt")
    @app_commands.describe(section="One section (default: every section posted so far)")
    @facilitator_only
    async def summary(
        self, interaction: discord.Interaction, section: PostedSection | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        schedule_id, position = section or (None, None)
        summary = await when_ready(
            interaction,
            self.service.counts.summary(
                guild_id, user_id=interaction.user.id, schedule_id=schedule_id, position=position
            ),
        )
        await reply(interaction, embed=render.summary_embed(summary))

    @app_commands.command(name="digest", description="Close a section now: post its digest")
    @app_commands.describe(section="The section to close (default: the latest one posted)")
    @app_commands.guild_only()
    @facilitator_only
    async def digest(
        self, interaction: discord.Interaction, section: PostedSection | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        schedule_id, position = section or (None, None)
        status = await when_ready(
            interaction,
            self.digests.request(
                guild_id,
                user_id=interaction.user.id,
                schedule_id=schedule_id,
                position=position,
                channel_id=interaction.channel_id,
            ),
        )
        name = inline(f"{status.position}. {status.section_title}", 200)
        if status.state == DigestState.POSTED:
            link = jump_url(guild_id, status.channel_id, status.message_id)
            text = f"The digest of section {name} was posted already" + (
                f": {link}" if link else "."
            )
        elif status.state == DigestState.POSTING:
            text = f"The digest of section {name} is being posted right now."
        else:
            where = f" <#{status.channel_id}>" if status.channel_id else " its thread"
            text = f"Section {name} is closed: its digest is on its way to{where}."
        await reply(interaction, text)

    # -- settings and forgetting ------------------------------------------------------------

    @app_commands.command(name="settings", description="Your Study Circle settings in this server")
    @app_commands.describe(
        visibility="Who may read your new reflections unless you choose",
        timezone="Your time zone, for reminders' quiet hours (IANA name, start typing)",
    )
    @app_commands.choices(visibility=VISIBILITY_CHOICES)
    @app_commands.guild_only()
    async def settings(
        self,
        interaction: discord.Interaction,
        visibility: app_commands.Choice[str] | None = None,
        timezone: TimeZone | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        user_id = interaction.user.id

        async def settings() -> str:
            if timezone is not None:
                key = await self.bot.services.reminders.set_timezone(guild_id, user_id, timezone)
                if visibility is None:
                    return (
                        f"Your time zone is now {key}: quiet hours and the weekly reminder "
                        "follow it."
                    )
            if visibility is None:
                current = await self.service.default_visibility(guild_id, user_id)
                return render.settings_text(current, changed=False)
            chosen = await self.service.set_default_visibility(guild_id, user_id, visibility.value)
            return render.settings_text(chosen, changed=True)

        await reply(interaction, await when_ready(interaction, settings()))

    @app_commands.command(
        name="forget-me", description="Delete everything Study Circle keeps about you here"
    )
    @app_commands.guild_only()
    async def forget_me(self, interaction: discord.Interaction) -> None:
        guild, member = guild_member(interaction)
        held, others, uncounted = await when_ready(interaction, self._held(guild.id, member.id))
        # With nothing kept there is nothing to confirm; a feature that could not count its
        # part is not taken to keep nothing.
        anything = uncounted or bool(held.reflections or held.settings or any(others.values()))
        await reply(
            interaction,
            embed=render.forget_embed(held, others, uncounted=uncounted),
            view=forget_view(member.id) if anything else discord.utils.MISSING,
        )

    async def _held(self, guild_id: int, user_id: int) -> tuple[Held, dict[str, int], bool]:
        """What this feature keeps about the member, what the others say they keep (by label),
        and whether one of them failed to say."""
        held = await self.service.holdings(guild_id, user_id)
        others, complete = await self._each_feature(
            "count a member's data", guild_id, lambda f: f.held_about_member(guild_id, user_id)
        )
        return held, others, not complete

    async def _each_feature(
        self, doing: str, guild_id: int, ask: Callable[[MemberData], Awaitable[Mapping[str, int]]]
    ) -> tuple[dict[str, int], bool]:
        """What every feature keeping member data answers, added up by label; False when one
        of them failed (logged, the others still asked)."""
        totals: dict[str, int] = {}
        complete = True
        for feature in self.bot.services.implementers(MemberData):
            try:
                for label, count in (await ask(feature)).items():
                    totals[label] = totals.get(label, 0) + count
            except Exception:
                log.exception(
                    "%s failed to %s in guild %s", type(feature).__name__, doing, guild_id
                )
                complete = False
        return totals, complete

    async def forget(self, interaction: discord.Interaction) -> None:
        """After the member confirmed: delete, untangle Discord, and say what went."""
        guild, member = guild_member(interaction)
        report = await when_ready(interaction, self._forget(guild, member), edit=True)
        await update(interaction, content=report, embed=None, view=None)

    async def _forget(self, guild: discord.Guild, member: discord.Member) -> str:
        await self._settle(guild.id, member.id)
        # Read before the members feature forgets the memberships that gave these roles.
        role_ids = await self.bot.services.members.circle_roles(guild.id, member.id)
        forgotten = await self.service.forget(guild.id, member.id)
        await self.shared.refresh(guild.id, forgotten.stale)
        problems: list[str] = []
        roles = [guild.get_role(role_id) for role_id in role_ids]
        held = [role for role in roles if role is not None and role in member.roles]
        if held:
            try:
                await member.remove_roles(
                    *held, reason="Study Circle: the member asked to be forgotten"
                )
            except discord.HTTPException:
                names = ", ".join(role.mention for role in held)
                problems.append(f"I couldn't remove {names} from you: my role must be above it.")
        others, complete = await self._each_feature(
            "forget a member", guild.id, lambda f: f.forget_member(guild.id, member.id)
        )
        if not complete:
            problems.append(
                "Some of your data could not be deleted just now: run /forget-me again later."
            )
        return render.forget_report(forgotten, others, problems)
