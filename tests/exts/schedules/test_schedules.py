"""Reading schedules through the fake Discord: created by slash command, posted on time with
a thread holding the text, joined, marked read, steered, and safe across a restart."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

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


async def test_join_gives_the_circle_role_and_done_marks_progress(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    [post] = fake_discord.messages_in(world.reading)

    joined = await fake_discord.command("join", user=world.member)
    assert joined.ephemeral
    assert "circle of schedule #1" in joined.text
    assert any(
        r.name.startswith("Circle · Mass Organizations")
        for r in fake_discord.member_roles(world.member)
    )
    [thread] = fake_discord.threads_in(world.reading)
    assert world.member.id in thread.thread_members

    done_id = next(
        c["custom_id"]
        for row in post.components
        for c in row["components"]
        if c["custom_id"].startswith("sc:done:")
    )
    clicked = await fake_discord.click(post, done_id, user=world.member)
    assert clicked.ephemeral
    assert "Marked section 1 (Introduction) as read" in clicked.text
    assert "caught up" in clicked.text

    progress = await fake_discord.command("progress", user=world.member)
    assert progress.ephemeral
    assert "✅" in progress.embeds[0]["description"]
    catchup = await fake_discord.command("catchup", user=world.member)
    assert "Nothing to catch up on" in catchup.embeds[0]["description"]


@pytest.fixture
async def section_posted(bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock) -> None:
    """A schedule made and its first section posted, with its thread: where `/join` adds."""
    await create_schedule(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)


@pytest.mark.usefixtures("section_posted")
async def test_join_answers_first_then_asks_for_the_role_and_the_thread_at_once(
    fake_discord: FakeDiscord,
) -> None:
    world = fake_discord.world
    fake_discord.hold_next("PUT", "/guilds/{g}/members/{u}/roles/{r}", 1.0)
    since = fake_discord.mark()

    joined = await fake_discord.command("join", user=world.member)

    assert "I'm giving you the" in joined.text
    assert "I'm adding you to the current section's thread" in joined.text
    assert len(joined.messages) == 1
    [answer] = fake_discord.requests_to("POST", "/interactions/{i}/{t}/callback", since=since)
    [role] = fake_discord.requests_to("PUT", "/guilds/{g}/members/{u}/roles/{r}", since=since)
    [thread] = fake_discord.requests_to("PUT", "/channels/{c}/thread-members/{u}", since=since)
    # The member heard before Discord was asked for the role, and the thread's request did
    # not wait for Discord's slow answer to the role's.
    assert answer.at <= role.at
    assert thread.at - role.at < 0.5
    assert any(r.name.startswith("Circle") for r in fake_discord.member_roles(world.member))


@pytest.mark.parametrize(
    ("role_error", "thread_error"),
    [((403, 50013), (404, 10003)), ((404, 10011), (400, 50083))],
    ids=["forbidden and unknown thread", "unknown role and archived meanwhile"],
)
@pytest.mark.usefixtures("section_posted")
async def test_a_role_or_thread_that_fails_after_the_answer_is_told_in_a_second_message(
    fake_discord: FakeDiscord, role_error: tuple[int, int], thread_error: tuple[int, int]
) -> None:
    world = fake_discord.world
    status, code = role_error
    fake_discord.fail_next("PUT", "/guilds/{g}/members/{u}/roles/{r}", status, code=code)
    status, code = thread_error
    fake_discord.fail_next("PUT", "/channels/{c}/thread-members/{u}", status, code=code)

    joined = await fake_discord.command("join", user=world.member)

    first, second = joined.messages
    assert "You're in the circle of schedule #1." in first.content
    assert all(m.flags & 64 for m in (first, second))  # both private
    assert second.content.splitlines() == [
        "I couldn't give you the circle role after all: try `/join` again in a while.",
        "I couldn't add you to the current section's thread after all: open "
        f"<#{fake_discord.threads_in(world.reading)[0].id}> from the section's post to "
        "follow it.",
    ]  # and no error id: Discord refused, nothing broke
    assert not any(r.name.startswith("Circle") for r in fake_discord.member_roles(world.member))
    listed = await fake_discord.command("progress", user=world.member)
    assert "You've read 0 of the 1 section" in listed.embeds[0]["description"]  # a member


@pytest.mark.usefixtures("section_posted")
async def test_join_again_with_the_role_asks_for_no_role_and_answers_once(
    fake_discord: FakeDiscord,
) -> None:
    world = fake_discord.world
    await fake_discord.command("join", user=world.member)
    since = fake_discord.mark()

    again = await fake_discord.command("join", user=world.member)

    [answer] = again.messages
    assert answer.content.startswith("You were already in the circle of schedule #1.")
    assert "role" not in answer.content
    assert fake_discord.requests_to("PUT", "/guilds/{g}/members/{u}/roles/{r}", since=since) == []


@pytest.mark.usefixtures("section_posted")
async def test_a_role_above_mine_is_told_in_the_answer_and_not_asked_for(
    fake_discord: FakeDiscord,
) -> None:
    world = fake_discord.world
    await fake_discord.command("join", user=world.member)  # the circle's role is made
    [circle] = [r for r in fake_discord.member_roles(world.member) if r.name.startswith("Circle")]
    circle.position = world.bot_role.position + 1
    await fake_discord.dispatch(
        "GUILD_ROLE_UPDATE",
        {"guild_id": str(world.guild.id), "role": circle.payload()},
        guild_id=world.guild.id,
    )
    since = fake_discord.mark()

    joined = await fake_discord.command("join", user=world.other_member)

    [answer] = joined.messages
    assert "I can't give you the circle role: my role must be above it." in answer.content
    assert fake_discord.requests_to("PUT", "/guilds/{g}/members/{u}/roles/{r}", since=since) == []


@pytest.mark.usefixtures("section_posted")
async def test_join_while_the_sections_thread_is_archived_links_it_and_promises_nothing(
    fake_discord: FakeDiscord,
) -> None:
    world = fake_discord.world
    [thread] = fake_discord.threads_in(world.reading)
    thread.archived = True
    await fake_discord.update_channel(thread)
    since = fake_discord.mark()

    joined = await fake_discord.command("join", user=world.member)

    [answer] = joined.messages
    assert f"The current section's thread: <#{thread.id}>." in answer.content
    assert "adding you" not in answer.content
    assert fake_discord.requests_to("PUT", "/channels/{c}/thread-members/{u}", since=since) == []


@pytest.mark.usefixtures("section_posted")
async def test_join_whose_answer_fails_still_gives_the_role_and_the_thread(
    fake_discord: FakeDiscord,
) -> None:
    world = fake_discord.world
    fake_discord.fail_next("POST", "/interactions/{i}/{t}/callback", 404, code=10062)
    since = fake_discord.mark()

    with pytest.raises(AssertionError, match="waiting for the bot to answer"):
        await fake_discord.command("join", user=world.member, timeout=1.0)

    await fake_discord.wait_for_request("PUT", "/channels/{c}/thread-members/{u}", since=since)
    await fake_discord.wait_until(
        lambda: any(r.name.startswith("Circle") for r in fake_discord.member_roles(world.member)),
        what="the circle role",
    )


async def test_done_by_command_and_catchup_list_what_is_unread(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await create_schedule(fake_discord, cadence="daily")
    for day in (1, 2, 3):
        await advance_to(bot, clock, datetime(2027, 3, day, 17, 0, tzinfo=UTC))
    assert len(fake_discord.messages_in(world.reading)) == 3
    await fake_discord.command("join", user=world.member)
    done = await fake_discord.command("done", {"section": 2}, user=world.member)
    assert "Marked section 2" in done.text
    assert "2 posted sections left" in done.text
    catchup = await fake_discord.command("catchup", user=world.member)
    description = catchup.embeds[0]["description"]
    assert "1. Introduction" in description
    assert "3. Our Outlook" in description
    assert "2. No To Economicism" not in description


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
