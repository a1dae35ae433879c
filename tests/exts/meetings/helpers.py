"""Steps of meeting tests that reminder and calendar tests take too: a schedule with meetings."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord, InteractionResult

# Posts go out on Mondays at 18:00 in Rome (FIRST_DUE), and the circle meets the day after at
# 19:00 there (18:00 UTC): the first meeting of a schedule `create_with_meeting` made.
FIRST_MEETING = datetime(2027, 3, 2, 18, 0, tzinfo=UTC)


async def create_with_meeting(fake: FakeDiscord, **options: object) -> InteractionResult:
    """`create_schedule` with a meeting the day after each post at 19:00, at a café unless
    `options` name a meeting channel or place; `options` replace or add to those."""
    values: dict[str, object] = {"meeting": "day after 19:00", **options}
    if "meeting_channel" not in values and "meeting_place" not in values:
        values["meeting_place"] = "Café Roma, Via Po 3"
    return await create_schedule(fake, **values)
