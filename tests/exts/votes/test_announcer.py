"""The Discord side of closing a vote, where Discord fails it."""

from __future__ import annotations

from types import SimpleNamespace
from typing import NoReturn, cast

import aiohttp
import discord

from bot.app import StudyCircleBot
from bot.exts.votes.announcer import DiscordAnnouncer
from bot.exts.votes.live_tally import LiveTally
from tests.exts.votes.helpers import closed_vote


class _ChannelGone:
    """A bot whose cache lacks the vote's channel and to which Discord answers 404."""

    def get_channel(self, channel_id: int) -> None:
        return None

    async def fetch_channel(self, channel_id: int) -> NoReturn:
        # The two attributes of aiohttp's response that discord.NotFound reads.
        response = cast(aiohttp.ClientResponse, SimpleNamespace(status=404, reason="Not Found"))
        raise discord.NotFound(response, {"code": 10003, "message": "Unknown Channel"})


async def test_a_vote_whose_channel_is_gone_by_now_is_still_closed_without_an_error() -> None:
    # Marking a vote's message closed asks only for its channel, and has no live tally to stop.
    bot = cast(StudyCircleBot, _ChannelGone())
    announcer = DiscordAnnouncer(bot, cast(LiveTally, None))
    await announcer.show_closed(closed_vote(), result_message_id=3)
