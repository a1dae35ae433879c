"""`when_ready` and `reply` with interactions that record what was sent: once the bot is
behind, acknowledgements go out before answers. And how a feature's components find its cog."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.exts.interactions import Answers, OwnCog, reply, update, user_message, when_ready


class _Response:
    def __init__(self, log: list[str], name: str, hold: asyncio.Event | None) -> None:
        self.log, self.name, self.hold = log, name, hold
        self.deferred = False
        self.private: list[bool] = []  # each acknowledgement's and answer's `ephemeral`

    def is_done(self) -> bool:
        return self.deferred

    async def defer(self, **kwargs: Any) -> None:
        self.private.append(kwargs.get("ephemeral", False))
        if self.hold is not None:
            await self.hold.wait()
        self.deferred = True
        self.log.append(f"{self.name} acknowledged")

    async def send_message(self, content: str | None, **kwargs: Any) -> None:
        self.private.append(kwargs.get("ephemeral", False))
        self.log.append(f"{self.name} answered: {content}")

    async def edit_message(self, *, content: str, **_: Any) -> None:
        self.log.append(f"{self.name} updated: {content}")


class _Followup:
    def __init__(self, log: list[str], name: str, private: list[bool]) -> None:
        self.log, self.name, self.private = log, name, private

    async def send(self, content: str, **kwargs: Any) -> None:
        self.private.append(kwargs.get("ephemeral", False))
        self.log.append(f"{self.name} followed up: {content}")


class _Client:
    def __init__(self) -> None:
        self.answers = Answers()


class _Interaction:
    """What `when_ready` and `reply` use of a discord.Interaction."""

    _ids = iter(range(1, 1_000_000))

    def __init__(
        self,
        log: list[str],
        name: str,
        *,
        age: float,
        client: _Client,
        hold: asyncio.Event | None = None,
    ) -> None:
        self.id = next(self._ids)
        self.client = client
        self.created_at = datetime.now(UTC) - timedelta(seconds=age)
        self.response = _Response(log, name, hold)
        self.followup = _Followup(log, name, self.response.private)

    async def edit_original_response(self, *, content: str, **_: Any) -> None:
        self.response.log.append(f"{self.response.name} edited: {content}")


def _real(interaction: _Interaction) -> discord.Interaction:
    return cast(discord.Interaction, interaction)


async def _answer_late(interaction: _Interaction, text: str) -> None:
    result = await when_ready(_real(interaction), asyncio.sleep(0, result=text))
    await reply(_real(interaction), result)


async def test_answers_wait_for_the_acknowledgements_on_their_way() -> None:
    log: list[str] = []
    slow_ack = asyncio.Event()
    bot = _Client()
    first = _Interaction(log, "first", age=2, client=bot)
    second = _Interaction(log, "second", age=2, client=bot, hold=slow_ack)

    answering = asyncio.gather(_answer_late(first, "one"), _answer_late(second, "two"))
    await asyncio.sleep(0.05)
    assert log == ["first acknowledged"]  # its answer waits for the second's acknowledgement
    slow_ack.set()
    await answering

    assert log.index("second acknowledged") < log.index("first followed up: one")
    assert set(log) == {
        "first acknowledged",
        "second acknowledged",
        "first followed up: one",
        "second followed up: two",
    }


async def test_an_answer_waits_for_other_acknowledgements_a_few_seconds_at_most(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys.modules["bot.exts.interactions"], "FOLLOW_UPS_WAIT", 0.1)
    log: list[str] = []
    bot = _Client()
    stuck = _Interaction(log, "stuck", age=2, client=bot, hold=asyncio.Event())
    first = _Interaction(log, "first", age=2, client=bot)
    hanging = asyncio.ensure_future(_answer_late(stuck, "never"))
    await asyncio.sleep(0)

    await asyncio.wait_for(_answer_late(first, "one"), 2)

    assert log == ["first acknowledged", "first followed up: one"]
    hanging.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await hanging


async def test_a_quick_answer_is_the_acknowledgement() -> None:
    log: list[str] = []
    fresh = _Interaction(log, "fresh", age=0, client=_Client())

    await _answer_late(fresh, "at once")

    assert log == ["fresh answered: at once"]


async def test_an_answer_is_private_whether_it_is_quick_or_slow() -> None:
    log: list[str] = []
    bot = _Client()
    quick = _Interaction(log, "quick", age=0, client=bot)
    slow = _Interaction(log, "slow", age=2, client=bot)

    await _answer_late(quick, "at once")
    await _answer_late(slow, "later")

    assert log == ["quick answered: at once", "slow acknowledged", "slow followed up: later"]
    assert quick.response.private == [True]
    assert slow.response.private == [True, True]  # the "thinking…" and the follow-up


async def test_a_bots_answers_do_not_wait_for_another_bots_acknowledgements() -> None:
    log: list[str] = []
    stuck = _Interaction(log, "stuck", age=2, client=_Client(), hold=asyncio.Event())
    first = _Interaction(log, "first", age=2, client=_Client())
    hanging = asyncio.ensure_future(_answer_late(stuck, "never"))
    await asyncio.sleep(0)

    await asyncio.wait_for(_answer_late(first, "one"), 1)

    assert log == ["first acknowledged", "first followed up: one"]
    hanging.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await hanging


async def _update_late(interaction: _Interaction, text: str) -> None:
    result = await when_ready(_real(interaction), asyncio.sleep(0, result=text), edit=True)
    await update(_real(interaction), content=result)


async def test_a_component_edits_its_message_as_the_answer_or_after_acknowledging() -> None:
    log: list[str] = []
    bot = _Client()

    await _update_late(_Interaction(log, "fresh", age=0, client=bot), "at once")
    await _update_late(_Interaction(log, "late", age=2, client=bot), "later")

    assert log == ["fresh updated: at once", "late acknowledged", "late edited: later"]


def test_missing_permissions_are_named_as_a_sentence_lists_them() -> None:
    one = app_commands.MissingPermissions(["manage_guild"])
    two = app_commands.BotMissingPermissions(["embed_links", "attach_files"])
    assert user_message(one) == "You need the Manage Server permission to do this."
    assert user_message(two) == (
        "I need the Embed Links and Attach Files permissions here. "
        "A server admin can grant them to my role."
    )


_BALLOTS_COG: OwnCog[_BallotsCog] = OwnCog()


class _BallotsCog(commands.Cog, name="Ballots"):
    """A cog named neither as its class nor as anything its components spell out."""

    own = _BALLOTS_COG


def _offline_bot() -> commands.Bot:
    return commands.Bot(command_prefix="!", intents=discord.Intents.none())


async def test_a_features_components_find_its_cog_by_the_cogs_own_name() -> None:
    bot = _offline_bot()
    cog = _BallotsCog()
    await bot.add_cog(cog)

    assert _BALLOTS_COG.of(bot) is cog


async def test_a_features_components_say_it_is_unavailable_while_its_cog_is_not_loaded() -> None:
    bot = _offline_bot()
    unavailable = "Ballots are not available right now; try again in a minute."
    with pytest.raises(UserError, match=unavailable):
        _BALLOTS_COG.of(bot)

    await bot.add_cog(_BallotsCog())
    await bot.remove_cog("Ballots")
    with pytest.raises(UserError, match=unavailable):
        _BALLOTS_COG.of(bot)


def test_a_cog_reference_belongs_to_one_cog_class() -> None:
    # Python 3.11 wraps an error of `__set_name__` in a RuntimeError; later versions do not.
    with pytest.raises((RuntimeError, TypeError)) as raised:

        class _Copy(commands.Cog):
            own = _BALLOTS_COG

    error = raised.value.__cause__ or raised.value
    assert "Only one cog class may hold this OwnCog (_BallotsCog)" in str(error)
