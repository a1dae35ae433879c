"""The Discord side of closing votes and reminding non-voters: the votes service's
`VoteAnnouncer`, which its closing and reminder jobs call (see `bot.services.votes.closing`)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.exts.discord_limits import find_channel, own_recent_message
from bot.exts.votes import render
from bot.exts.votes.live_tally import LiveTally
from bot.services.votes.ballots import VoteState
from bot.services.votes.closing import (
    Announcement,
    Reminder,
    reminder_nonce,
    result_nonce,
)

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)


class DiscordAnnouncer:
    """Posts results and reminders in the vote's channel; stops the vote's live tally (the
    cog's) before its result goes out."""

    def __init__(self, bot: StudyCircleBot, live: LiveTally) -> None:
        self.bot = bot
        self.live = live

    async def post_result(self, closing: Announcement) -> int:
        self.live.cancel(closing.vote.id)
        state = closing.vote
        channel = await self._channel(state.channel_id)
        message = await self._find_result(channel, state) if closing.recovering else None
        if message is None:
            embed, file = render.result_embed(state)
            extra: dict[str, Any] = {"file": file} if file is not None else {}
            if state.message_id is not None:
                extra["reference"] = discord.MessageReference(
                    message_id=state.message_id,
                    channel_id=state.channel_id,
                    fail_if_not_exists=False,
                )
            message = await channel.send(
                embed=embed,
                allowed_mentions=discord.AllowedMentions.none(),
                nonce=result_nonce(state.id),
                **extra,
            )
        return message.id

    async def _find_result(
        self, channel: discord.TextChannel | discord.Thread, state: VoteState
    ) -> discord.Message | None:
        """An earlier attempt's result message, if it was posted before a crash."""
        title = render.result_embed(state)[0].title
        return await own_recent_message(
            self.bot,
            channel,
            lambda earlier: bool(earlier.embeds) and earlier.embeds[0].title == title,
        )

    async def show_closed(self, vote: VoteState, result_message_id: int) -> None:
        if vote.message_id is None:
            return
        try:
            channel = await self._channel(vote.channel_id)
            result_url = channel.get_partial_message(result_message_id).jump_url
            await channel.get_partial_message(vote.message_id).edit(
                embed=render.closed_embed(vote, result_url), view=None
            )
        except discord.HTTPException as exc:
            # Old messages can refuse edits (30046), the channel may be out of reach by now:
            # the vote is closed and its result posted, which stand on their own.
            log.info("Could not mark vote %s's message closed: %s", vote.id, exc)

    async def remind(self, reminder: Reminder) -> None:
        content, mentions = render.reminder_message(reminder)
        channel = await self._channel(reminder.vote.channel_id)
        await channel.send(
            content, allowed_mentions=mentions, nonce=reminder_nonce(reminder.vote.id)
        )

    async def _channel(self, channel_id: int) -> discord.TextChannel | discord.Thread:
        channel = await find_channel(self.bot, channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise RuntimeError(f"channel {channel_id} is neither a text channel nor a thread")
        return channel
