"""The fake clock most tests run on, and the services and the bot running on it.

`clock` and `services` are shared by every test (tests/conftest.py). A folder whose tests
drive the scheduler takes `clocked_bot` from here in its `conftest.py` (tests/exts/schedules/
and tests/failure/ do): it is a fixture named `bot`, standing in for the bot of
tests/fakediscord, which runs on the real clock. The vote tests' folder takes
`clocked_bot_with_instant_tallies` instead, also named `bot`. Such a test moves time on with
`advance_to`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.app import StudyCircleBot
from bot.db import Database
from bot.exts.votes.cog import VotesCog
from bot.scheduler import Scheduler
from bot.scheduling.clock import FakeClock
from bot.services.root import Services, build_services
from bot.settings import Settings
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import running_bot

# The time zone of the tests' circles.
ROME = ZoneInfo("Europe/Rome")
# Monday 1 March 2027, 09:00 in Rome; schedules in the tests start that day.
START = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
# When a schedule made at START for 18:00 in Europe/Rome posts its first section.
FIRST_DUE = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock standing at START."""
    return FakeClock(START)


@pytest.fixture
def services(db: Database, clock: FakeClock) -> Services:
    """Every service, built by the composition root over the test's database and `clock`."""
    return build_services(db, scheduler=Scheduler(db, clock), clock=clock)


@pytest.fixture(name="bot")
async def clocked_bot(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> AsyncIterator[StudyCircleBot]:
    """The bot, connected to `fake_discord`, with its scheduler on `clock`."""
    async with running_bot(bot_settings, fake_discord, clock=clock) as running:
        yield running


async def advance_to(bot: StudyCircleBot, clock: FakeClock, moment: datetime) -> None:
    """Set `clock` to `moment` and wait until the bot's scheduler has run every job due by then."""
    clock.set(moment)
    await bot.scheduler.wait_idle()


def instant_tallies(bot: StudyCircleBot) -> VotesCog:
    """The votes cog, with live tallies refreshed at once (each bot has its own cog)."""
    cog = VotesCog.own.of(bot)
    cog.live.interval = 0.0
    return cog


@pytest.fixture(name="bot")
async def clocked_bot_with_instant_tallies(
    bot_settings: Settings, fake_discord: FakeDiscord, clock: FakeClock
) -> AsyncIterator[StudyCircleBot]:
    """`clocked_bot`, with vote messages refreshed at every ballot rather than coalesced."""
    async with running_bot(bot_settings, fake_discord, clock=clock) as running:
        instant_tallies(running)
        yield running
