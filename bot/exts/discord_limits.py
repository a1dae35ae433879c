"""What Discord allows and answers, named once: how long each piece of a message, a menu or
a modal may be (in characters), the error codes the bot checks for, the one way to find a
channel by its id, and the one look among a channel's latest messages for what a send retried
after a crash sent on its first try.

A service that needs such a number for a rule of its own (a vote's option must fit on a
button) keeps it as its own constant, named for that rule: services import nothing of
Discord's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import discord

from bot.reading.chunks import DISCORD_MESSAGE_LIMIT

# A message and its embeds. The reading's splitter keeps a section's messages within the same
# limit, so it is named there.
CONTENT_LIMIT = DISCORD_MESSAGE_LIMIT
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000  # every embed of one message together
EMBEDS_PER_MESSAGE = 10
NONCE_LIMIT = 25  # a message's nonce, which makes a repeated send return the first message
# Discord's clock and ours may differ a little: a look back to a moment starts this much before.
CLOCK_SLACK = timedelta(minutes=5)
# How many of a channel's latest messages a send retried after a crash reads for its first try.
RECENT_MESSAGES = 50

# Buttons, menus, modals and autocomplete.
BUTTON_LABEL_LIMIT = 80
SELECT_LABEL_LIMIT = 100  # a menu option's label
SELECT_DESCRIPTION_LIMIT = 100  # a menu option's, or a modal label's, description
PLACEHOLDER_LIMIT = 100
MODAL_TITLE_LIMIT = 45
TEXT_DISPLAY_LIMIT = 4000
CHOICE_NAME_LIMIT = 100  # an autocomplete choice
MAX_CHOICES = 25  # autocomplete choices shown at once
SELECT_OPTIONS_MAX = 25  # options in one menu

# Threads, roles and scheduled events.
THREAD_NAME_LIMIT = 100
ROLE_NAME_LIMIT = 100
EVENT_NAME_LIMIT = 100
EVENT_DESCRIPTION_LIMIT = 1000
EVENT_LOCATION_LIMIT = 100

# The error codes the bot tells apart (discord.HTTPException.code).
UNKNOWN_INTERACTION = 10062  # answered too late: the interaction expired
UNKNOWN_EVENT = 10070  # the scheduled event was deleted
DMS_CLOSED = 50007  # the member does not take direct messages from the bot
THREAD_EXISTS = 160004  # a thread was already started from this message
EVENT_FINISHED = 180000  # the scheduled event is over and can no longer be edited

Channel = discord.abc.GuildChannel | discord.Thread | discord.abc.PrivateChannel


async def find_channel(
    bot: discord.Client, channel_id: int, *, guild: discord.Guild | None = None
) -> Channel:
    """The channel or thread `channel_id`: from the gateway's cache, else asked of Discord
    (after a restart a job can run before the gateway has sent the guild's channels). Given
    its `guild`, the cache is read there: the bot's own look-up goes through every guild."""
    cached = guild.get_channel_or_thread(channel_id) if guild else bot.get_channel(channel_id)
    return cached or await bot.fetch_channel(channel_id)


async def own_recent_message(
    bot: discord.Client,
    channel: discord.abc.Messageable,
    is_it: Callable[[discord.Message], bool],
) -> discord.Message | None:
    """The bot's own message among the channel's latest that `is_it` accepts: what a first try
    cut short by a crash may have sent (a nonce holds only for a few minutes)."""
    me = bot.user
    if me is None:
        return None
    async for earlier in channel.history(limit=RECENT_MESSAGES):
        if earlier.author.id == me.id and is_it(earlier):
            return earlier
    return None
