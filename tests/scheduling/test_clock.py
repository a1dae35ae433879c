"""Clocks tell the time and wait for a moment: the system clock really, the fake one when moved."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.scheduling.clock import FakeClock, SystemClock
from tests.clocked import START

# Only a guard against a hang: no assertion depends on how fast anything is.
HANG = 5


def test_a_fake_clock_needs_an_aware_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        FakeClock(datetime(2026, 12, 7, 17, 0))  # noqa: DTZ001


async def test_a_fake_sleeper_wakes_when_the_clock_passes_its_moment(clock: FakeClock) -> None:
    sleeper = asyncio.create_task(clock.sleep_until(START + timedelta(minutes=10), asyncio.Event()))
    clock.advance(timedelta(minutes=9))
    await asyncio.sleep(0)
    assert not sleeper.done()
    clock.advance(timedelta(minutes=1))
    assert await asyncio.wait_for(sleeper, HANG) is False


async def test_a_fake_sleeper_wakes_early_when_woken(clock: FakeClock) -> None:
    wake = asyncio.Event()
    sleeper = asyncio.create_task(clock.sleep_until(START + timedelta(hours=1), wake))
    await asyncio.sleep(0)
    wake.set()
    assert await asyncio.wait_for(sleeper, HANG) is True
    assert clock.now() == START


async def test_a_fake_sleeper_without_a_moment_waits_for_its_wake(clock: FakeClock) -> None:
    wake = asyncio.Event()
    sleeper = asyncio.create_task(clock.sleep_until(None, wake))
    clock.advance(timedelta(days=365))
    await asyncio.sleep(0)
    assert not sleeper.done()
    wake.set()
    assert await asyncio.wait_for(sleeper, HANG) is True


async def test_setting_a_fake_clock_wakes_its_sleepers_too(clock: FakeClock) -> None:
    sleepers = [
        asyncio.create_task(clock.sleep_until(START + timedelta(minutes=m), asyncio.Event()))
        for m in (1, 2)
    ]
    await asyncio.sleep(0)
    clock.set(START + timedelta(minutes=5))
    assert await asyncio.wait_for(asyncio.gather(*sleepers), HANG) == [False, False]


@pytest.mark.parametrize("clock", [FakeClock(START), SystemClock()], ids=["fake", "system"])
async def test_sleeping_until_a_past_moment_returns_at_once(clock: FakeClock | SystemClock) -> None:
    woken = await clock.sleep_until(clock.now() - timedelta(seconds=1), asyncio.Event())
    assert woken is False


async def test_a_system_sleeper_wakes_early_when_woken() -> None:
    clock = SystemClock()
    wake = asyncio.Event()
    asyncio.get_running_loop().call_soon(wake.set)
    woken = await asyncio.wait_for(clock.sleep_until(clock.now() + timedelta(hours=1), wake), HANG)
    assert woken is True
