"""The "null" bot of the burst benchmark: discord.py alone, answering every interaction with
a private "ok" and doing nothing else. What Study Circle costs is measured above this.

    DISCORD_TOKEN=… DISCORD_API_BASE=http://127.0.0.1:PORT/api/v10 python -m bench.null_bot

Same library, same intents, same sharded client class and allowed mentions as the real bot.
Prints "null bot ready" on stderr once it is.
"""

from __future__ import annotations

import os
import sys

import discord
from discord.http import Route


class NullBot(discord.AutoShardedClient):
    async def on_ready(self) -> None:
        print("null bot ready", file=sys.stderr, flush=True)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("ok", ephemeral=True)


def main() -> None:
    Route.BASE = os.environ["DISCORD_API_BASE"]
    discord.VoiceClient.warn_nacl = False
    intents = discord.Intents.none()
    intents.guilds = True
    client = NullBot(
        intents=intents,
        allowed_mentions=discord.AllowedMentions.none(),
        guild_ready_timeout=0.05,
    )
    client.run(os.environ["DISCORD_TOKEN"], log_handler=None)


if __name__ == "__main__":
    main()
