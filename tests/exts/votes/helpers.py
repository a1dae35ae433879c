"""Steps of vote tests that other tests take too: a circle to vote in, a vote opened."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db.models.votes import VoteKind, VoteStatus
from bot.services.votes import VoteState
from bot.voting import MotionThreshold, VoteMethod, VoteReminder, single
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


def closed_vote() -> VoteState:
    """A closed single-choice vote of three ballots (`dataclasses.replace` makes others)."""
    labels = ("Tactics", "History")
    return VoteState(
        id=7,
        guild_id=1,
        kind=VoteKind.OPTIONS,
        method=VoteMethod.SINGLE,
        question="What do we read next?",
        options=labels,
        topic_ids=(None, None),
        min_choices=1,
        max_choices=1,
        threshold=MotionThreshold.MAJORITY,
        fallback=False,
        closes_at=datetime(2025, 3, 1, 18, tzinfo=UTC),
        quorum_percent=None,
        secret=False,
        hidden=False,
        remind=VoteReminder.NONE,
        tiebreak_seed="seed",
        tiebreak_order=(0, 1),
        status=VoteStatus.CLOSED,
        opened_by=11,
        channel_id=2,
        message_id=4,
        schedule_id=None,
        section_id=None,
        eligible=None,
        ballots=3,
        result=single.tally(labels, [0, 0, 1]),
        closed_at=datetime(2025, 3, 1, 18, tzinfo=UTC),
        closed_by=11,
        result_message_id=3,
        winner_text="Tactics",
    )
