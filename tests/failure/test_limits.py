"""Limits that keep one member, one typo or one failed download from spoiling things: a topic
flood, closing times and start dates past any calendar, and an upload Discord cannot serve."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.app import StudyCircleBot
from bot.db.models import Schedule
from bot.scheduling.clock import FakeClock
from bot.services.votes.topics import MAX_OPEN_TOPICS_PER_MEMBER, MAX_TOPICS_PER_MINUTE
from tests.exts.schedules.helpers import create_schedule
from tests.exts.votes.helpers import start_circle
from tests.fakediscord import FakeDiscord, InteractionResult
from tests.fakediscord.interactions import User


async def _propose(fake: FakeDiscord, text: str, user: User | None = None) -> InteractionResult:
    return await fake.command("topic propose", {"text": text}, user=user or fake.world.member)


async def test_one_member_cannot_flood_the_topics_and_facilitators_clear_them_at_once(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    accepted = [await _propose(fake_discord, f"Topic {n}") for n in range(MAX_TOPICS_PER_MINUTE)]
    assert all("is proposed" in a.text for a in accepted)
    too_fast = await _propose(fake_discord, "One more right now")
    assert too_fast.ephemeral
    assert f"{MAX_TOPICS_PER_MINUTE} topics a minute" in too_fast.text

    for n in range(MAX_TOPICS_PER_MINUTE, MAX_OPEN_TOPICS_PER_MEMBER):
        clock.advance(timedelta(minutes=1))
        assert "is proposed" in (await _propose(fake_discord, f"Topic {n}")).text
    clock.advance(timedelta(minutes=1))
    too_many = await _propose(fake_discord, "Yet another")
    assert "the most one member can have" in too_many.text

    # Others, and facilitators, still propose; then a facilitator clears one member's topics.
    assert "is proposed" in (await _propose(fake_discord, "Mine", world.other_member)).text
    for n in range(MAX_OPEN_TOPICS_PER_MEMBER + 1):
        seeded = await _propose(fake_discord, f"Seed {n}", world.facilitator)
        assert "is proposed" in seeded.text
    refused = await fake_discord.command("topic clear", {"member": world.member}, user=world.member)
    assert "Only facilitators" in refused.text
    cleared = await fake_discord.command(
        "topic clear", {"member": world.member}, user=world.facilitator
    )
    assert f"Removed {MAX_OPEN_TOPICS_PER_MEMBER} open topics proposed by" in cleared.text
    listed = await fake_discord.command("topic list", user=world.member)
    description = listed.embeds[0]["description"]
    assert "Topic 0" not in description
    assert "Mine" in description
    assert "Seed 0" in description
    everyone = await fake_discord.command("topic clear", user=world.facilitator)
    assert f"Removed {MAX_OPEN_TOPICS_PER_MEMBER + 2} open topics for" in everyone.text
    empty = await fake_discord.command("topic list", user=world.member)
    assert "No open topics yet" in empty.embeds[0]["description"]


@pytest.mark.parametrize(
    "closes", ["999999w", "9999999999d", "99999999999999999999m", "9999-12-31 23:59", "91d"]
)
async def test_a_closing_time_past_any_calendar_gets_a_clear_answer(
    bot: StudyCircleBot, fake_discord: FakeDiscord, closes: str
) -> None:
    world = fake_discord.world
    created = await create_schedule(fake_discord, timezone="Pacific/Honolulu")
    assert "created" in created.embeds[0]["title"], created.text
    refused = await fake_discord.command(
        "vote open",
        {"question": "When?", "options": "a; b", "closes": closes},
        user=world.facilitator,
    )
    assert refused.ephemeral
    assert "at most 90 days" in refused.text, refused.text
    assert fake_discord.messages_in(world.general) == []


async def test_a_start_past_any_calendar_gets_a_clear_answer(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    refused = await create_schedule(
        fake_discord, start="9999-12-31", at="23:59", timezone="Pacific/Honolulu"
    )
    assert refused.ephemeral
    assert "at most two years from now" in refused.text, refused.text
    listed = await fake_discord.command("schedule list", user=fake_discord.world.facilitator)
    assert "no reading schedule yet" in listed.text


async def test_skipping_past_the_end_of_the_calendar_gets_a_clear_answer(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    created = await create_schedule(fake_discord, timezone="Pacific/Honolulu")
    assert "created" in created.embeds[0]["title"]
    # A schedule saved before starts were bounded, at the calendar's last day.
    async with bot.database.session() as session:
        await session.execute(
            update(Schedule).values(
                anchor=date(9999, 12, 30),
                next_post_at=datetime(9999, 12, 30, 9, 59, tzinfo=UTC),
            )
        )
    refused = await fake_discord.command(
        "schedule skip", {"schedule": "1"}, user=fake_discord.world.facilitator
    )
    assert refused.ephemeral
    assert "too far in the future" in refused.text, refused.text


async def test_an_upload_discord_cannot_serve_is_explained(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    upload = fake_discord.upload("notes.txt", "A short reading about reading together.")
    del fake_discord.uploads[upload.id]  # the link expired, or Discord's CDN failed
    refused = await fake_discord.command("reading add", {"file": upload}, user=world.facilitator)
    assert refused.ephemeral
    assert "couldn't download notes.txt from Discord" in refused.text, refused.text
    assert "Something went wrong" not in refused.text
    listed = await fake_discord.command("reading list", user=world.member)
    assert listed.embeds[0]["description"].count("#") == 1  # only the bundled reading
