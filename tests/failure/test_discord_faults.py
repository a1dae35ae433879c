"""Discord answering 429 or 5xx while a section is posted: retried, nothing lost, nothing
doubled, including when Discord did the work and only its answer was lost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import StudyCircleBot
from bot.reading.chunks import split_messages
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeChannel, FakeDiscord, FakeMessage

RETRY_AFTER_BACKOFF = timedelta(minutes=2)


async def _section_text(bot: StudyCircleBot, position: int = 1) -> list[str]:
    from sqlalchemy import select

    from bot.db.models import Section

    async with bot.database.session() as session:
        section = await session.scalar(
            select(Section).where(Section.position == position).order_by(Section.id).limit(1)
        )
        assert section is not None
        return split_messages(section.text)


async def _posted_once(
    bot: StudyCircleBot, fake: FakeDiscord, channel: FakeChannel
) -> tuple[FakeMessage, FakeChannel]:
    """The one announcement of section 1 and its thread, holding the full text once."""
    if channel.is_forum:
        [thread] = fake.threads_in(channel)
        announcement = next(m for m in fake.messages_in(thread) if m.id == thread.id)
    else:
        [announcement] = fake.messages_in(channel)
        [thread] = fake.threads_in(channel)
        assert thread.id == announcement.id
    assert announcement.embeds[0]["description"].startswith("**Section 1 of 10**")
    chunks = [m.content for m in fake.messages_in(thread) if m.id != thread.id]
    assert chunks == await _section_text(bot)
    status = await fake.command("schedule status", user=fake.world.member)
    progress = next(f for f in status.embeds[0]["fields"] if f["name"] == "Progress")
    assert progress["value"].startswith("1 of 10 sections posted")
    return announcement, thread


@pytest.mark.usefixtures("quick_server_error_retries")
@pytest.mark.parametrize("status", [429, 500])
async def test_a_failed_announcement_is_retried_and_posted_once(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock, status: int
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    fake_discord.fail_next("POST", f"/channels/{world.reading.id}/messages", status)

    await advance_to(bot, clock, FIRST_DUE)

    attempts = fake_discord.requests_to("POST", f"/channels/{world.reading.id}/messages")
    assert [r.status for r in attempts] == [status, 200]
    await _posted_once(bot, fake_discord, world.reading)


@pytest.mark.usefixtures("quick_server_error_retries")
async def test_a_500_after_discord_created_the_message_does_not_double_it(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    pattern = f"/channels/{world.reading.id}/messages"
    fake_discord.fail_next("POST", pattern, 500, after_handling=True)

    await advance_to(bot, clock, FIRST_DUE)

    # discord.py sent it again with the same nonce: Discord answered with the first message.
    first, second = fake_discord.requests_to("POST", pattern)
    assert first.status == 500
    assert first.json["nonce"] == second.json["nonce"] == "sc1p1"
    assert first.json["enforce_nonce"] is True
    await _posted_once(bot, fake_discord, world.reading)


@pytest.mark.usefixtures("quick_server_error_retries")
async def test_a_lost_answer_on_the_forum_posts_text_is_not_doubled(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord, channel=world.forum)
    # The forum post is created first; the next message is the first chunk of its text.
    fake_discord.fail_next("POST", "/channels/{id}/messages", 500, after_handling=True)

    await advance_to(bot, clock, FIRST_DUE)

    await _posted_once(bot, fake_discord, world.forum)


@pytest.mark.parametrize("status", [503, 429])
async def test_a_thread_discord_keeps_refusing_is_retried_by_the_scheduler(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock, status: int
) -> None:
    """discord.py gives up (503 is not retried; a 429 whose wait is too long is raised);
    the job fails, and its retry finds the announcement already posted."""
    world = fake_discord.world
    await create_schedule(fake_discord)
    fake_discord.fail_next(
        "POST", "/channels/{id}/messages/{message}/threads", status, retry_after=600.0
    )
    bot.http.max_ratelimit_timeout = 1.0  # what a long rate limit does: raise, not wait

    await advance_to(bot, clock, FIRST_DUE)
    assert fake_discord.threads_in(world.reading) == []
    await advance_to(bot, clock, FIRST_DUE + RETRY_AFTER_BACKOFF)

    await _posted_once(bot, fake_discord, world.reading)
    assert fake_discord.dm_messages(world.facilitator) == []  # not given up on
