"""A long upload through `python -m bot run`: its prompts are drafted on a process pool
started from inside the bot, and the bot answers as before and stops cleanly."""

from __future__ import annotations

import re
import signal
from pathlib import Path
from typing import Any

from bot.reading.prompts import PARALLEL_FROM_SECTIONS
from tests.e2e.conftest import bot_env
from tests.fakediscord import FakeDiscord

SEED = Path(__file__).parents[2] / "seeds" / "mass-organizations.txt"


async def test_a_long_upload_is_drafted_on_a_pool_and_the_bot_stops_cleanly(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str
) -> None:
    essay = SEED.read_text(encoding="utf-8")
    book = "\n\n".join(f"Chapter {n}\n\n{essay}" for n in range(1, 11))
    bot = await start_bot("run", env=bot_env(fake_discord, process_database_url))
    await fake_discord.wait_until_connected(timeout=30)
    upload = fake_discord.upload("ten-times.txt", book)
    added = await fake_discord.command(
        "reading add", {"file": upload}, user=fake_discord.world.facilitator, timeout=60
    )
    assert added.embeds, added.text
    sections = re.search(r"(\d+) sections", added.embeds[0]["description"])
    assert sections, added.embeds[0]
    assert int(sections.group(1)) >= PARALLEL_FROM_SECTIONS
    about = await fake_discord.command("circle about", user=fake_discord.world.member)
    assert "Study Circle" in about.text

    code, _ = await bot.stop(signal.SIGTERM)
    assert code == 0, bot.stderr
    assert "Traceback" not in bot.stderr
    assert "drafting pool broke" not in bot.stderr
    assert "leaked" not in bot.stderr
