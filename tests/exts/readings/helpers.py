"""Steps of reading tests that other tests take too: the id of a reading added, and of the
reading every guild starts with."""

from __future__ import annotations

from tests.fakediscord import FakeDiscord, InteractionResult
from tests.fakediscord.model import DefaultWorld


def added_reading_id(result: InteractionResult) -> str:
    """The id of the reading a /reading add answer names (the first one, in a /reading list)."""
    description: str = result.embeds[0]["description"]
    return description.split("#", 1)[1].split(" ", 1)[0]


async def seed_reading_id(fake: FakeDiscord, world: DefaultWorld | None = None) -> str:
    """The id of the reading every guild starts with, as /reading list shows it in `world`'s
    guild (the fake's first guild by default)."""
    world = world or fake.world
    result = await fake.command("reading list", user=world.member, channel=world.general)
    assert "Mass Organizations" in result.embeds[0]["description"]
    return added_reading_id(result)
