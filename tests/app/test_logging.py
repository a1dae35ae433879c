"""Logs go to stderr at LOG_LEVEL, never show the token, and never hold what a member wrote
or chose, even at DEBUG."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging
from collections.abc import Iterator

import pytest

from bot.db.models import Vote
from bot.logging_setup import REDACTED, configure_logging
from bot.scheduling.clock import FakeClock
from bot.settings import Settings
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.reflections.helpers import write_reflection
from tests.exts.votes.helpers import open_vote, start_circle
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import running_bot
from tests.log_capture import bot_log


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def test_token_is_redacted_everywhere(restore_logging: None) -> None:
    token = "MTIzNDU2Nzg5.abcdef.secret-part-of-the-token"
    stream = io.StringIO()
    configure_logging(logging.DEBUG, secrets=[token], stream=stream)
    log = logging.getLogger("discord.client")
    log.debug("Authorization: Bot %s", token)
    try:
        raise RuntimeError(f"bad token {token}")
    except RuntimeError:
        log.exception("failed")
    text = stream.getvalue()
    assert token not in text
    assert text.count(REDACTED) == 2  # the log argument and the exception message


def test_level_is_honoured_and_reconfiguring_replaces_the_handler(restore_logging: None) -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging("WARNING", stream=first)
    configure_logging("INFO", stream=second)
    logging.getLogger("bot").debug("hidden")
    logging.getLogger("bot").info("shown")
    assert first.getvalue() == ""
    assert "shown" in second.getvalue()
    assert "hidden" not in second.getvalue()


async def test_debug_logs_hold_no_ballot_choice_no_voter_key_and_no_reflection(
    fake_discord: FakeDiscord, bot_settings: Settings, clock: FakeClock
) -> None:
    world = fake_discord.world
    reflection = "Only for me: I could not read this week, my brother lost his job."
    reason = "Newcomers would fall behind, and I am one of them."
    with bot_log("DEBUG") as log:
        async with running_bot(bot_settings, fake_discord, clock=clock) as bot:
            await start_circle(fake_discord)
            await fake_discord.command("join", user=world.other_member)
            vote = await open_vote(fake_discord, method="single", secret=True)
            await fake_discord.click(vote, "sc:vote:1:pick:2", user=world.member)
            await fake_discord.click(vote, "sc:vote:1:pick:0", user=world.other_member)
            proposed = await fake_discord.command(
                "motion propose",
                {"text": "We read two sections a week.", "secret": True},
                user=world.member,
            )
            assert "Motion #2 is open" in proposed.text
            motion = fake_discord.messages_in(world.general)[-1]
            opened = await fake_discord.click(motion, "sc:vote:2:stance:block", user=world.member)
            assert opened.modal is not None
            blocked = await fake_discord.submit_modal(opened, {"reason": reason})
            assert reason in blocked.text
            async with bot.database.session() as session:
                keys = {
                    vote_id: (await session.get_one(Vote, vote_id)).secret_key for vote_id in (1, 2)
                }
            await advance_to(bot, clock, FIRST_DUE)
            [post] = fake_discord.messages_in(world.reading)
            saved = await write_reflection(fake_discord, post, world.member, reflection)
            assert "Saved your reflection" in saved.content
            await fake_discord.command("vote close", {"vote": "1"}, user=world.facilitator)

    text_ = log.getvalue()
    assert " DEBUG " in text_  # the bot did log at DEBUG
    voter_keys = [
        hmac.new(key, str(user.id).encode(), hashlib.sha256).hexdigest()
        for key in keys.values()
        if key is not None
        for user in (world.member, world.other_member)
    ]
    assert len(voter_keys) == 4
    for private in (reflection, "Only for me", reason, "pick:2", "stance:block", *voter_keys):
        assert private not in text_, private
    for key in keys.values():
        assert key is not None
        assert key.hex() not in text_
    assert "[parameters" not in text_
    assert "INSERT INTO ballots" not in text_
