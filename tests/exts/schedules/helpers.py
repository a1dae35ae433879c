"""Steps of schedule tests that other tests take too: creating a schedule by its command."""

from __future__ import annotations

from tests.exts.readings.helpers import seed_reading_id
from tests.fakediscord import FakeDiscord, InteractionResult


async def create_schedule(fake: FakeDiscord, **options: object) -> InteractionResult:
    """/schedule create by the facilitator: the seed reading, in #reading, weekly from Monday
    1 March 2027 at 18:00 in Europe/Rome; `options` (`channel` too) replace or add to those."""
    values = {
        "reading": await seed_reading_id(fake),
        "channel": fake.world.reading,
        "start": "2027-03-01",
        "at": "18:00",
        "timezone": "Europe/Rome",
        **options,
    }
    return await fake.command("schedule create", values, user=fake.world.facilitator)
