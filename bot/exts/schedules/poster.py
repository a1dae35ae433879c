"""Publishing a planned section post in Discord: announcement, thread, full text. Idempotent.

Every message carries a nonce derived from the post, and Discord returns the first message
for a repeated nonce. After a crash the post is "recovering": the poster first looks for what
an earlier attempt already published (the announcement by its embed, the forum post by its
name and owner among the forum's active and archived threads, asked of REST, the text chunks
by their content) and publishes only what is missing. It never relies on the gateway's cache
for this: after a restart the job runs before the gateway has sent the guild's threads.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

import discord

from bot.exts.discord_limits import CLOCK_SLACK, THREAD_EXISTS, find_channel, own_recent_message
from bot.exts.schedules import render
from bot.exts.schedules.buttons import section_view
from bot.services.posting import PostPlan, PostReceipt

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)
THREAD_ARCHIVE_MINUTES: Final = 10080  # a week: long enough to read and discuss


class DiscordPoster:
    """The `SectionPoster` the scheduler's post jobs call."""

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot

    async def _channel(self, channel_id: int) -> discord.TextChannel | discord.ForumChannel:
        channel = await find_channel(self.bot, channel_id)
        if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
            raise RuntimeError(f"channel {channel_id} is neither a text channel nor a forum")
        return channel

    async def publish(self, plan: PostPlan) -> PostReceipt:
        channel = await self._channel(plan.channel_id)
        if isinstance(channel, discord.ForumChannel):
            thread = await self._forum_post(channel, plan)
            message_id = thread.id  # a forum post's first message has the thread's id
        else:
            message = await self._announcement(channel, plan)
            thread = await self._thread(message, plan)
            message_id = message.id
        await self._text(thread, plan)
        return PostReceipt(channel_id=channel.id, message_id=message_id, thread_id=thread.id)

    def _is_its_announcement(self, message: discord.Message, plan: PostPlan) -> bool:
        if not message.embeds:
            return False
        description = message.embeds[0].description or ""
        return description.startswith(f"**{render.section_label(plan)}**") and (
            message.embeds[0].author.name == render.announcement_embed(plan).author.name
        )

    async def _announcement(self, channel: discord.TextChannel, plan: PostPlan) -> discord.Message:
        if plan.message_id:
            return await channel.fetch_message(plan.message_id)
        if plan.recovering:
            earlier = await own_recent_message(
                self.bot, channel, lambda message: self._is_its_announcement(message, plan)
            )
            if earlier is not None:
                log.info("Post %s was already published as %s", plan.nonce, earlier.id)
                return earlier
        content, mentions = render.role_ping(plan)
        return await channel.send(
            content=content,
            embed=render.announcement_embed(plan),
            view=section_view(plan),
            allowed_mentions=mentions,
            nonce=plan.nonce,
        )

    async def _thread(self, message: discord.Message, plan: PostPlan) -> discord.Thread:
        if message.thread is not None:
            return message.thread
        try:
            return await message.create_thread(
                name=render.thread_name(plan), auto_archive_duration=THREAD_ARCHIVE_MINUTES
            )
        except discord.HTTPException as exc:
            if exc.code != THREAD_EXISTS:
                raise
        # A thread started from a message has the message's id.
        thread = await find_channel(self.bot, message.id)
        assert isinstance(thread, discord.Thread)
        return thread

    async def _forum_post(self, forum: discord.ForumChannel, plan: PostPlan) -> discord.Thread:
        if plan.thread_id:
            found = await find_channel(self.bot, plan.thread_id)
            assert isinstance(found, discord.Thread)
            return found
        name = render.thread_name(plan)
        if plan.recovering:
            earlier = await self._earlier_forum_post(forum, plan, name)
            if earlier is not None:
                log.info("Post %s was already published as %s", plan.nonce, earlier.id)
                return earlier
        content, mentions = render.role_ping(plan)
        created = await forum.create_thread(
            name=name,
            content=content,
            embed=render.announcement_embed(plan),
            view=section_view(plan),
            allowed_mentions=mentions,
            auto_archive_duration=THREAD_ARCHIVE_MINUTES,
        )
        return created.thread

    async def _earlier_forum_post(
        self, forum: discord.ForumChannel, plan: PostPlan, name: str
    ) -> discord.Thread | None:
        """The post an earlier attempt created: asked of REST, never of the gateway's cache,
        which after a restart may not hold the forum's threads yet. A forum post carries no
        nonce, so it is told by its name and its owner (the bot), among the active threads
        and those archived since the post was due (it cannot have been archived before)."""
        me = self.bot.user
        if me is None:
            return None

        def ours(thread: discord.Thread) -> bool:
            return thread.parent_id == forum.id and thread.name == name and thread.owner_id == me.id

        for thread in await forum.guild.active_threads():
            if ours(thread):
                return thread
        since = plan.due_at - CLOCK_SLACK
        async for thread in forum.archived_threads(limit=None):
            if thread.archive_timestamp < since:
                break
            if ours(thread):
                return thread
        return None

    async def _text(self, thread: discord.Thread, plan: PostPlan) -> None:
        already: set[str] = set()
        if plan.recovering and self.bot.user is not None:
            async for earlier in thread.history(limit=100):
                if earlier.author.id == self.bot.user.id:
                    already.add(earlier.content)
        for number, chunk in enumerate(render.thread_messages(plan), 1):
            if chunk in already:
                continue
            await thread.send(
                chunk,
                allowed_mentions=discord.AllowedMentions.none(),
                nonce=f"{plan.nonce}c{number}",
            )

    async def report_failure(self, guild_id: int, schedule_id: int, error: str) -> None:
        """Tell the schedule's creator by DM; failing that, or if they used /forget-me, log
        it loudly."""
        schedule = await self.bot.services.schedules.status(guild_id, schedule_id)
        text = render.failure_text(schedule_id, error)
        if schedule.created_by is None:
            log.error("Schedule %s has no creator to tell: %s", schedule_id, text)
            return
        try:
            user = self.bot.get_user(schedule.created_by) or await self.bot.fetch_user(
                schedule.created_by
            )
            await user.send(text, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            log.exception("Could not tell the facilitator of schedule %s: %s", schedule_id, text)
