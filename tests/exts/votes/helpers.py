"""Steps of vote tests that other tests take too: a circle to vote in, a vote opened."""

from __future__ import annotations

from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord, FakeMessage


async def start_circle(fake: FakeDiscord, *, join: bool = True) -> None:
    """A schedule in #reading (`create_schedule`'s), with `member` in its circle unless not
    `join`."""
    await create_schedule(fake)
    if join:
        await fake.command("join", user=fake.world.member)


async def open_vote(fake: FakeDiscord, **options: object) -> FakeMessage:
    """/vote open by the facilitator, three options closing in a day unless `options` say
    otherwise; the vote's message in #general."""
    values: dict[str, object] = {
        "question": "What should we discuss next?",
        "options": "Tactics; History; Theory",
        "closes": "1d",
    }
    values.update(options)
    opened = await fake.command("vote open", values, user=fake.world.facilitator)
    assert opened.ephemeral, opened.text
    assert "is open" in opened.text, opened.text
    return fake.messages_in(fake.world.general)[-1]
