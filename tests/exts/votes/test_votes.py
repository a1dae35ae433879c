"""Votes through the fake Discord: opened by slash command, ballots by buttons, menus and a
private ranked ballot, changed but never counted twice, refused for non-members and after the
close, closed on time across a restart, secret ballots unlinkable, results, and export; and
the files a ballot click runs, as CONTRIBUTING.md lists them."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import hashlib
import hmac
import io
import logging
import re
import sqlite3
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

import discord
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from bot.app import StudyCircleBot
from bot.db.engine import make_engine
from bot.db.models import Ballot, Vote
from bot.exts.features import DigestContributor
from bot.exts.interactions import DEFER_AT
from bot.exts.votes import render as vote_render
from bot.exts.votes.cog import VotesCog
from bot.exts.votes.live_tally import LiveTally
from bot.scheduling.clock import FakeClock
from bot.services.features import MemberData
from bot.services.votes.service import CLOSED_BALLOTS, OPEN_BALLOTS, TOPICS, VOTES
from bot.settings import Settings
from tests.clocked import FIRST_DUE, START, advance_to, instant_tallies
from tests.exts.votes.helpers import open_vote, start_circle
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import running_bot
from tests.fakediscord.interactions import CallbackType
from tests.fakediscord.model import FakeMessage

REPOSITORY = Path(__file__).resolve().parents[3]

# Monday 1 March 2027, 09:00 in Rome; the first section posts at 18:00 there (17:00 UTC).
# Long enough that the answer cannot be the acknowledgement.
ANSWER_SLOWER_THAN_DEFER = DEFER_AT + 0.3


def _ids(message: FakeMessage, prefix: str) -> list[str]:
    return [c for c in message.custom_ids if c.startswith(prefix)]


async def test_members_approve_options_privately_and_may_change_their_ballot(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    message = await open_vote(fake_discord)
    assert message.embeds[0]["title"] == "Vote #1 · What should we discuss next?"
    assert message.allowed_mentions == {"parse": []}
    [menu] = _ids(message, "sc:vote:1:approve")
    component = message.component(menu)
    assert component is not None
    assert [o["label"] for o in component["options"]] == ["1. Tactics", "2. History", "3. Theory"]
    assert (component["min_values"], component["max_values"]) == (1, 3)

    first = await fake_discord.choose(message, menu, ["0", "2"], user=world.member)
    assert first.ephemeral
    assert "is counted: 1. Tactics, 3. Theory" in first.text
    second = await fake_discord.choose(message, menu, ["1"], user=world.member)
    assert "is changed: 2. History" in second.text

    await instant_tallies(bot).live.idle()
    tally = message.embeds[0]["description"]
    assert "**2. History**\n`██████████` 1 (100%)" in tally
    assert "**1. Tactics**\n`░░░░░░░░░░` 0 (0%)" in tally
    ballots = next(f for f in message.embeds[0]["fields"] if f["name"] == "Ballots so far")
    assert ballots["value"] == "1 of 1 members"


@pytest.mark.parametrize(
    ("results", "shown"), [("live", "results shown live"), ("hidden", "results hidden until")]
)
async def test_the_results_option_shows_the_tally_live_or_hides_it_until_the_close(
    bot: StudyCircleBot, fake_discord: FakeDiscord, results: str, shown: str
) -> None:
    await start_circle(fake_discord)
    message = await open_vote(fake_discord, results=results)
    ballot = next(f for f in message.embeds[0]["fields"] if f["name"] == "Ballot")
    assert shown in ballot["value"]


async def test_single_choice_buttons_count_one_ballot_per_member(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    message = await open_vote(fake_discord, method="single")
    buttons = _ids(message, "sc:vote:1:pick:")
    assert len(buttons) == 3
    first_button = message.component(buttons[0])
    assert first_button is not None
    assert first_button["label"] == "1. Tactics"
    await fake_discord.click(message, buttons[0], user=world.member)
    again = await fake_discord.click(message, buttons[0], user=world.member)
    assert "is changed: 1. Tactics" in again.text
    await instant_tallies(bot).live.idle()
    assert "`██████████` 1 (100%)" in message.embeds[0]["description"]
    ballots = next(f for f in message.embeds[0]["fields"] if f["name"] == "Ballots so far")
    assert ballots["value"] == "1 of 1 members"


async def _single_choice_vote(fake: FakeDiscord) -> tuple[FakeMessage, str]:
    """A single-choice vote of `member`'s circle: its message and its first option's button."""
    await start_circle(fake)
    message = await open_vote(fake, method="single")
    return message, _ids(message, "sc:vote:1:pick:")[0]


async def test_a_quick_ballot_is_answered_in_one_request(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    message, first = await _single_choice_vote(fake_discord)
    clicked = await fake_discord.click(message, first, user=fake_discord.world.member)
    assert clicked.callback_type == CallbackType.CHANNEL_MESSAGE
    assert clicked.ephemeral
    assert "is counted: 1. Tactics" in clicked.text
    assert len(clicked.requests) == 1


async def test_a_ballot_that_arrives_late_is_acknowledged_first_then_answered(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    """An event that waited in a queue (a burst of clicks ahead of it) is deferred at once."""
    message, first = await _single_choice_vote(fake_discord)
    payload = fake_discord.payloads.button(message, first, user=fake_discord.world.member)
    created = datetime.now(UTC) - timedelta(seconds=2)
    payload["id"] = str(discord.utils.time_snowflake(created))
    clicked = await fake_discord.interact(payload)
    assert clicked.deferred
    assert clicked.ephemeral
    assert "is counted: 1. Tactics" in (await clicked.wait_for_answer()).content


async def test_a_slow_ballot_is_deferred_before_discords_limit_and_answered_after(
    bot: StudyCircleBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    message, first = await _single_choice_vote(fake_discord)
    service = bot.services.votes
    cast = service.ballots.cast

    async def slow_cast(*args: Any, **kwargs: Any) -> Any:
        await asyncio.sleep(ANSWER_SLOWER_THAN_DEFER)
        return await cast(*args, **kwargs)

    monkeypatch.setattr(service.ballots, "cast", slow_cast)
    clicked = await fake_discord.click(message, first, user=fake_discord.world.member, timeout=10)
    assert clicked.deferred
    assert clicked.ephemeral
    assert "is counted: 1. Tactics" in clicked.text
    async with bot.database.session() as session:
        assert len(list(await session.scalars(select(Ballot)))) == 1


async def test_a_non_member_is_refused_clearly(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    await start_circle(fake_discord)
    message = await open_vote(fake_discord, method="single")
    refused = await fake_discord.click(
        message, "sc:vote:1:pick:1", user=fake_discord.world.other_member
    )
    assert refused.ephemeral
    assert "Join the circle with `/join` first" in refused.text


async def _shows(
    fake: FakeDiscord, message: FakeMessage, text: str, *, exactly_last: bool = False
) -> None:
    """Wait for the bot's edit of `message` (an update may follow its acknowledgement)."""

    def shown() -> bool:
        if exactly_last:
            return message.content.rstrip().endswith(text) and "2. " not in message.content
        return text in message.content

    await fake.wait_until(shown, what=f"the ballot to show {text!r}")


async def test_a_ranked_ballot_is_built_privately_and_can_be_changed(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    message = await open_vote(fake_discord, method="ranked")
    assert _ids(message, "sc:vote:") == ["sc:vote:1:rank"]

    opened = await fake_discord.click(message, "sc:vote:1:rank", user=world.member)
    assert opened.ephemeral
    ballot = opened.answer
    assert ballot is not None
    assert "Nothing ranked yet" in ballot.content
    await fake_discord.choose(ballot, "sc:rank:1::add", ["2"], user=world.member)
    await _shows(fake_discord, ballot, "1. Theory")
    await fake_discord.choose(ballot, "sc:rank:1:2:add", ["0"], user=world.member)
    await _shows(fake_discord, ballot, "1. Theory\n2. Tactics")
    await fake_discord.click(ballot, "sc:rank:1:20:undo", user=world.member)
    await _shows(fake_discord, ballot, "1. Theory", exactly_last=True)
    await fake_discord.choose(ballot, "sc:rank:1:2:add", ["1"], user=world.member)
    await _shows(fake_discord, ballot, "1. Theory\n2. History")
    submitted = await fake_discord.click(ballot, "sc:rank:1:21:submit", user=world.member)
    await _shows(fake_discord, ballot, "Your ballot is counted")
    assert "1. Theory\n2. History" in ballot.content
    assert ballot.components == []
    assert submitted.requests

    # Opening the ballot again starts from the one cast.
    reopened = await fake_discord.click(message, "sc:vote:1:rank", user=world.member)
    assert reopened.answer is not None
    assert "sc:rank:1:21:submit" in reopened.answer.custom_ids
    await fake_discord.click(reopened.answer, "sc:rank:1:21:clear", user=world.member)
    await _shows(fake_discord, reopened.answer, "Nothing ranked yet")
    await fake_discord.choose(reopened.answer, "sc:rank:1::add", ["0"], user=world.member)
    await _shows(fake_discord, reopened.answer, "1. ")
    await fake_discord.click(reopened.answer, "sc:rank:1:0:submit", user=world.member)
    await _shows(fake_discord, reopened.answer, "Your ballot is counted")
    async with bot.database.session() as session:
        assert list(await session.scalars(select(Ballot.choice))) == [[0]]


async def test_menu_values_no_menu_offers_are_refused_kindly_and_log_no_bug(
    bot: StudyCircleBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    approval = await open_vote(fake_discord)
    ranked = await open_vote(fake_discord, method="ranked")
    ballot = (await fake_discord.click(ranked, "sc:vote:2:rank", user=world.member)).answer
    assert ballot is not None
    not_an_option = "Choose from the menu's options."
    not_on_the_vote = "That option is not on this vote."
    forged = {
        ("²",): not_an_option,  # a digit to str.isdigit(), which int() refuses
        ("first",): not_an_option,
        ("0", "-1"): not_an_option,
        ("3",): not_on_the_vote,
        ("999999999999999999",): not_on_the_vote,
    }
    with caplog.at_level(logging.ERROR, logger="bot"):
        for message, custom_id in ((approval, "sc:vote:1:approve"), (ballot, "sc:rank:2::add")):
            for values, said in forged.items():
                # What no Discord client sends: values the menu does not offer.
                payload = fake_discord.payloads.select(message, custom_id, ["0"], user=world.member)
                payload["data"]["values"] = list(values)
                refused = await fake_discord.interact(payload)
                assert refused.ephemeral, (custom_id, values)
                assert refused.text == said, (custom_id, values)
    assert [r for r in caplog.records if r.name.startswith("bot")] == []
    async with bot.database.session() as session:
        assert list(await session.scalars(select(Ballot.id))) == []
    assert "Nothing ranked yet" in ballot.content


async def test_a_ballot_after_the_close_is_refused_and_the_result_is_posted(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    message = await open_vote(fake_discord, method="ranked")
    ballot = (await fake_discord.click(message, "sc:vote:1:rank", user=world.member)).answer
    assert ballot is not None
    await fake_discord.choose(ballot, "sc:rank:1::add", ["1"], user=world.member)
    await _shows(fake_discord, ballot, "1. ")

    refused = await fake_discord.command("vote close", {"vote": "1"}, user=world.member)
    assert "Only the member who opened a vote, or a facilitator" in refused.text
    closed = await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)
    assert "is closed" in closed.text

    late = await fake_discord.click(ballot, "sc:rank:1:1:submit", user=world.member)
    answer = late.answer  # refused at once: the refusal is the response
    assert answer is not None
    assert answer.ephemeral
    closed_at = int(START.timestamp())  # closed by hand, on the fake clock
    said = f"This vote (#1) closed <t:{closed_at}:F>: your ballot was not counted."
    assert said in answer.content
    # A step of the ranking after the close is told the same.
    step = await fake_discord.choose(ballot, "sc:rank:1:1:add", ["2"], user=world.member)
    assert step.answer is not None
    assert said in step.answer.content
    [vote_message, result] = fake_discord.messages_in(world.general)
    assert vote_message.components == []
    assert "This vote is closed" in vote_message.embeds[0]["description"]
    assert result.embeds[0]["title"] == "Result · Vote #1 · What should we discuss next?"
    assert result.nonce == "vr1"
    assert result.message_reference is not None
    assert int(result.message_reference["message_id"]) == vote_message.id
    assert "No decision: nobody voted." in result.embeds[0]["description"]
    again = await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)
    assert "already closed" in again.text


async def test_a_vote_closes_on_time_across_a_restart_with_one_result(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    async with running_bot(bot_settings, fake_discord, clock=clock) as first:
        instant_tallies(first)
        await start_circle(fake_discord)
        message = await open_vote(fake_discord, closes="2h", quorum=100)
        await fake_discord.choose(message, "sc:vote:1:approve", ["0", "1"], user=world.member)
        await advance_to(first, clock, START + timedelta(hours=1, minutes=59))
        assert len(fake_discord.messages_in(world.general)) == 1
    clock.set(START + timedelta(hours=3))
    async with running_bot(bot_settings, fake_discord, clock=clock) as second:
        await second.scheduler.wait_idle()
        results = [m for m in fake_discord.messages_in(world.general) if m.nonce == "vr1"]
        assert len(results) == 1
        embed = results[0].embeds[0]
        assert "Tie at the top: “Tactics” and “History” (1 each)." in embed["description"]
        assert "wins on the tie-break" in embed["description"]
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert fields["Quorum"] == "Quorum met: 1 of 1 members voted, 1 needed (100%)."
        assert fields["Turnout"] == "1 ballot from 1 members (100%)"
        assert "Approval" in fields["How it was decided"]
        posts = fake_discord.requests_to("POST", f"/channels/{world.general.id}/messages")
        assert sum(1 for r in posts if (r.json or {}).get("nonce") == "vr1") == 1


async def test_secret_ballots_hide_results_and_cannot_be_linked_after_the_close(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    message = await open_vote(fake_discord, method="single", secret=True)
    await fake_discord.click(message, "sc:vote:1:pick:0", user=world.member)
    await fake_discord.click(message, "sc:vote:1:pick:2", user=world.other_member)
    await instant_tallies(bot).live.idle()
    embed = message.embeds[0]
    assert "`" not in embed["description"]  # no bars while open
    assert "secret" in str(embed["fields"])
    await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)

    async with bot.database.session() as session:
        vote = await session.get_one(Vote, 1)
        keys = list(await session.scalars(select(Ballot.voter_key)))
    assert vote.secret_key is None
    assert len(keys) == 2
    for user in (world.member, world.other_member):
        assert all(str(user.id) not in key for key in keys)
    result = fake_discord.messages_in(world.general)[-1]
    assert "Tie at the top" in result.embeds[0]["description"]


@contextlib.asynccontextmanager
async def _reader(database_url: str) -> AsyncIterator[None]:
    """Another program reading the database in one transaction (a backup tool, a shell)."""
    if database_url.startswith("sqlite"):
        reader = sqlite3.connect(str(make_url(database_url).database), isolation_level=None)
        try:
            reader.execute("BEGIN")
            assert reader.execute("SELECT count(*) FROM ballots").fetchone() is not None
            yield
        finally:
            reader.execute("ROLLBACK")
            reader.close()
        return
    engine = make_engine(database_url).execution_options(isolation_level="REPEATABLE READ")
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT count(*) FROM ballots"))
            yield
    finally:
        await engine.dispose()


def _database_files(database_url: str) -> bytes:
    path = Path(str(make_url(database_url).database))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


async def test_a_secret_vote_closed_while_another_program_reads_leaves_no_link_once_it_is_done(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock, database_url: str
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    message = await open_vote(fake_discord, method="single", secret=True)
    # Ballots one after the other: each writes the vote's row, and its key, anew.
    for n in range(6):
        user = world.member if n % 2 == 0 else world.other_member
        await fake_discord.click(message, f"sc:vote:1:pick:{n % 3}", user=user)
    # What a copy of the database taken now holds: the key, and each member's ballot key.
    async with bot.database.session() as session:
        key = (await session.get_one(Vote, 1)).secret_key
        copied = set(await session.scalars(select(Ballot.voter_key)))
    assert key is not None
    members = (world.member, world.other_member)
    linked = {hmac.new(key, str(u.id).encode(), hashlib.sha256).hexdigest() for u in members}
    assert copied == linked

    async with _reader(database_url):
        closed = await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)
        assert "is closed" in closed.text
        for n in range(20):  # the bot goes on writing meanwhile
            await fake_discord.command("topic propose", {"text": f"Topic {n}"}, user=world.member)
        if database_url.startswith("sqlite"):
            # While it reads, the old pages it may need stay in the write-ahead log.
            assert key in _database_files(database_url)
    # The reader is gone: the bot tries again within a minute and erases what is left.
    await advance_to(bot, clock, clock.now() + timedelta(minutes=1))

    async with bot.database.session() as session:
        keys_now = set(await session.scalars(select(Ballot.voter_key)))
        assert (await session.get_one(Vote, 1)).secret_key is None
    assert len(keys_now) == 2
    # Re-keyed at the close: the copy's keys find no ballot in the closed vote.
    assert not keys_now & copied
    if database_url.startswith("sqlite"):
        raw = _database_files(database_url)
        assert key not in raw
        for old in copied:
            assert old.encode() not in raw


async def test_a_motion_with_a_block_fails_and_the_reason_is_heard(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    proposed = await fake_discord.command(
        "motion propose", {"text": "We read two sections a week."}, user=world.member
    )
    assert "Motion #1 is open" in proposed.text
    message = fake_discord.messages_in(world.general)[-1]
    assert message.embeds[0]["title"] == "Motion #1"
    await fake_discord.click(message, "sc:vote:1:stance:agree", user=world.member)
    opened = await fake_discord.click(message, "sc:vote:1:stance:block", user=world.other_member)
    assert opened.modal is not None
    blocked = await fake_discord.submit_modal(opened, {"reason": "Newcomers fall behind."})
    assert "✋ Block (reason: Newcomers fall behind.)" in blocked.text

    closed = await fake_discord.command("vote close", {"vote": "1"}, user=world.member)
    assert "is closed" in closed.text
    result = fake_discord.messages_in(world.general)[-1].embeds[0]
    assert "**The motion fails.**" in result["description"]
    decided = next(f["value"] for f in result["fields"] if f["name"] == "How it was decided")
    assert "a block stops the motion" in decided
    assert f"<@{world.other_member.id}>: Newcomers fall behind." in decided


async def _motion(fake: FakeDiscord) -> FakeMessage:
    """Motion #1, proposed by `member`, with `other_member` in the circle too."""
    await start_circle(fake)
    await fake.command("join", user=fake.world.other_member)
    await fake.command(
        "motion propose", {"text": "We read two sections a week."}, user=fake.world.member
    )
    return fake.messages_in(fake.world.general)[-1]


async def test_two_members_blocking_one_motion_at_once_both_have_their_block_counted(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    message = await _motion(fake_discord)
    first = await fake_discord.click(message, "sc:vote:1:stance:block", user=world.member)
    second = await fake_discord.click(message, "sc:vote:1:stance:block", user=world.other_member)
    assert first.modal is not None
    assert second.modal is not None
    assert first.modal["custom_id"] == second.modal["custom_id"] == "sc:vote:1:block"

    # The member who opened the modal first submits first, and the other after them.
    one = await fake_discord.submit_modal(first, {"reason": "Too fast for me."})
    two = await fake_discord.submit_modal(second, {"reason": "Newcomers fall behind."})
    assert "✋ Block (reason: Too fast for me.)" in one.text
    assert "✋ Block (reason: Newcomers fall behind.)" in two.text

    await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)
    result = fake_discord.messages_in(world.general)[-1].embeds[0]
    decided = next(f["value"] for f in result["fields"] if f["name"] == "How it was decided")
    assert f"<@{world.member.id}>: Too fast for me." in decided
    assert f"<@{world.other_member.id}>: Newcomers fall behind." in decided


async def test_a_block_reason_written_across_a_restart_is_counted(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    async with running_bot(bot_settings, fake_discord, clock=clock):
        message = await _motion(fake_discord)
        opened = await fake_discord.click(message, "sc:vote:1:stance:block", user=world.member)
    async with running_bot(bot_settings, fake_discord, clock=clock):
        blocked = await fake_discord.submit_modal(opened, {"reason": "Written while you slept."})
        assert "✋ Block (reason: Written while you slept.)" in blocked.text


async def test_export_gives_results_and_ballots_without_names_for_secret_votes(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await open_vote(fake_discord, secret=True)
    message = fake_discord.messages_in(world.general)[-1]
    await fake_discord.choose(message, "sc:vote:1:approve", ["0", "2"], user=world.member)
    early = await fake_discord.command("vote export", {"vote": "1"}, user=world.facilitator)
    assert "still open" in early.text
    await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)

    refused = await fake_discord.command("vote export", {"vote": "1"}, user=world.member)
    assert "Only facilitators" in refused.text
    exported = await fake_discord.command("vote export", {"vote": "1"}, user=world.facilitator)
    assert exported.ephemeral
    assert exported.answer is not None
    files = {a.filename: a.data.decode() for a in exported.answer.attachments}
    assert set(files) == {"vote-1-results.csv", "vote-1-ballots.csv"}
    results = list(csv.reader(io.StringIO(files["vote-1-results.csv"])))
    assert results[1][:3] == ["1", "Tactics", "1"]
    ballots = list(csv.reader(io.StringIO(files["vote-1-ballots.csv"])))
    assert ballots == [["ballot", "1. Tactics", "2. History", "3. Theory"], ["1", "1", "0", "1"]]
    assert str(world.member.id) not in files["vote-1-ballots.csv"]


async def test_the_reminder_pings_non_voters_of_open_ballots_and_names_nobody_when_secret(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    public = await open_vote(fake_discord, closes="4h", reminder="ping")
    secret = await open_vote(fake_discord, closes="4h", reminder="ping", secret=True)
    for message in (public, secret):
        menu = _ids(message, "sc:vote:")[0]
        await fake_discord.choose(message, menu, ["0"], user=world.member)

    await advance_to(bot, clock, START + timedelta(hours=2, minutes=59))
    assert len(fake_discord.messages_in(world.general)) == 2
    await advance_to(bot, clock, START + timedelta(hours=3))
    reminders = [m for m in fake_discord.messages_in(world.general) if not m.embeds]
    by_nonce = {m.nonce: m for m in reminders}
    assert set(by_nonce) == {"vm1", "vm2"}
    ping = by_nonce["vm1"]
    assert ping.content.endswith(f"Not voted yet: <@{world.other_member.id}>")
    assert [u.id for u in ping.mentions] == [world.other_member.id]
    count = by_nonce["vm2"]
    assert "1 member of the circle has not voted yet" in count.content
    assert "<@" not in count.content
    assert count.allowed_mentions == {"parse": []}


async def test_topics_are_voted_on_and_the_winner_leads_the_next_section_post(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await advance_to(bot, clock, FIRST_DUE)
    [thread] = fake_discord.threads_in(world.reading)
    proposed = await fake_discord.command(
        "topic propose", {"text": "Who sets the agenda?"}, user=world.member, channel=thread
    )
    assert "Topic #1 is proposed" in proposed.text
    await fake_discord.command(
        "topic propose", {"text": "Money and dues"}, user=world.other_member, channel=thread
    )
    await fake_discord.command(
        "topic propose", {"text": "money and dues"}, user=world.member, channel=thread
    )
    listed = await fake_discord.command("topic list", user=world.member, channel=thread)
    assert "**#1** Who sets the agenda?" in listed.embeds[0]["description"]
    assert "**#2** Money and dues" in listed.embeds[0]["description"]

    opened = await fake_discord.command(
        "vote open",
        {"question": "What do we discuss on Monday?", "closes": "2d"},
        user=world.facilitator,
        channel=thread,
    )
    assert "is open" in opened.text
    message = fake_discord.messages_in(thread)[-1]
    menu = message.component("sc:vote:1:approve")
    assert menu is not None
    assert [o["label"] for o in menu["options"]] == ["1. Who sets the agenda?", "2. Money and dues"]
    await fake_discord.choose(message, "sc:vote:1:approve", ["0"], user=world.member)
    await advance_to(bot, clock, FIRST_DUE + timedelta(days=2))
    result = fake_discord.messages_in(thread)[-1].embeds[0]
    assert "**“Who sets the agenda?” wins.**" in result["description"]
    assert "The winning topic will lead the next session." in result["description"]

    await advance_to(bot, clock, FIRST_DUE + timedelta(days=7))
    second = fake_discord.messages_in(world.reading)[-1].embeds[0]
    assert second["description"].startswith("**Section 2 of 10**")
    focus = next(f for f in second["fields"] if f["name"] == "Focus for this session")
    assert focus["value"] == "Who sets the agenda?"
    after = await fake_discord.command("topic list", user=world.member, channel=thread)
    assert "Who sets the agenda?" not in after.embeds[0]["description"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"options": "; ".join(f"o{i}" for i in range(26))}, "at most 25 options"),
        ({"options": "x" * 81 + "; y"}, "Option 1 is 81 characters"),
        ({"options": "Only one"}, "at least two options"),
        ({"closes": "2027-03-28 02:30"}, "does not exist in Europe/Rome"),
        ({"closes": "2027-02-28 18:00"}, "is in the past"),
        ({"closes": "whenever"}, "not a duration or a date and time I can read"),
        ({"min_choices": 3, "max_choices": 2}, "the minimum no higher than the maximum"),
        ({"method": "ranked", "max_choices": 2}, "for approval votes only"),
    ],
)
async def test_bad_vote_options_get_a_clear_private_answer(
    bot: StudyCircleBot, fake_discord: FakeDiscord, options: dict[str, object], message: str
) -> None:
    await start_circle(fake_discord)
    values: dict[str, object] = {"question": "Q?", "options": "a; b; c", **options}
    refused = await fake_discord.command("vote open", values, user=fake_discord.world.facilitator)
    assert refused.ephemeral
    assert message in refused.text
    assert fake_discord.messages_in(fake_discord.world.general) == []


async def test_a_closing_time_that_cannot_be_read_is_repeated_escaped_on_one_line(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    await start_circle(fake_discord)
    values = {
        "question": "Q?",
        "options": "a; b",
        "closes": "# **soon** [ish](http://x)\n@everyone",
    }
    refused = await fake_discord.command("vote open", values, user=fake_discord.world.facilitator)
    assert refused.ephemeral
    shown = r"\# \*\*soon\*\* \[ish\](http://x) @" + "\u200beveryone"
    assert refused.text.startswith(f"“{shown}” is not a duration or a date and time I can read.")
    assert fake_discord.messages_in(fake_discord.world.general) == []


async def test_live_tallies_coalesce_a_burst_of_ballots_into_few_edits(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    message = await open_vote(fake_discord, method="single")
    cog = instant_tallies(bot)
    # Long enough that the three clicks fall inside one interval on any machine: the first
    # ballot's edit goes out at once, the other two share the next, which comes when the
    # interval is over (cut short here, once the clicks are in).
    cog.live.interval = 60.0
    edits = f"/channels/{world.general.id}/messages/{message.id}"
    mark = fake_discord.mark()
    for user, button in [(world.member, 0), (world.other_member, 1), (world.member, 2)]:
        await fake_discord.click(message, f"sc:vote:1:pick:{button}", user=user)
    cog.live.interval = 0.0
    await cog.live.idle()
    patches = fake_discord.requests_to("PATCH", edits, since=mark)
    assert 1 <= len(patches) <= 2
    description = message.embeds[0]["description"]
    assert "**2. History**\n`█████░░░░░` 1 (50%)" in description
    assert "**3. Theory**\n`█████░░░░░` 1 (50%)" in description


async def test_a_crash_after_the_result_was_posted_does_not_post_it_twice(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    await open_vote(fake_discord, closes="1h")
    service = bot.services.votes
    real = service.closing.finish_close
    crashes = [RuntimeError("the process died")]

    async def finish_once(vote_id: int, message_id: int | None) -> None:
        if crashes:
            raise crashes.pop()
        await real(vote_id, message_id)

    monkeypatch.setattr(service.closing, "finish_close", finish_once)
    await advance_to(bot, clock, START + timedelta(hours=1))
    await advance_to(bot, clock, START + timedelta(hours=1, minutes=5))  # the retry, after backoff
    results = [m for m in fake_discord.messages_in(world.general) if m.nonce == "vr1"]
    assert len(results) == 1
    async with bot.database.session() as session:
        vote = await session.get_one(Vote, 1)
        assert (vote.status, vote.result_message_id) == ("closed", results[0].id)


async def test_a_ranked_result_shows_the_pairwise_table_or_attaches_it_when_too_big(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    small = await open_vote(fake_discord, method="ranked")
    ballot = (await fake_discord.click(small, "sc:vote:1:rank", user=world.member)).answer
    assert ballot is not None
    await fake_discord.choose(ballot, "sc:rank:1::add", ["2"], user=world.member)
    await _shows(fake_discord, ballot, "1. ")
    await fake_discord.click(ballot, "sc:rank:1:2:submit", user=world.member)
    await _shows(fake_discord, ballot, "Your ballot is counted")
    await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)
    result = fake_discord.messages_in(world.general)[-1]
    fields = {f["name"]: f["value"] for f in result.embeds[0]["fields"]}
    assert fields["Head to head (row over column)"].startswith("```\n   1  2  3\n1  –  0  0")
    assert "Strongest paths" in fields
    assert "Condorcet winner" in fields["How it was decided"]

    long = "; ".join(
        f"Option {n:02d} " + "about something worth a long talk " * 2 for n in range(25)
    )
    big = await open_vote(fake_discord, method="ranked", options=long)
    ballot = (await fake_discord.click(big, "sc:vote:2:rank", user=world.member)).answer
    assert ballot is not None
    await fake_discord.choose(ballot, "sc:rank:2::add", ["24"], user=world.member)
    await _shows(fake_discord, ballot, "1. ")
    await fake_discord.click(ballot, "sc:rank:2:o:submit", user=world.member)
    await _shows(fake_discord, ballot, "Your ballot is counted")
    await fake_discord.command("vote close", {"vote": "2"}, user=world.facilitator)
    result = fake_discord.messages_in(world.general)[-1]
    assert "“Option 24" in result.embeds[0]["description"]
    [attachment] = result.attachments
    assert attachment.filename == "vote-2-result.txt"
    text = attachment.data.decode()
    assert "Head to head" in text
    assert "Strongest paths" in text


async def test_forget_me_and_section_digests_reach_the_votes_through_their_hooks(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    message = await open_vote(fake_discord)
    await fake_discord.choose(message, "sc:vote:1:approve", ["1"], user=world.member)
    members_data = bot.services.implementers(MemberData)
    reports = [await data.forget_member(world.guild.id, world.member.id) for data in members_data]
    assert {OPEN_BALLOTS: 1, CLOSED_BALLOTS: 0, TOPICS: 0, VOTES: 0} in reports
    async with bot.database.session() as session:
        assert list(await session.scalars(select(Ballot))) == []
    assert VotesCog.own.of(bot) in bot.services.implementers(DigestContributor)


async def test_a_long_motions_digest_line_names_it_briefly_and_keeps_its_outcome(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    motion = "We read two sections a week, " + "and we meet on Thursdays after work " * 25
    await fake_discord.command("motion propose", {"text": motion.strip()}, user=world.member)
    message = fake_discord.messages_in(world.general)[-1]
    await fake_discord.click(message, "sc:vote:1:stance:agree", user=world.member)
    await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)

    closed = await bot.services.votes.ballots.standing(1)
    assert closed is not None
    line = vote_render.digest_line(closed)
    question = line.split("“", 1)[1].split("”", 1)[0]
    assert len(question) <= vote_render.DIGEST_QUESTION_CHARS
    assert question.startswith("We read two sections a week, and we meet")
    assert question.endswith(" after…")
    assert line.endswith("”: passed (1 agree, 0 disagree, 0 stood aside, 0 blocked).")


async def test_the_groups_fallback_rule_is_shown_on_new_motions_and_votes_autocomplete(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await start_circle(fake_discord)
    refused = await fake_discord.command(
        "vote settings", {"motion_fallback": True}, user=world.member
    )
    assert "Only facilitators" in refused.text
    changed = await fake_discord.command(
        "vote settings", {"motion_fallback": True}, user=world.facilitator
    )
    assert "3/4 supermajority" in changed.text
    await fake_discord.command("motion propose", {"text": "Meet in person"}, user=world.member)
    rules = next(
        f["value"]
        for f in fake_discord.messages_in(world.general)[-1].embeds[0]["fields"]
        if f["name"] == "How to vote"
    )
    assert "3/4 supermajority" in rules

    offered = await fake_discord.autocomplete(
        "vote close", {"vote": "meet"}, focused="vote", user=world.member
    )
    assert offered.choices is not None
    assert [c["value"] for c in offered.choices] == ["1"]
    assert offered.choices[0]["name"] == "#1 · Meet in person (open)"


async def test_a_late_event_defers_the_clicks_still_waiting_to_be_answered(
    bot: StudyCircleBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler that starts late shows the bot is behind: every click still on the direct path
    is acknowledged at once, not when its own timer fires on a loop that busy."""
    import sys

    monkeypatch.setattr(sys.modules["bot.exts.interactions"], "DEFER_AT", 60.0)  # no timer fires
    message, first = await _single_choice_vote(fake_discord)
    service = bot.services.votes
    cast = service.ballots.cast
    released = asyncio.Event()

    async def held_cast(*args: Any, **kwargs: Any) -> Any:
        await released.wait()
        return await cast(*args, **kwargs)

    monkeypatch.setattr(service.ballots, "cast", held_cast)
    member = fake_discord.world.member
    try:
        waiting = await fake_discord.send_interaction(
            fake_discord.payloads.button(message, first, user=member)
        )
        await asyncio.sleep(0.2)
        assert not waiting.acknowledged  # on the direct path, its work not done
        late = fake_discord.payloads.button(message, first, user=member)
        late["id"] = str(discord.utils.time_snowflake(datetime.now(UTC) - timedelta(seconds=2)))
        queued = await fake_discord.send_interaction(late)

        await fake_discord.wait_until(lambda: waiting.acknowledged and queued.acknowledged)
        assert waiting.deferred
        assert queued.deferred
    finally:
        released.set()
    answers = sorted([(await r.wait_for_answer()).content for r in (waiting, queued)])
    # The same member clicked twice: whichever was written first counted, the other changed.
    assert "is changed: 1. Tactics" in answers[0]
    assert "is counted: 1. Tactics" in answers[1]


async def test_closing_lets_a_tally_refresh_under_way_finish_and_drops_the_rest() -> None:
    """Cut off, a refresh's database connection would be torn down while the database closes
    (which hung the process's exit)."""
    release, started, refreshed = asyncio.Event(), asyncio.Event(), []

    async def refresh(vote_id: int) -> None:
        started.set()
        await release.wait()
        refreshed.append(vote_id)

    live = LiveTally(refresh, interval=60)
    live.poke(1)
    await started.wait()
    live.poke(1)  # another ballot meanwhile: would refresh again after the interval
    closing = asyncio.ensure_future(live.close())
    await asyncio.sleep(0.05)
    assert not closing.done()  # waits for the refresh under way
    release.set()

    await asyncio.wait_for(closing, 5)

    assert refreshed == [1]
    await live.idle()  # nothing left running


async def test_a_shorter_interval_ends_the_wait_under_way_and_the_edit_goes_out() -> None:
    refreshed: list[int] = []
    first = asyncio.Event()

    async def refresh(vote_id: int) -> None:
        refreshed.append(vote_id)
        first.set()

    live = LiveTally(refresh, interval=60)
    live.poke(7)
    await first.wait()
    live.poke(7)  # waits for the interval to pass
    await asyncio.sleep(0.05)
    assert refreshed == [7]

    live.interval = 0.0
    await asyncio.wait_for(live.idle(), 5)

    assert refreshed == [7, 7]


def _per_vote_state(live: LiveTally) -> list[object]:
    """Whatever the tally keeps per vote: every dict and set it holds."""
    return [v for v in vars(live).values() if isinstance(v, dict | set) and v]


async def test_many_votes_refreshed_leave_nothing_behind_in_the_tally() -> None:
    refreshed: list[int] = []

    async def refresh(vote_id: int) -> None:
        refreshed.append(vote_id)

    live = LiveTally(refresh, interval=0.01)
    for vote_id in range(1, 501):
        live.poke(vote_id)
        live.poke(vote_id)  # a second ballot folds into the same edit
    await asyncio.wait_for(live.idle(), 10)

    assert sorted(refreshed) == list(range(1, 501))
    assert _per_vote_state(live) == []


async def test_a_closed_votes_waiting_refresh_is_dropped_with_all_it_knew() -> None:
    refreshed: list[int] = []

    async def refresh(vote_id: int) -> None:
        refreshed.append(vote_id)

    live = LiveTally(refresh, interval=60)
    live.poke(3)
    await asyncio.sleep(0.01)
    live.poke(3)  # waits out the interval
    await asyncio.sleep(0.01)
    live.cancel(3)  # the vote closed
    await asyncio.sleep(0.01)

    assert refreshed == [3]
    assert _per_vote_state(live) == []


async def test_a_vote_poked_just_after_a_cancel_keeps_one_edit_an_interval() -> None:
    refreshed: list[int] = []

    async def refresh(vote_id: int) -> None:
        refreshed.append(vote_id)

    live = LiveTally(refresh, interval=60)
    live.poke(4)
    await asyncio.sleep(0.01)  # shown at once, then the interval is waited out
    live.cancel(4)
    live.poke(4)  # before the cancelled task has ended: a new one shows it at once
    await asyncio.sleep(0.01)
    live.poke(4)  # within the new task's interval: it waits
    await asyncio.sleep(0.01)

    assert refreshed == [4, 4]
    await live.close()


async def test_a_ballot_after_a_quiet_interval_is_shown_at_once() -> None:
    refreshed: list[int] = []

    async def refresh(vote_id: int) -> None:
        refreshed.append(vote_id)

    live = LiveTally(refresh, interval=0.05)
    live.poke(5)
    await asyncio.wait_for(live.idle(), 5)  # the edit, then an interval without a ballot
    live.poke(5)
    await asyncio.sleep(0.01)  # well inside a new interval

    assert refreshed == [5, 5]
    await live.close()


async def test_a_click_that_expired_before_its_answer_is_logged_once_and_not_answered_again(
    bot: StudyCircleBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """A bot far behind a burst must not spend its time on a traceback and a second request
    that Discord refuses the same way: nothing can reach the member any more."""
    message, first = await _single_choice_vote(fake_discord)
    fake_discord.interaction_deadline = 0.0  # Discord refuses every answer: it came too late
    with caplog.at_level(logging.WARNING, logger="bot"):
        clicked = await fake_discord.click(message, first, user=fake_discord.world.member)

    assert [r.response["code"] for r in clicked.requests] == [10062]
    assert [r.levelno for r in caplog.records if r.name.startswith("bot")] == [logging.WARNING]
    assert "expired before it was answered" in caplog.records[-1].getMessage()
    assert "component 'sc:vote'" in caplog.records[-1].getMessage()


# A row of the table of files in CONTRIBUTING.md's "Following a ballot click".
CLICK_PATH_LISTED = re.compile(r"^\| `(bot/[\w/]+\.py)` \|", re.MULTILINE)


def _listed_in_contributing() -> set[str]:
    guide = (REPOSITORY / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide.split("# Following a ballot click", 1)[1].split("\n# ", 1)[0]
    return set(CLICK_PATH_LISTED.findall(section))


async def test_a_ballot_click_runs_the_files_the_contributing_guide_lists(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    message, first = await _single_choice_vote(fake_discord)
    await fake_discord.command("join", user=world.other_member)
    live = instant_tallies(bot).live
    await fake_discord.click(message, first, user=world.member)  # what a first click loads
    await live.idle()
    bot_files = str(REPOSITORY / "bot") + "/"
    ran: set[str] = set()

    def record(frame: FrameType, event: str, _: Any) -> None:
        path = frame.f_code.co_filename
        if event == "call" and path.startswith(bot_files):
            ran.add(Path(path).relative_to(REPOSITORY).as_posix())

    sys.setprofile(record)
    try:
        clicked = await fake_discord.click(message, first, user=world.other_member)
        await live.idle()
    finally:
        sys.setprofile(None)

    assert "is counted: 1. Tactics" in clicked.text
    assert "`██████████` 2 (100%)" in message.embeds[0]["description"]
    assert ran == _listed_in_contributing()
