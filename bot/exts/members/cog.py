"""`/join`, `/leave`, `/done`, `/progress`, `/catchup`: a member's own reading."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.exts.discord_limits import find_channel
from bot.exts.interactions import guild_id_of, guild_member, reply, when_ready
from bot.exts.members import render
from bot.exts.members.buttons import DoneButton
from bot.exts.options import WHICH_CIRCLE, ScheduleId
from bot.locks import KeyedLocks
from bot.services.members import JoinResult

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)


class MembersCog(commands.Cog, name="Members"):
    """Joining a circle and following one's own progress; in /forget-me, a
    `MemberDataOnDiscord` (`bot.exts.features`): it takes back the circle roles."""

    dynamic_items = (DoneButton,)

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot
        self._role_locks: KeyedLocks[int] = KeyedLocks()

    async def _circle_role(
        self, guild: discord.Guild, schedule_id: int, role_id: int | None
    ) -> tuple[discord.Role | None, str | None]:
        """The schedule's role, created on first use; or why there is none."""
        role = guild.get_role(role_id) if role_id else None
        if role is not None:
            return role, None
        if not guild.me.guild_permissions.manage_roles:
            return None, render.NO_ROLE_PERMISSION
        # Members joining at the same moment must not each create a role.
        async with self._role_locks[schedule_id]:
            schedule = await self.bot.services.schedules.status(guild.id, schedule_id)
            role = guild.get_role(schedule.role_id) if schedule.role_id else None
            if role is not None:
                return role, None
            role = await guild.create_role(
                name=render.circle_role_name(schedule.reading_title),
                mentionable=False,
                reason=f"Study Circle: members of schedule #{schedule_id}",
            )
            await self.bot.services.members.set_role(guild.id, schedule_id, role.id)
            return role, None

    @app_commands.command(name="join", description="Join a reading circle")
    @app_commands.describe(schedule=WHICH_CIRCLE)
    async def join(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        guild, member = guild_member(interaction)
        joined, to_give, no_role = await when_ready(
            interaction, self._join(guild, member, schedule)
        )
        thread_id = joined.current_thread_id
        notes = (
            render.role_given_text(to_give.mention) if to_give else no_role,
            # discord.py holds active threads only: one it does not hold is likely archived.
            render.thread_note(thread_id, active=guild.get_thread(thread_id) is not None)
            if thread_id
            else None,
        )
        # The role and the thread come after the answer: a server's role changes share one
        # rate-limit bucket, as do a thread's new members, and discord.py sends a bucket's
        # requests one at a time until Discord's headers allow more (Discord allows few role
        # changes at once), so in a crowd joining together each answer would wait for the
        # requests of those ahead of it. What fails is told in a second message.
        try:
            await reply(interaction, render.joined_text(joined, notes))
        finally:
            # Given even if the answer could not be sent: the member is in the circle.
            failed = await asyncio.gather(
                self._give_role(member, to_give), self._add_to_thread(guild, member, thread_id)
            )
        if any(failed):
            await reply(interaction, "\n".join(line for line in failed if line))

    async def _join(
        self, guild: discord.Guild, member: discord.Member, chosen: int | None
    ) -> tuple[JoinResult, discord.Role | None, str | None]:
        """Join the circle; the role to give them (created on first use), or why there is
        none to give, as far as is known before asking Discord."""
        joined = await self.bot.services.members.join(guild.id, member.id, chosen)
        role, no_role = await self._circle_role(guild, joined.schedule_id, joined.role_id)
        if role is None or role in member.roles:
            return joined, None, no_role
        # Known from the cache: the answer must not promise a role Discord will refuse.
        if not guild.me.guild_permissions.manage_roles:
            return joined, None, render.NO_ROLE_PERMISSION
        if not role.is_assignable():
            return joined, None, render.ROLE_ABOVE_MINE
        return joined, role, None

    async def _give_role(self, member: discord.Member, role: discord.Role | None) -> str | None:
        """Give the circle's role; why it could not be given, if it could not."""
        if role is None:
            return None
        try:
            await member.add_roles(role, reason="Joined a Study Circle schedule")
        except discord.HTTPException as exc:
            log.info(
                "Could not give role %s to %s: %s %s", role.id, member.id, exc.status, exc.code
            )
            return render.ROLE_NOT_GIVEN
        return None

    async def _add_to_thread(
        self, guild: discord.Guild, member: discord.Member, thread_id: int | None
    ) -> str | None:
        """Add the member to the current section's thread; why not, if that failed."""
        if not thread_id:
            return None
        try:
            thread = await find_channel(self.bot, thread_id, guild=guild)
            if isinstance(thread, discord.Thread):
                if not thread.archived:  # else the answer gave the link and promised nothing
                    await thread.add_user(member)
                return None
        except discord.HTTPException as exc:
            log.info(
                "Could not add %s to thread %s: %s %s", member.id, thread_id, exc.status, exc.code
            )
        return render.thread_not_added_text(thread_id)

    @app_commands.command(name="leave", description="Leave a reading circle")
    @app_commands.describe(schedule=WHICH_CIRCLE)
    async def leave(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        guild, member = guild_member(interaction)
        schedule_id = await when_ready(interaction, self._leave(guild, member, schedule))
        await reply(interaction, render.left_text(schedule_id))

    async def _leave(self, guild: discord.Guild, member: discord.Member, chosen: int | None) -> int:
        """Leave the circle and lose its role; the schedule left."""
        left = await self.bot.services.members.leave(guild.id, member.id, chosen)
        role = guild.get_role(left.role_id) if left.role_id else None
        if role is not None and role in member.roles:
            try:
                await member.remove_roles(role, reason="Left a Study Circle schedule")
            except discord.Forbidden:
                log.info("Could not remove role %s from %s", role.id, member.id)
        return left.schedule_id

    async def forget_on_discord(self, member: discord.Member) -> list[str]:
        """/forget-me's part on Discord: take back the member's circle roles, read before the
        members service forgets the memberships that gave them; what to tell them if not."""
        guild = member.guild
        role_ids = await self.bot.services.members.circle_roles(guild.id, member.id)
        roles = [guild.get_role(role_id) for role_id in role_ids]
        held = [role for role in roles if role is not None and role in member.roles]
        if not held:
            return []
        try:
            await member.remove_roles(
                *held, reason="Study Circle: the member asked to be forgotten"
            )
        except discord.HTTPException:
            return [render.roles_kept_text([role.mention for role in held])]
        return []

    @app_commands.command(name="done", description="Mark a section as read")
    @app_commands.describe(section="The section's number (default: the latest posted)")
    @app_commands.describe(schedule=WHICH_CIRCLE)
    async def done(
        self,
        interaction: discord.Interaction,
        section: app_commands.Range[int, 1, 10_000] | None = None,
        schedule: ScheduleId | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        marked = await when_ready(
            interaction,
            self.bot.services.members.mark_read(
                guild_id, interaction.user.id, schedule_id=schedule, position=section
            ),
        )
        await reply(interaction, render.done_text(marked))

    @app_commands.command(name="progress", description="Your sections, read or not")
    @app_commands.describe(schedule=WHICH_CIRCLE)
    async def progress(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        report = await when_ready(
            interaction, self.bot.services.members.progress(guild_id, interaction.user.id, schedule)
        )
        await reply(interaction, embed=render.progress_embed(guild_id, report))

    @app_commands.command(name="catchup", description="What to read next, with links")
    @app_commands.describe(schedule=WHICH_CIRCLE)
    async def catchup(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        report = await when_ready(
            interaction, self.bot.services.members.progress(guild_id, interaction.user.id, schedule)
        )
        await reply(interaction, embed=render.catchup_embed(guild_id, report))
