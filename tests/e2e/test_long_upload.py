"""A long upload through `python -m bot run`: its prompts are drafted on a process pool
started from inside the bot, they are the prompts one process drafts, the bot answers others
meanwhile and stops cleanly."""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
from pathlib import Path
from typing import Any

from bot import drafting
from bot.parsing import parse_reading
from bot.reading.prompts import PARALLEL_FROM_SECTIONS
from tests.e2e.conftest import bot_env
from tests.fakediscord import FakeDiscord
from tests.processes import descendants

SEED = Path(__file__).parents[2] / "seeds" / "mass-organizations.txt"


def _stored_prompts(database_url: str, reading_id: int) -> list[str]:
    path = database_url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT p.text FROM prompts p JOIN sections s ON s.id = p.section_id "
            "WHERE s.reading_id = ? ORDER BY s.position, p.position",
            (reading_id,),
        )
        return [text for (text,) in rows]


async def test_a_long_upload_is_drafted_on_a_pool_as_one_process_would(
    start_bot: Any, fake_discord: FakeDiscord, process_database_url: str
) -> None:
    essay = SEED.read_text(encoding="utf-8")
    book = "\n\n".join(f"Chapter {n}\n\n{essay}" for n in range(1, 11))
    bot = await start_bot("run", env=bot_env(fake_discord, process_database_url))
    await fake_discord.wait_until_connected(timeout=30)
    upload = fake_discord.upload("ten-times.txt", book)
    adding = asyncio.create_task(
        fake_discord.command(
            "reading add", {"file": upload}, user=fake_discord.world.facilitator, timeout=60
        )
    )
    helpers: set[int] = set()
    answered_meanwhile = 0
    while not adding.done():
        helpers |= set(descendants(bot.process.pid))
        about = await fake_discord.command("circle about", user=fake_discord.world.member)
        answered_meanwhile += "Study Circle" in about.text
        await asyncio.sleep(0.05)
    added = await adding
    assert added.embeds, added.text
    found = re.search(r"#(\d+) .*?(\d+) sections", added.embeds[0]["description"], re.S)
    assert found, added.embeds[0]
    reading_id, sections = int(found.group(1)), int(found.group(2))
    assert sections >= PARALLEL_FROM_SECTIONS
    assert answered_meanwhile >= 1
    if drafting.workers() > 1:
        assert len(helpers) >= 3  # the fork server and two workers (and the resource tracker)
    else:
        assert not helpers

    one_process = parse_reading(book.encode(), "ten-times.txt")
    expected = [p.text for prompt_set in one_process.prompts for p in prompt_set.prompts]
    assert _stored_prompts(process_database_url, reading_id) == expected

    code, _ = await bot.stop(signal.SIGTERM)
    assert code == 0, bot.stderr
    assert "Traceback" not in bot.stderr
    assert "drafting pool failed" not in bot.stderr
    assert "leaked" not in bot.stderr
