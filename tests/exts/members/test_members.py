"""The members' commands through the fake Discord: `/join` (the circle's role and the section's
thread, answered first), Done and `/done`, `/progress` and `/catchup`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import StudyCircleBot
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord


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
