"""Steps of reading tests that other tests take too: finding the reading every guild starts
with."""

from __future__ import annotations

from tests.fakediscord import FakeDiscord


async def seed_reading_id(fake: FakeDiscord) -> str:
    """The id of the reading every guild starts with, as /reading list shows it."""
    result = await fake.command("reading list", user=fake.world.member)
    assert "Mass Organizations" in result.embeds[0]["description"]
    return result.embeds[0]["description"].split("#", 1)[1].split(" ", 1)[0]
