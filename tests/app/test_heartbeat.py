"""The heartbeat of a bot connected to the fake Discord: what it reports per shard, and a
scheduler that stopped turns it unhealthy."""

from __future__ import annotations

import time
from pathlib import Path

from bot import heartbeat
from bot.app import StudyCircleBot
from bot.settings import Settings
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import make_settings, running_bot


async def test_a_connected_bot_beats_healthy_until_its_scheduler_stops(
    bot_settings: Settings, fake_discord: FakeDiscord, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "heartbeat.json"
    settings = make_settings(fake_discord, database_url, HEALTH_FILE=str(path))

    async with running_bot(settings, fake_discord) as bot:
        assert bot.heartbeat is not None
        bot.heartbeat.beat()
        pulse = heartbeat.read(path)
        assert pulse is not None
        assert pulse.ready
        assert list(pulse.shards) == [0]
        assert heartbeat.judge(pulse, time.time()).healthy

        await bot.scheduler.stop()
        bot.heartbeat.beat()
        health = heartbeat.judge(heartbeat.read(path), time.time())
        assert not health.healthy
        assert "scheduler" in health.summary

    assert not path.exists()


async def test_without_health_file_no_heartbeat_is_written(
    bot_settings: Settings, bot: StudyCircleBot
) -> None:
    assert bot_settings.health_file is None
    assert bot.heartbeat is None
