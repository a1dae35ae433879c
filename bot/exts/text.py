"""Text for Discord messages: member text made safe to echo, lengths cut to fit, timestamps,
mentions of a member, a role or a channel, links to a channel or a message.

Whatever a member wrote (a reflection, a topic, a vote's question or options, a motion, a
block's reason, a title, a facilitator's prompt) reaches a message only through one of these:

- `block`: shown as a paragraph of its own. Bold and italics stay; mentions cannot ping or
  show a pill, headings and subtext are shown as typed, masked links show their address,
  code fences are closed, blank-line runs are folded.
- `inline`: shown inside a line the bot writes (a list, a title, a field). One line, no
  markdown at all, no mentions.
- `label`: shown where Discord does not render markdown (button and menu labels, modal
  titles and placeholders, autocomplete choices). One line.

All three drop the Unicode characters that override or embed a text direction, so a
member's text cannot reorder the bot's own words around it.
"""

from __future__ import annotations

import re
from datetime import datetime

import discord
from discord.utils import TimestampStyle

from bot.exts.discord_limits import EMBED_DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT
from bot.links import channel_url

# A count with its noun, a list in words and a cut at a word are plain wording, shared with
# the rules and the command-line preview.
from bot.reading.text import listed as listed
from bot.reading.text import plural as plural
from bot.reading.text import shorten as shorten

# Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI). The
# plain marks (LRM, RLM, ALM) only nudge neutral characters next to them and stay.
_DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_HEADING = re.compile(r"^([ \t]*)(#{1,6}[ \t]|-#[ \t])", re.MULTILINE)
_MASKED_LINK = re.compile(r"\[(?=[^\]\n]*\]\()")
_BLANK_RUNS = re.compile(r"\n{3,}")
_MARKUP = re.compile(r"[\\*_~|`\[\]]")
_LINE_START = re.compile(r"^(\s*)([#>-])")
# A web address as Discord links it; brackets end it, so it cannot carry a masked link.
_ADDRESS = re.compile(r"<[^: >\[\]]+:/[^ >\[\]]+>|(?:https?|steam)://[^\s<\[\]]*[^<.,:;\"'\[\]\s]")
_FENCE = "```"


def timestamp(moment: datetime, style: TimestampStyle = "f") -> str:
    """A Discord timestamp: each member sees `moment` in their own time zone."""
    return discord.utils.format_dt(moment, style)


def channel_mention(channel_id: int) -> str:
    """A channel or thread named in a message: Discord shows its name, as a link."""
    return f"<#{channel_id}>"


def user_mention(user_id: int) -> str:
    """A member named in a message: Discord shows their name. It pings only a member the
    message's `allowed_mentions` lists (the bot's default lists none)."""
    return f"<@{user_id}>"


def role_mention(role_id: int) -> str:
    """A role named in a message: Discord shows it as a pill. It pings only where the
    message's `allowed_mentions` lists the role (the bot's default lists none)."""
    return f"<@&{role_id}>"


def jump_url(guild_id: int, channel_id: int | None, message_id: int | None = None) -> str | None:
    """The link that opens a channel (or a message in it) in Discord; None without a channel."""
    return None if channel_id is None else channel_url(guild_id, channel_id, message_id)


def _plain(text: str) -> str:
    return _DIRECTION_CONTROLS.sub("", text)


def close_fences(text: str) -> str:
    """`text` with an unclosed code fence closed, so it cannot swallow what follows."""
    return text + f"\n{_FENCE}" if text.count(_FENCE) % 2 else text


def block(text: str, limit: int = EMBED_DESCRIPTION_LIMIT) -> str:
    """Member text shown as a paragraph of its own, within `limit` characters."""
    safe = _plain(text).replace("\r\n", "\n").replace("\r", "\n")
    safe = discord.utils.escape_mentions(safe)
    safe = _HEADING.sub(lambda m: f"{m[1]}\\{m[2]}", safe)
    safe = _MASKED_LINK.sub(r"\\[", safe)
    safe = _BLANK_RUNS.sub("\n\n", safe).strip()
    return close_fences(shorten(safe, limit - len(_FENCE) - 1))


def _escape_markup(line: str) -> str:
    """Every markdown character of `line` escaped, web addresses left whole so they still
    link. (discord.py's `escape_markdown` leaves the rest of a line unescaped after a
    masked link.)"""
    pieces = []
    last = 0
    for address in _ADDRESS.finditer(line):
        pieces += [_MARKUP.sub(r"\\\g<0>", line[last : address.start()]), address[0]]
        last = address.end()
    pieces.append(_MARKUP.sub(r"\\\g<0>", line[last:]))
    return _LINE_START.sub(r"\1\\\2", "".join(pieces))


def inline(text: str, limit: int = FIELD_VALUE_LIMIT) -> str:
    """Member text inside a line the bot writes: one line, no markdown, no mentions."""
    flat = " ".join(_plain(text).split())
    escaped = _escape_markup(discord.utils.escape_mentions(flat))
    # Cutting may split an escape ("\*"), which only shows one backslash: harmless.
    return shorten(escaped, limit)


def label(text: str, limit: int) -> str:
    """Member text where Discord shows it as typed (labels, placeholders, choices)."""
    return shorten(" ".join(_plain(text).split()), limit)
