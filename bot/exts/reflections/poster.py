"""The messages that show shared reflections: posted, kept up to date, and the digests.

Reflections shared "now" get a message of their own in the section's thread; those revealed
at the close are posted by the digest, several to a message. Either way the message shows
what the database says it holds (`Reflections.shared_in`): after an edit or a delete it is
rendered again, and deleted once it holds nothing.

A crash between sending a reflection's own message and recording its id leaves the
reflection marked as being posted (see `bot.services.reflections.settling`): `settle` finds
the message in the thread by its footer and records it, before the reflection is edited or
deleted, before /forget-me, and in the settle job, which also posts it if no message was made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.exts.discord_limits import CLOCK_SLACK, NONCE_LIMIT
from bot.exts.features import DigestContributor, DigestPart
from bot.exts.reflections import render
from bot.services.digests import DigestPlan, DigestReceipt
from bot.services.reflections import Change, PostedRef, ReflectionInfo, Reflections

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()


class SharedReflections:
    """Posts shared reflections and digests in section threads; the `DigestPoster`, and the
    `ReflectionMessages` that the settle job and /forget-me use."""

    def __init__(self, bot: StudyCircleBot, reflections: Reflections) -> None:
        self.bot = bot
        self.reflections = reflections

    def _channel(self, channel_id: int, guild_id: int) -> discord.PartialMessageable:
        return self.bot.get_partial_messageable(channel_id, guild_id=guild_id)

    async def apply(self, guild_id: int, change: Change) -> ReflectionInfo | None:
        """Post the changed reflection if it is to be shared now, and refresh stale messages.
        Returns the reflection as it stands afterwards (with its message, once posted)."""
        reflection = change.reflection
        if change.stale:
            await self.refresh(guild_id, change.stale)
        if reflection is not None and change.post:
            return await self.post(reflection)
        return reflection

    async def post(self, reflection: ReflectionInfo) -> ReflectionInfo:
        """Post a reflection shared now in its section's thread, as its own message. If Discord
        fails, the settle job tries again later."""
        try:
            return await self._post(reflection)
        except discord.HTTPException as exc:
            log.warning(
                "Could not post reflection %s in thread %s: %s",
                reflection.id,
                reflection.thread_id,
                exc,
            )
            return reflection

    async def _post(self, reflection: ReflectionInfo) -> ReflectionInfo:
        if reflection.thread_id is None:
            return reflection
        channel = self._channel(reflection.thread_id, reflection.guild_id)
        message = await channel.send(
            embeds=render.message_embeds([reflection]),
            allowed_mentions=NO_MENTIONS,
            nonce=f"scr{reflection.id}t{int(reflection.updated_at.timestamp())}"[:NONCE_LIMIT],
        )
        if await self.reflections.settling.record_post(
            reflection.guild_id, reflection.id, channel.id, message.id
        ):
            return dataclasses.replace(reflection, channel_id=channel.id, message_id=message.id)
        # Deleted, made private or shown elsewhere while it was being sent.
        await self._delete(message)
        return reflection

    # -- settling after a crash -------------------------------------------------------------

    async def settle(
        self,
        guild_id: int,
        *,
        reflection_ids: Collection[int] | None = None,
        user_id: int | None = None,
        finish: bool = False,
    ) -> None:
        """Record the message of each reflection marked as being posted (these ones, or the
        member's), found in its thread by its footer; without one, post it when `finish`.
        Raises `discord.HTTPException` when the thread cannot be read: nothing is lost track
        of, the caller tries again."""
        pending = await self.reflections.settling.pending_posts(
            guild_id, reflection_ids=reflection_ids, user_id=user_id
        )
        for post in pending:
            reflection = post.reflection
            copies = await self._copies(reflection, post.since)
            if copies:
                kept, *extra = copies
                for message in extra:
                    await self._delete(message)
                channel_id = reflection.thread_id
                assert channel_id is not None
                if await self.reflections.settling.record_post(
                    guild_id, reflection.id, channel_id, kept.id
                ):
                    log.info("Found the message of reflection %s: %s", reflection.id, kept.id)
                    await self.refresh(guild_id, [PostedRef(channel_id, kept.id)])
                else:
                    await self._delete(kept)
            elif finish and reflection.shared and reflection.thread_id is not None:
                await self._post(reflection)
            else:
                await self.reflections.settling.clear_pending(guild_id, reflection.id)

    async def _copies(self, reflection: ReflectionInfo, since: datetime) -> list[discord.Message]:
        """The bot's messages showing this reflection alone, made since `since`, oldest first
        (a digest's parts have a header line, these have no text)."""
        me = self.bot.user
        if reflection.thread_id is None or me is None:
            return []
        channel = self._channel(reflection.thread_id, reflection.guild_id)
        footer = render.reflection_footer_prefix(reflection.id)
        after = discord.Object(discord.utils.time_snowflake(since - CLOCK_SLACK))
        found = []
        try:
            async for message in channel.history(limit=None, after=after):
                if (
                    message.author.id == me.id
                    and not message.content
                    and len(message.embeds) == 1
                    and (message.embeds[0].footer.text or "").startswith(footer)
                ):
                    found.append(message)
        except discord.NotFound:
            return []  # the thread is gone, and its messages with it
        return found

    async def _delete(self, message: discord.Message | discord.PartialMessage) -> None:
        with contextlib.suppress(discord.NotFound):  # gone already
            await message.delete()

    async def refresh(self, guild_id: int, refs: Sequence[PostedRef]) -> None:
        """Show what each message holds now; delete the ones that hold nothing any more."""
        for ref in refs:
            shown = await self.reflections.reading.shared_in(
                guild_id, ref.channel_id, ref.message_id
            )
            message = self._channel(ref.channel_id, guild_id).get_partial_message(ref.message_id)
            try:
                if shown:
                    await message.edit(
                        embeds=render.message_embeds(shown), allowed_mentions=NO_MENTIONS
                    )
                else:
                    await message.delete()
            except discord.NotFound:
                log.info("Message %s showing reflections is already gone", ref.message_id)
            except discord.HTTPException as exc:
                log.warning("Could not update message %s: %s", ref.message_id, exc)

    # -- digests ----------------------------------------------------------------------------

    async def _lines(self, part: DigestPart, plan: DigestPlan) -> list[str]:
        """What every feature has to say in this part of the digest; one that fails is left
        out, and the digest goes on."""
        lines: list[str] = []
        for contributor in self.bot.services.implementers(DigestContributor):
            if contributor.digest_part != part:
                continue
            try:
                lines += await contributor.digest_lines(
                    plan.guild_id, plan.schedule_id, plan.section_id
                )
            except Exception:
                log.exception(
                    "The %s lines failed for the digest of section %s", part, plan.section_id
                )
        return [line for line in lines if line.strip()]

    async def publish(self, plan: DigestPlan) -> DigestReceipt:
        """Post the digest and the reflections it reveals; after a crash, only what is missing.

        A rerun shows what the database says now: a revealed reflection deleted or edited
        since the first attempt is gone from, or updated in, the parts already posted, and
        parts no longer needed are deleted.
        """
        channel = self._channel(plan.channel_id, plan.guild_id)
        parts = render.pack(plan.revealed)
        headers = [render.digest_part_header(plan, n, len(parts)) for n in range(1, len(parts) + 1)]
        summary_id, earlier_parts = (
            await self._already_posted(channel, plan) if plan.recovering else (None, [])
        )
        if summary_id is None:
            votes = await self._lines(DigestPart.VOTES, plan)
            meeting = await self._lines(DigestPart.MEETING, plan)
            summary = await channel.send(
                embed=render.digest_embed(plan, votes=votes, meeting=meeting),
                allowed_mentions=NO_MENTIONS,
                nonce=f"{plan.nonce}s",
            )
            summary_id = summary.id
        placements: dict[int, int] = {}
        for number, (part, header) in enumerate(zip(parts, headers, strict=True), 1):
            embeds = render.message_embeds(part)
            if number <= len(earlier_parts):
                message_id = earlier_parts[number - 1]
                await channel.get_partial_message(message_id).edit(
                    content=header, embeds=embeds, allowed_mentions=NO_MENTIONS
                )
            else:
                message = await channel.send(
                    header,
                    embeds=embeds,
                    allowed_mentions=NO_MENTIONS,
                    nonce=f"{plan.nonce}p{number}",
                )
                message_id = message.id
            placements.update({reflection.id: message_id for reflection in part})
        for message_id in earlier_parts[len(parts) :]:
            with contextlib.suppress(discord.NotFound):
                await channel.get_partial_message(message_id).delete()
        return DigestReceipt(channel.id, summary_id, placements)

    async def _already_posted(
        self, channel: discord.PartialMessageable, plan: DigestPlan
    ) -> tuple[int | None, list[int]]:
        """What an earlier attempt posted: the summary's id, and its parts' ids in order.

        Every message since the first attempt began is read, however many members wrote in
        the thread meanwhile: a part missed here would keep words a member may since have
        deleted.
        """
        me = self.bot.user
        if me is None:
            return None, []
        after = (
            discord.Object(discord.utils.time_snowflake(plan.started_at - CLOCK_SLACK))
            if plan.started_at is not None
            else None
        )
        footer = render.digest_footer(plan)
        summary: int | None = None
        parts: list[int] = []
        async for earlier in channel.history(limit=None, after=after, oldest_first=True):
            if earlier.author.id != me.id:
                continue
            if earlier.embeds and earlier.embeds[0].footer.text == footer:
                summary = summary or earlier.id
            elif render.is_digest_part_header(plan, earlier.content):
                parts.append(earlier.id)
        if summary or parts:
            log.info(
                "Digest %s was partly posted already: summary %s, %d parts",
                plan.digest_id,
                "found" if summary else "missing",
                len(parts),
            )
        return summary, parts
