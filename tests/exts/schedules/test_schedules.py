"""Reading schedules through the fake Discord: created by slash command, posted on time with
a thread holding the text, steered, and safe across a restart (joining and marking read are
the members' tests, `tests/exts/members`)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.app import StudyCircleBot
from bot.scheduling.clock import FakeClock
from bot.settings import Settings
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import running_bot
from tests.fakediscord.model import Overwrite, Perm


async def test_a_schedule_posts_section_one_with_its_thread_when_due(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    created = await create_schedule(fake_discord)
    assert created.ephemeral
    assert created.embeds[0]["title"] == "Schedule #1 created"
    assert "every Monday at 18:00 (Europe/Rome)" in str(created.embeds[0]["fields"])

    await advance_to(bot, clock, FIRST_DUE - timedelta(minutes=1))
    assert fake_discord.messages_in(world.reading) == []

    await advance_to(bot, clock, FIRST_DUE)
    [post] = fake_discord.messages_in(world.reading)
    embed = post.embeds[0]
    assert embed["title"] == "Introduction"
    assert embed["author"]["name"] == "Mass Organizations"
    assert embed["description"].startswith("**Section 1 of 10**")
    assert "Discussion prompts" in [f["name"] for f in embed["fields"]]
    assert post.nonce == "sc1p1"
    assert post.allowed_mentions == {"parse": []}
    buttons = [c["custom_id"] for row in post.components for c in row["components"]]
    assert buttons[0].startswith("sc:reflect:")
    assert buttons[1].startswith("sc:done:")

    [thread] = fake_discord.threads_in(world.reading)
    assert thread.id == post.id
    assert thread.name == "1 · Introduction"
    chunks = fake_discord.messages_in(thread)
    assert chunks
    assert all(len(m.content) <= 2000 for m in chunks)
    assert chunks[0].content.startswith("Introduction\n\nMass organizations differ")
    assert all(m.allowed_mentions == {"parse": []} for m in chunks)


async def test_pause_resume_and_skip_move_the_next_post(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    paused = await fake_discord.command("schedule pause", user=world.facilitator)
    assert "paused" in paused.text
    await advance_to(bot, clock, FIRST_DUE)
    assert fake_discord.messages_in(world.reading) == []

    await fake_discord.command("schedule resume", user=world.facilitator)
    skipped = await fake_discord.command("schedule skip", user=world.facilitator)
    assert "Skipped" in skipped.text
    await advance_to(bot, clock, FIRST_DUE + timedelta(days=7))
    assert fake_discord.messages_in(world.reading) == []
    await advance_to(bot, clock, FIRST_DUE + timedelta(days=14))
    assert len(fake_discord.messages_in(world.reading)) == 1

    status = await fake_discord.command("schedule status", user=world.member)
    progress = next(f for f in status.embeds[0]["fields"] if f["name"] == "Progress")
    assert progress["value"].startswith("1 of 10 sections posted, 9 left")


async def test_a_forum_channel_gets_a_forum_post_per_section(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord, channel=world.forum)
    await advance_to(bot, clock, FIRST_DUE)
    [post] = fake_discord.threads_in(world.forum)
    assert post.name == "1 · Introduction"
    messages = fake_discord.messages_in(post)
    assert messages[0].embeds[0]["title"] == "Introduction"
    assert len(messages) >= 2


async def test_a_missing_permission_is_named_and_nothing_is_saved(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    locked = await fake_discord.add_channel(
        "locked",
        overwrites=[Overwrite(world.bot_role.id, 0, deny=Perm.CREATE_PUBLIC_THREADS)],
    )
    refused = await create_schedule(fake_discord, channel=locked)
    assert refused.ephemeral
    assert "Create Public Threads" in refused.text
    listed = await fake_discord.command("schedule list", user=world.facilitator)
    assert "no reading schedule yet" in listed.text


async def test_members_cannot_create_schedules(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    refused = await fake_discord.command(
        "schedule create",
        {
            "reading": "1",
            "channel": fake_discord.world.reading,
            "start": "2027-03-01",
            "at": "18:00",
            "timezone": "Europe/Rome",
        },
        user=fake_discord.world.member,
    )
    assert refused.ephemeral
    assert "Only facilitators" in refused.text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timezone": "Mars/Base"}, "not a time zone"),
        ({"start": "1st of March"}, "YYYY-MM-DD"),
        ({"at": "25:00"}, "HH:MM"),
        ({"start": "2027-03-28", "at": "02:30"}, "does not exist in Europe/Rome"),
        ({"weekdays": "someday"}, "not a weekday"),
    ],
)
async def test_bad_schedule_options_get_a_clear_private_answer(
    bot: StudyCircleBot, fake_discord: FakeDiscord, options: dict[str, str], message: str
) -> None:
    refused = await create_schedule(fake_discord, **options)
    assert refused.ephemeral
    assert message in refused.text


async def test_a_restart_between_posts_neither_duplicates_nor_loses_one(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    async with running_bot(bot_settings, fake_discord, clock=clock) as first:
        await create_schedule(fake_discord, cadence="daily")
        await advance_to(first, clock, FIRST_DUE)
    # Down for two days: the default policy posts both missed sections, late.
    clock.set(FIRST_DUE + timedelta(days=2, hours=1))
    async with running_bot(bot_settings, fake_discord, clock=clock) as second:
        await second.scheduler.wait_idle()
        posts = fake_discord.messages_in(world.reading)
        assert [p.embeds[0]["title"] for p in posts] == [
            "Introduction",
            "No To Economicism",
            "Our Outlook",
        ]
        assert "late" in posts[1].embeds[0]["description"]
        assert [p.nonce for p in posts] == ["sc1p1", "sc1p2", "sc1p3"]


async def test_a_post_pings_the_circle_role_only_when_the_schedule_says_so(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord, ping=True)
    await fake_discord.command("join", user=world.member)
    [role] = [r for r in fake_discord.member_roles(world.member) if r.name.startswith("Circle")]
    await advance_to(bot, clock, FIRST_DUE)
    [post] = fake_discord.messages_in(world.reading)
    assert post.content == f"<@&{role.id}>"
    assert post.mention_roles == [role.id]
    assert post.mentions == []
    assert not post.mention_everyone
    for chunk in fake_discord.messages_in(fake_discord.threads_in(world.reading)[0]):
        assert chunk.mention_roles == []


async def test_a_post_that_keeps_failing_is_reported_to_the_facilitator(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    fake_discord.fail_next(
        "POST",
        f"/channels/{world.reading.id}/messages",
        403,
        times=100,
        code=50013,
        message="Missing Permissions",
    )
    moment = FIRST_DUE
    for _ in range(8):
        await advance_to(bot, clock, moment)
        moment += timedelta(minutes=31)
    assert fake_discord.messages_in(world.reading) == []
    [dm] = fake_discord.dm_messages(world.facilitator)
    assert "could not post the next section of schedule #1" in dm.content
    assert "Missing Permissions" in dm.content
    status = await fake_discord.command("schedule status", user=world.facilitator)
    next_post = next(f for f in status.embeds[0]["fields"] if f["name"] == "Next post")
    assert "<t:" in next_post["value"]


async def test_a_failing_post_of_a_creator_who_was_forgotten_is_logged_instead(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    asked = await fake_discord.command("forget-me", user=world.facilitator)
    question = asked.answer
    assert question is not None
    yes = next(c for c in question.custom_ids if c.startswith("sc:forget:yes:"))
    await fake_discord.click(question, yes, user=world.facilitator)
    await fake_discord.wait_until(
        lambda: question.content.startswith("Done."), what="the forget-me answer"
    )
    assert "made 1 schedule anonymous" in question.content
    fake_discord.fail_next(
        "POST",
        f"/channels/{world.reading.id}/messages",
        403,
        times=100,
        code=50013,
        message="Missing Permissions",
    )
    moment = FIRST_DUE
    with caplog.at_level(logging.ERROR, logger="bot"):
        for _ in range(8):
            await advance_to(bot, clock, moment)
            moment += timedelta(minutes=31)
    assert fake_discord.dm_messages(world.facilitator) == []
    [record] = [r for r in caplog.records if "has no creator to tell" in r.getMessage()]
    assert "could not post the next section of schedule #1" in record.getMessage()
    assert "Missing Permissions" in record.getMessage()
