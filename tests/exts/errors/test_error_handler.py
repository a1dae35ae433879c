"""The central error handler: user mistakes get a clear private message; bugs get an id."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import discord
import pytest
from discord import app_commands
from discord.enums import AppCommandOptionType

from bot.app import StudyCircleBot
from bot.errors import MOMENT, QUOTED, UserError
from bot.exts.interactions import user_message
from bot.reading.text import ECHO_CHARS
from tests.fakediscord import CallbackType, FakeDiscord
from tests.fakediscord.probe import Probe


@pytest.fixture
async def probe(bot: StudyCircleBot) -> AsyncIterator[StudyCircleBot]:
    await bot.add_cog(Probe())
    await bot.sync_commands()
    yield bot
    await bot.remove_cog("Probe")


async def test_user_error_is_shown_privately(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.command("probe mistake", user=fake_discord.world.member)

    assert result.callback_type == CallbackType.CHANNEL_MESSAGE
    assert result.ephemeral
    assert result.content == "There is no reading #42 in this server.\nSee /reading list."


async def test_user_error_after_a_defer_is_a_private_followup(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.command(
        "probe mistake", {"deferred": True}, user=fake_discord.world.member
    )

    assert result.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE
    assert result.ephemeral
    assert result.content.startswith("There is no reading #42")


async def test_unexpected_error_shows_an_id_that_is_in_the_log(
    probe: StudyCircleBot, fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="bot"):
        result = await fake_discord.command("probe bug", user=fake_discord.world.member)

    assert result.ephemeral
    found = re.search(r"error `([0-9a-f]{8})`", result.content)
    assert found, result.content
    error_id = found.group(1)
    [record] = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.levelno == logging.ERROR
    assert "/probe bug" in record.getMessage()
    assert record.exc_info is not None
    assert "the probe broke on purpose" in str(record.exc_info[1])
    # The user sees no internals.
    assert "RuntimeError" not in result.content
    assert "probe broke" not in result.content


async def test_failed_check_explains_the_missing_permission(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    refused = await fake_discord.command("probe admin", user=world.member)
    allowed = await fake_discord.command("probe admin", user=world.facilitator)

    assert refused.ephemeral
    assert refused.content == "You need the Manage Server permission to do this."
    assert allowed.content == "admin ok"


class _Word(app_commands.Transformer):
    async def transform(self, interaction: discord.Interaction, value: str) -> str:
        return value


def test_an_option_that_cannot_be_read_is_repeated_cut_short() -> None:
    typed = "the second thursday of every month if it does not rain " * 3
    unreadable = app_commands.TransformerError(typed, AppCommandOptionType.string, _Word())
    message = user_message(unreadable)
    assert message is not None
    shown = message.split("“", 1)[1].split("”", 1)[0]
    assert len(shown) <= ECHO_CHARS
    assert shown == "the second thursday of every month if it does not rain the…"
    assert message == f"I couldn't understand “{shown}” for this option."


def test_a_moment_in_an_error_is_shown_with_its_weekday_in_each_members_zone() -> None:
    moment = datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    message = user_message(UserError(f"Voting closed {MOMENT}."))
    assert message == f"Voting closed {MOMENT}."
    closed = user_message(UserError(f"Voting closed {MOMENT}.", moment=moment))
    assert closed == f"Voting closed <t:{int(moment.timestamp())}:F>."


def test_a_members_text_in_an_error_is_escaped_for_discord_and_plain_elsewhere() -> None:
    typed = "# h **x** [masked](http://x) @everyone\n# next"
    refused = UserError(f"“{QUOTED}” is taken.", quoted=typed)
    shown = r"\# h \*\*x\*\* \[masked\](http://x) @" + "\u200beveryone # next"
    assert user_message(refused) == f"“{shown}” is taken."
    # Without Discord (the default), as written, on one line.
    plain = "# h **x** [masked](http://x) @everyone # next"
    assert refused.user_message() == str(refused) == f"“{plain}” is taken."
    # What the member wrote is never read as a placeholder.
    moment = datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    odd = UserError(f"“{QUOTED}” closed {MOMENT}.", quoted=f"{MOMENT} {QUOTED}", moment=moment)
    assert odd.user_message() == f"“{MOMENT} {QUOTED}” closed 2027-03-02 08:00 UTC."


def test_an_option_that_cannot_be_read_is_repeated_escaped() -> None:
    typed = "**every** [day](http://x)\n@everyone"
    unreadable = app_commands.TransformerError(typed, AppCommandOptionType.string, _Word())
    assert user_message(unreadable) == (
        "I couldn't understand “\\*\\*every\\*\\* \\[day\\](http://x) @\u200beveryone” "
        "for this option."
    )
