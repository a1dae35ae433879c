"""/metrics of a bot connected to the fake Discord (METRICS_PORT set): interactions answered
and their latency, jobs and their lateness, posts, errors by kind, gateway latency."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import StudyCircleBot
from bot.metrics import Metrics
from bot.permissions import permissions_value
from bot.scheduler import JobContext, JobEvent
from bot.scheduling.clock import SystemClock
from bot.services.schedules import POST_JOB
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import make_settings, running_bot


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/metrics") as response,
    ):
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
async def fast_heartbeat_fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_permissions=permissions_value(), heartbeat_interval=0.2) as fake:
        yield fake


@pytest.fixture
async def measured_bot(
    fast_heartbeat_fake: FakeDiscord, database_url: str
) -> AsyncIterator[tuple[StudyCircleBot, int]]:
    port = _free_port()
    settings = make_settings(fast_heartbeat_fake, database_url, METRICS_PORT=str(port))
    async with running_bot(settings, fast_heartbeat_fake) as bot:
        yield bot, port


async def test_an_answered_interaction_is_counted_with_its_latency(
    measured_bot: tuple[StudyCircleBot, int], fast_heartbeat_fake: FakeDiscord
) -> None:
    _bot, port = measured_bot
    result = await fast_heartbeat_fake.command(
        "circle about", user=fast_heartbeat_fake.world.member
    )
    assert result.ephemeral

    samples = await _scrape(port)

    assert samples[("study_circle_interactions_answered_total", ())] == 1.0
    assert samples[("study_circle_interaction_answer_seconds_count", ())] == 1.0


async def test_jobs_are_counted_by_what_happened_and_a_late_one_as_late(
    measured_bot: tuple[StudyCircleBot, int],
) -> None:
    bot, port = measured_bot
    ran = asyncio.Event()

    async def handler(job: JobContext) -> None:
        ran.set()
        if job.payload.get("fail"):
            raise RuntimeError("the job failed")

    bot.scheduler.register("test.metrics", handler)
    now = datetime.now(UTC)
    await bot.scheduler.enqueue("test.metrics", {}, now - timedelta(minutes=5))
    await bot.scheduler.enqueue("test.metrics", {"fail": True}, now)
    await bot.scheduler.wait_idle()

    samples = await _scrape(port)

    def jobs(event: str) -> float:
        key = ("study_circle_jobs_total", (("event", event), ("kind", "test.metrics")))
        return samples.get(key, 0.0)

    assert (jobs("started"), jobs("done"), jobs("retry")) == (2.0, 1.0, 1.0)
    assert samples[("study_circle_jobs_late_total", (("kind", "test.metrics"),))] == 1.0
    assert samples[("study_circle_job_lateness_seconds_count", ())] == 2.0
    assert samples.get(("study_circle_errors_total", (("kind", "RuntimeError"),)), 0.0) == 0.0


async def test_errors_are_counted_by_kind_and_gateway_latency_by_shard(
    measured_bot: tuple[StudyCircleBot, int], fast_heartbeat_fake: FakeDiscord
) -> None:
    bot, port = measured_bot
    logger = logging.getLogger("bot.exts.test")
    logger.setLevel(logging.ERROR)  # whatever an earlier test left the root at
    try:
        raise LookupError("no such reading")
    except LookupError:
        logger.exception("a command failed")
    finally:
        logger.setLevel(logging.NOTSET)
    await fast_heartbeat_fake.wait_until(lambda: bot.latency != float("inf"), timeout=5)

    samples = await _scrape(port)

    assert samples[("study_circle_errors_total", (("kind", "LookupError"),))] == 1.0
    assert samples[("study_circle_gateway_latency_seconds", (("shard", "0"),))] >= 0.0


def test_a_finished_post_job_counts_as_a_post() -> None:
    metrics = Metrics(lambda: [])
    job = JobContext(
        id=1,
        kind=POST_JOB,
        payload={},
        guild_id=None,
        due_at=datetime.now(UTC),
        attempt=1,
        late=timedelta(0),
        clock=SystemClock(),
    )

    metrics.job_event(JobEvent.STARTED, job)
    metrics.job_event(JobEvent.DONE, job)

    assert metrics.registry.get_sample_value("study_circle_posts_total") == 1.0


async def test_without_metrics_port_nothing_is_served(bot: StudyCircleBot) -> None:
    assert bot.metrics is None
