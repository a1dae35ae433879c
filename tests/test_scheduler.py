"""The job queue runs each job once, on time or late but never early, and survives crashes.

Time is a FakeClock: tests move it instead of sleeping. Waits on events carry a generous
timeout only so that a broken scheduler fails the test instead of hanging it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db import Database, create_database
from bot.db.models import Guild, Job
from bot.scheduler import Handler, JobAbandoned, JobContext, Scheduler
from bot.scheduling.clock import Clock, FakeClock, SystemClock
from tests.clocked import START
from tests.fakediscord.gateway import shard_of
from tests.statements import watching

HANG = 10
GUILD = 1_150_000_000_000_000_000

MakeScheduler = Callable[..., Scheduler]


class Recorder:
    """A handler that remembers the jobs it ran."""

    def __init__(self) -> None:
        self.jobs: list[JobContext] = []
        self._ran = asyncio.Event()

    async def __call__(self, job: JobContext) -> None:
        self.jobs.append(job)
        self._ran.set()

    @property
    def payloads(self) -> list[dict[str, Any]]:
        return [job.payload for job in self.jobs]

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(HANG):
            while len(self.jobs) < count:
                self._ran.clear()
                await self._ran.wait()


class ProcessDied(BaseException):
    """Stands in for the process vanishing mid-job: nothing after it is recorded."""


@pytest.fixture
async def make(db: Database, clock: FakeClock) -> AsyncIterator[MakeScheduler]:
    """Build schedulers on the test database (or another), stopped at the end of the test."""
    made: list[Scheduler] = []

    def build(
        handlers: Mapping[str, Handler],
        *,
        database: Database | None = None,
        on: Clock | None = None,
        **options: Any,
    ) -> Scheduler:
        scheduler = Scheduler(database or db, on or clock, **options)
        for kind, handler in handlers.items():
            scheduler.register(kind, handler)
        made.append(scheduler)
        return scheduler

    yield build
    for scheduler in made:
        await scheduler.stop()


async def _job(db: Database, job_id: int | None) -> Job:
    async with db.session() as session:
        job = await session.get(Job, job_id)
    assert job is not None
    return job


async def _count_jobs(db: Database, **where: Any) -> int:
    async with db.session() as session:
        query = select(func.count()).select_from(Job).filter_by(**where)
        return (await session.execute(query)).scalar_one()


async def test_jobs_run_in_due_order_and_never_before_they_are_due(
    make: MakeScheduler, clock: FakeClock
) -> None:
    ran = Recorder()
    scheduler = make({"post": ran}, max_concurrency=1)
    for name, minutes in [("third", 3), ("first", 1), ("second", 2)]:
        await scheduler.enqueue("post", {"name": name}, START + timedelta(minutes=minutes))

    assert await scheduler.run_due() == 0
    clock.advance(timedelta(seconds=90))
    assert await scheduler.run_due() == 1
    clock.advance(timedelta(minutes=5))
    assert await scheduler.run_due() == 2

    assert [p["name"] for p in ran.payloads] == ["first", "second", "third"]
    assert await scheduler.run_due() == 0


async def test_a_handler_is_told_its_job(make: MakeScheduler, clock: FakeClock) -> None:
    ran = Recorder()
    scheduler = make({"post": ran})
    due = START + timedelta(minutes=1)
    job_id = await scheduler.enqueue("post", {"schedule": 7, "section": 3}, due, guild_id=GUILD)
    clock.set(due)
    await scheduler.run_due()

    [job] = ran.jobs
    assert (job.id, job.kind, job.guild_id, job.due_at) == (job_id, "post", GUILD, due)
    assert job.payload == {"schedule": 7, "section": 3}
    assert job.attempt == 1
    assert job.late == timedelta(0)
    assert job.clock is clock


async def test_enqueueing_the_same_dedupe_key_twice_makes_one_job(
    db: Database, make: MakeScheduler
) -> None:
    ran = Recorder()
    scheduler = make({"post": ran})
    key = "post:7:2027-03-01T08:00Z"
    first = await scheduler.enqueue("post", {"copy": 1}, START, dedupe_key=key)
    second = await scheduler.enqueue("post", {"copy": 2}, START, dedupe_key=key)

    assert first is not None
    assert second is None
    assert await _count_jobs(db) == 1
    assert await scheduler.run_due() == 1
    assert ran.payloads == [{"copy": 1}]
    # Done jobs keep their key: the same occurrence cannot be queued again.
    assert await scheduler.enqueue("post", {"copy": 3}, START, dedupe_key=key) is None


async def test_jobs_without_a_dedupe_key_are_all_kept(db: Database, make: MakeScheduler) -> None:
    scheduler = make({})
    ids = [await scheduler.enqueue("post", {}, START) for _ in range(3)]
    assert len(set(ids)) == 3
    assert await _count_jobs(db) == 3


async def test_a_cancelled_job_does_not_run_and_frees_its_key(
    make: MakeScheduler, clock: FakeClock
) -> None:
    ran = Recorder()
    scheduler = make({"post": ran})
    for key in ["schedule:7:1", "schedule:7:2", "schedule:70:1"]:
        await scheduler.enqueue("post", {"key": key}, START + timedelta(hours=1), dedupe_key=key)

    assert await scheduler.cancel(dedupe_key_prefix="schedule:7:") == 2
    assert await scheduler.cancel(dedupe_key="schedule:7:1") == 0
    clock.advance(timedelta(hours=2))
    assert await scheduler.run_due() == 1
    assert ran.payloads == [{"key": "schedule:70:1"}]

    assert await scheduler.enqueue("post", {}, clock.now(), dedupe_key="schedule:7:1") is not None


async def test_cancelling_needs_to_know_which_jobs(make: MakeScheduler) -> None:
    with pytest.raises(ValueError, match="which jobs"):
        await make({}).cancel()


async def test_a_rescheduled_job_runs_at_its_new_time(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    ran = Recorder()
    scheduler = make({"post": ran})
    job_id = await scheduler.enqueue("post", {"v": 1}, START + timedelta(hours=1), dedupe_key="k")

    moved = await scheduler.reschedule(START + timedelta(hours=2), dedupe_key="k", payload={"v": 2})
    assert moved
    clock.advance(timedelta(hours=1))
    assert await scheduler.run_due() == 0
    clock.advance(timedelta(hours=1))
    assert await scheduler.run_due() == 1
    assert ran.payloads == [{"v": 2}]

    assert not await scheduler.reschedule(START + timedelta(hours=3), job_id=job_id)
    assert (await _job(db, job_id)).status == "done"


async def test_a_job_enqueued_sooner_wakes_the_sleeping_dispatcher(
    make: MakeScheduler, clock: FakeClock
) -> None:
    ran = Recorder()
    # With a day between safety re-checks, only the wake-up can make the new job run.
    scheduler = make({"post": ran}, recheck=timedelta(days=1))
    await scheduler.enqueue("post", {"name": "later"}, START + timedelta(hours=1))
    await scheduler.start()
    await scheduler.wait_idle()
    assert scheduler.sleeping_until == START + timedelta(hours=1)

    await scheduler.enqueue("post", {"name": "sooner"}, START + timedelta(seconds=30))
    clock.advance(timedelta(seconds=30))
    await ran.wait_for(1)
    assert ran.payloads == [{"name": "sooner"}]

    clock.advance(timedelta(hours=1))
    await ran.wait_for(2)
    assert ran.payloads[1] == {"name": "later"}


async def test_a_job_enqueued_with_its_schedule_runs_once_the_transaction_commits(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    ran = Recorder()
    scheduler = make({"post": ran}, recheck=timedelta(days=1))
    await scheduler.start()
    await scheduler.wait_idle()

    async with db.session() as session:
        session.add(Guild(id=GUILD, name="Tuesday circle"))  # stands in for the schedule row
        job_id = await scheduler.enqueue(
            "post", {"n": 1}, clock.now(), guild_id=GUILD, dedupe_key="first", session=session
        )
        assert job_id is not None
    await ran.wait_for(1)

    async def save_a_schedule_that_fails() -> None:
        async with db.session() as session:
            await scheduler.enqueue("post", {"n": 2}, clock.now(), dedupe_key="x", session=session)
            raise RuntimeError("the schedule could not be saved")

    with pytest.raises(RuntimeError):
        await save_a_schedule_that_fails()
    await scheduler.wait_idle()
    assert ran.payloads == [{"n": 1}]
    assert await _count_jobs(db, dedupe_key="x") == 0


async def test_many_jobs_enqueued_at_once_skip_known_keys_and_run_after_the_commit(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    ran = Recorder()
    scheduler = make({"dm": ran}, recheck=timedelta(days=1))
    await scheduler.start()
    await scheduler.wait_idle()
    await scheduler.enqueue("dm", {"n": 0}, clock.now() + timedelta(hours=1), dedupe_key="dm:0")

    async with db.session() as session:
        await scheduler.enqueue_many(
            "dm",
            [({"n": n}, clock.now() + timedelta(seconds=n), f"dm:{n}") for n in range(3)],
            guild_id=None,
            session=session,
        )
    clock.advance(timedelta(seconds=2))
    await ran.wait_for(2)
    await scheduler.wait_idle()
    assert sorted(p["n"] for p in ran.payloads) == [1, 2]
    assert await _count_jobs(db, kind="dm") == 3


async def test_a_job_whose_lease_expired_runs_again(
    db: Database, make: MakeScheduler, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    async def dies(job: JobContext) -> None:
        raise ProcessDied

    crashed = make({"post": dies}, lease=timedelta(minutes=5))
    job_id = await crashed.enqueue("post", {}, START)
    assert await crashed.run_due() == 1
    assert (await _job(db, job_id)).status == "running"

    ran = Recorder()
    survivor = make({"post": ran}, lease=timedelta(minutes=5))
    assert await survivor.run_due() == 0, "the lease still holds"
    clock.advance(timedelta(minutes=5, seconds=1))
    with caplog.at_level("WARNING", logger="bot.scheduler"):
        assert await survivor.run_due() == 1
    abandoned = f"job {job_id} (post) was abandoned by its process; running it again"
    assert abandoned in caplog.messages

    [job] = ran.jobs
    assert job.attempt == 2
    assert (await _job(db, job_id)).status == "done"
    assert await survivor.run_due() == 0


async def test_a_job_whose_process_keeps_dying_is_given_up(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    runs: list[int] = []
    reported: list[BaseException] = []

    async def dies(job: JobContext) -> None:
        runs.append(job.attempt)
        raise ProcessDied

    async def report(job: JobContext, error: BaseException) -> None:
        reported.append(error)

    scheduler = make({}, max_attempts=2)
    scheduler.register("post", dies, give_up=report)
    job_id = await scheduler.enqueue("post", {}, START)
    for _ in range(3):
        assert await scheduler.run_due() == 1
        clock.advance(timedelta(hours=1))

    assert runs == [1, 2]
    [error] = reported
    assert isinstance(error, JobAbandoned)
    assert (await _job(db, job_id)).status == "failed"


async def test_a_dispatcher_wakes_when_an_abandoned_lease_ends(
    make: MakeScheduler, clock: FakeClock
) -> None:
    async def dies(job: JobContext) -> None:
        raise ProcessDied

    await make({"post": dies}).enqueue("post", {}, START)
    assert await make({"post": dies}, lease=timedelta(minutes=5)).run_due() == 1

    ran = Recorder()
    survivor = make({"post": ran}, recheck=timedelta(days=1))
    await survivor.start()
    await survivor.wait_idle()
    assert survivor.sleeping_until == START + timedelta(minutes=5)
    clock.advance(timedelta(minutes=5, seconds=1))
    await ran.wait_for(1)


async def test_two_schedulers_racing_run_each_job_exactly_once(
    db: Database, make: MakeScheduler
) -> None:
    runs: Counter[int] = Counter()

    async def post(job: JobContext) -> None:
        runs[job.id] += 1
        await asyncio.sleep(0)

    # A second engine on the same database, as a second process would have.
    other_db = create_database(db.url)
    try:
        first = make({"post": post}, max_concurrency=4)
        second = make({"post": post}, database=other_db, max_concurrency=4)
        ids = [await first.enqueue("post", {"n": n}, START) for n in range(30)]

        ran = await asyncio.gather(first.run_due(), second.run_due(), first.run_due())

        assert sum(ran) == 30
        assert runs == Counter(dict.fromkeys(ids, 1))
        assert await _count_jobs(db, status="done") == 30
    finally:
        await other_db.dispose()


async def test_a_failing_job_is_retried_with_growing_backoff_then_given_up(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    reported: list[tuple[JobContext, BaseException]] = []

    async def report(job: JobContext, error: BaseException) -> None:
        reported.append((job, error))

    async def broken(job: JobContext) -> None:
        raise RuntimeError("Discord answered 503")

    scheduler = make(
        {}, max_attempts=3, backoff_base=timedelta(minutes=1), backoff_cap=timedelta(hours=1)
    )
    scheduler.register("post", broken, give_up=report)
    job_id = await scheduler.enqueue("post", {}, START, guild_id=GUILD)

    waits = []
    for _ in range(2):
        assert await scheduler.run_due() == 1
        job = await _job(db, job_id)
        assert job.status == "pending"
        assert job.last_error == "RuntimeError: Discord answered 503"
        waits.append(job.due_at - clock.now())
        clock.set(job.due_at - timedelta(seconds=1))
        assert await scheduler.run_due() == 0, "not retried before its backoff has passed"
        clock.set(job.due_at)
    assert waits == [timedelta(minutes=1), timedelta(minutes=2)]
    assert reported == []

    assert await scheduler.run_due() == 1
    job = await _job(db, job_id)
    assert (job.status, job.attempts) == ("failed", 3)
    [(given_up, error)] = reported
    assert (given_up.id, given_up.guild_id, given_up.attempt) == (job_id, GUILD, 3)
    assert str(error) == "Discord answered 503"

    clock.advance(timedelta(days=1))
    assert await scheduler.run_due() == 0
    assert len(reported) == 1


async def test_a_job_given_up_is_reported_to_its_own_kind_only(
    make: MakeScheduler, clock: FakeClock
) -> None:
    reported: list[str] = []

    async def broken(job: JobContext) -> None:
        raise RuntimeError("Discord answered 503")

    async def report_post(job: JobContext, error: BaseException) -> None:
        reported.append(f"post:{job.kind}")

    async def report_digest(job: JobContext, error: BaseException) -> None:
        reported.append(f"digest:{job.kind}")

    scheduler = make({"remind": broken}, max_attempts=1)
    scheduler.register("post", broken, give_up=report_post)
    scheduler.register("digest", broken, give_up=report_digest)
    for kind in ("post", "remind", "digest"):
        await scheduler.enqueue(kind, {}, START)

    assert await scheduler.run_due() == 3
    assert sorted(reported) == ["digest:digest", "post:post"]

    # Registering a kind again without a give-up handler drops the old one.
    scheduler.register("post", broken)
    await scheduler.enqueue("post", {}, START)
    assert await scheduler.run_due() == 1
    assert sorted(reported) == ["digest:digest", "post:post"]


async def test_a_job_that_fails_once_then_succeeds_is_done(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    attempts: list[int] = []

    async def flaky(job: JobContext) -> None:
        attempts.append(job.attempt)
        if job.attempt == 1:
            raise ConnectionError("reset by peer")

    scheduler = make({"post": flaky}, backoff_base=timedelta(seconds=30))
    job_id = await scheduler.enqueue("post", {}, START)
    await scheduler.run_due()
    clock.advance(timedelta(seconds=30))
    await scheduler.run_due()

    assert attempts == [1, 2]
    job = await _job(db, job_id)
    assert (job.status, job.last_error, job.lease_until) == ("done", None, None)


async def test_a_handler_that_records_its_job_done_commits_both_together(
    db: Database, make: MakeScheduler
) -> None:

    async def post(job: JobContext) -> None:
        async with db.session() as session:
            session.add(Guild(id=GUILD, name="Tuesday circle"))  # the handler's work
            await scheduler.finish_in(session, job)

    scheduler = make({"post": post})
    job_id = await scheduler.enqueue("post", {}, START)

    with watching(db) as seen:
        assert await scheduler.run_due() == 1

    job = await _job(db, job_id)
    assert (job.status, job.lease_until, job.attempts) == ("done", None, 1)
    outcomes = [s for s in seen.statements if s.startswith("UPDATE jobs")]
    assert len(outcomes) == 2  # the claim, and the handler's own record: nothing after it
    async with db.session() as session:
        assert await session.get(Guild, GUILD) is not None


async def test_a_job_recorded_done_in_a_transaction_that_failed_is_retried(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    attempts: list[int] = []

    async def post(job: JobContext) -> None:
        attempts.append(job.attempt)
        async with db.session() as session:
            session.add(Guild(id=GUILD + job.attempt, name="Tuesday circle"))
            await scheduler.finish_in(session, job)
            if job.attempt == 1:
                raise ConnectionError("the database went away before the commit")

    scheduler = make({"post": post}, backoff_base=timedelta(seconds=30))
    job_id = await scheduler.enqueue("post", {}, START)
    await scheduler.run_due()
    job = await _job(db, job_id)
    assert job.status == "pending"
    assert job.last_error == "ConnectionError: the database went away before the commit"
    async with db.session() as session:
        assert await session.get(Guild, GUILD + 1) is None  # nothing half-written stays

    clock.advance(timedelta(seconds=30))
    await scheduler.run_due()
    assert attempts == [1, 2]
    assert (await _job(db, job_id)).status == "done"


async def test_a_handler_failing_after_recording_its_job_done_is_not_run_again(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    runs: list[int] = []

    async def post(job: JobContext) -> None:
        runs.append(job.attempt)
        async with db.session() as session:
            await scheduler.finish_in(session, job)
        raise RuntimeError("telling the facilitator failed")

    scheduler = make({"post": post}, backoff_base=timedelta(seconds=30))
    job_id = await scheduler.enqueue("post", {}, START)
    await scheduler.run_due()
    clock.advance(timedelta(hours=1))
    await scheduler.run_due()

    assert runs == [1]
    job = await _job(db, job_id)
    assert (job.status, job.last_error) == ("done", None)


def test_backoff_doubles_up_to_its_cap(db: Database, clock: FakeClock) -> None:
    scheduler = Scheduler(
        db, clock, backoff_base=timedelta(seconds=30), backoff_cap=timedelta(minutes=5)
    )
    waits = [scheduler.backoff(attempt).total_seconds() for attempt in range(1, 7)]
    assert waits == [30, 60, 120, 240, 300, 300]


async def test_a_slow_handler_does_not_delay_another_due_job(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    slow_started, release = asyncio.Event(), asyncio.Event()

    async def slow(job: JobContext) -> None:
        slow_started.set()
        await release.wait()

    fast = Recorder()
    scheduler = make({"slow": slow, "fast": fast})
    slow_id = await scheduler.enqueue("slow", {}, START)
    await scheduler.enqueue("fast", {}, START + timedelta(minutes=1))
    await scheduler.start()
    await asyncio.wait_for(slow_started.wait(), HANG)

    clock.advance(timedelta(minutes=1))
    await fast.wait_for(1)
    assert (await _job(db, slow_id)).status == "running"

    release.set()
    await scheduler.wait_idle()
    assert (await _job(db, slow_id)).status == "done"


async def test_no_more_handlers_run_at_once_than_allowed_and_all_due_jobs_run(
    make: MakeScheduler,
) -> None:
    active, peak = 0, 0

    async def post(job: JobContext) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        for _ in range(3):
            await asyncio.sleep(0)
        active -= 1

    scheduler = make({"post": post}, max_concurrency=2)
    for n in range(5):
        await scheduler.enqueue("post", {"n": n}, START)
    assert await scheduler.run_due() == 5
    assert peak == 2


async def test_each_shard_runs_only_its_own_guilds_jobs(make: MakeScheduler) -> None:
    on_shard_0, on_shard_1 = 2 << 22, 3 << 22
    assert (shard_of(on_shard_0, 2), shard_of(on_shard_1, 2)) == (0, 1)
    first, second = Recorder(), Recorder()
    shard_0 = make({"post": first}, shard_count=2, shard_ids=[0])
    shard_1 = make({"post": second}, shard_count=2, shard_ids=[1])
    await shard_0.enqueue("post", {"guild": "on shard 0"}, START, guild_id=on_shard_0)
    await shard_0.enqueue("post", {"guild": "on shard 1"}, START, guild_id=on_shard_1)
    await shard_0.enqueue("post", {"guild": None}, START)

    assert await shard_0.run_due() == 2
    assert await shard_1.run_due() == 1

    assert sorted(p["guild"] or "" for p in first.payloads) == ["", "on shard 0"]
    assert second.payloads == [{"guild": "on shard 1"}]


async def test_a_shard_dispatcher_sleeps_through_other_shards_jobs(
    make: MakeScheduler,
) -> None:
    scheduler = make({"post": Recorder()}, shard_count=2, shard_ids=[1], recheck=timedelta(days=1))
    await scheduler.enqueue("post", {}, START + timedelta(minutes=1), guild_id=2 << 22)
    await scheduler.enqueue("post", {}, START + timedelta(hours=1), guild_id=3 << 22)
    await scheduler.start()
    await scheduler.wait_idle()
    assert scheduler.sleeping_until == START + timedelta(hours=1)


async def test_a_job_of_an_unknown_kind_is_left_for_a_process_that_knows_it(
    db: Database, make: MakeScheduler
) -> None:
    job_id = await make({}).enqueue("digest", {}, START)
    assert await make({"post": Recorder()}).run_due() == 0
    assert (await _job(db, job_id)).status == "pending"

    digests = Recorder()
    assert await make({"digest": digests}).run_due() == 1
    assert len(digests.jobs) == 1


async def test_overdue_jobs_run_at_start_and_know_they_are_late(
    make: MakeScheduler, clock: FakeClock
) -> None:
    ran = Recorder()
    scheduler = make({"post": ran})
    await scheduler.enqueue("post", {"when": "missed"}, START - timedelta(hours=2))
    await scheduler.enqueue("post", {"when": "future"}, START + timedelta(hours=1))

    await scheduler.start()
    await scheduler.wait_idle()

    [job] = ran.jobs
    assert job.payload == {"when": "missed"}
    assert job.late == timedelta(hours=2)


async def test_an_idle_dispatcher_waits_without_querying(db: Database, make: MakeScheduler) -> None:
    clock = SystemClock()
    scheduler = make({"post": Recorder()}, on=clock)
    await scheduler.enqueue("post", {}, clock.now() + timedelta(hours=1))

    with watching(db) as seen:
        await scheduler.start()
        await asyncio.sleep(0.3)

    # One look for due jobs and one for the next due time, then sleep.
    assert len(seen.statements) <= 2, seen.statements
    assert scheduler.sleeping_until is not None


async def test_stopping_lets_a_running_handler_finish(db: Database, make: MakeScheduler) -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def post(job: JobContext) -> None:
        started.set()
        await release.wait()

    scheduler = make({"post": post})
    job_id = await scheduler.enqueue("post", {}, START)
    await scheduler.start()
    await asyncio.wait_for(started.wait(), HANG)

    stopping = asyncio.create_task(scheduler.stop())
    await asyncio.sleep(0)
    release.set()
    await asyncio.wait_for(stopping, HANG)
    assert (await _job(db, job_id)).status == "done"


async def test_stopping_puts_an_unfinished_job_back_in_the_queue(
    db: Database, make: MakeScheduler
) -> None:
    started = asyncio.Event()

    async def stuck(job: JobContext) -> None:
        started.set()
        await asyncio.Event().wait()

    scheduler = make({"post": stuck}, stop_grace=0.05)
    job_id = await scheduler.enqueue("post", {}, START)
    await scheduler.start()
    await asyncio.wait_for(started.wait(), HANG)
    await scheduler.stop()

    job = await _job(db, job_id)
    assert (job.status, job.attempts, job.lease_until) == ("pending", 0, None)
    ran = Recorder()
    assert await make({"post": ran}).run_due() == 1
    assert ran.jobs[0].attempt == 1


async def test_a_job_still_running_here_is_not_run_twice_when_its_lease_passes(
    db: Database, make: MakeScheduler, clock: FakeClock
) -> None:
    started, release = asyncio.Event(), asyncio.Event()
    runs: list[int] = []

    async def slow(job: JobContext) -> None:
        runs.append(job.attempt)
        started.set()
        await release.wait()

    scheduler = make({"post": slow}, lease=timedelta(minutes=5))
    job_id = await scheduler.enqueue("post", {}, START)
    await scheduler.start()
    await asyncio.wait_for(started.wait(), HANG)

    clock.advance(timedelta(minutes=10))
    assert await scheduler.run_due() == 0
    release.set()
    await scheduler.wait_idle()
    assert runs == [1]
    assert (await _job(db, job_id)).status == "done"


async def _handlers_ended(scheduler: Scheduler) -> None:
    """Until no handler runs: their jobs' outcomes written, their tasks ended (the scheduler's
    done callback runs before `asyncio.wait` returns)."""
    if running := set(scheduler._running):
        await asyncio.wait_for(asyncio.wait(running), HANG)


class EnqueuesThenEnds:
    """A `first` job that, once released, enqueues a `post` job due now and ends; the posts
    that ran are in `ran`. `scheduler` is set once the scheduler is made."""

    def __init__(self) -> None:
        self.started, self.release, self.done = asyncio.Event(), asyncio.Event(), asyncio.Event()
        self.ran: list[str] = []
        self.scheduler: Scheduler | None = None

    def handlers(self) -> dict[str, Handler]:
        return {"first": self._first, "post": self._post}

    async def _first(self, job: JobContext) -> None:
        assert self.scheduler is not None
        self.started.set()
        await self.release.wait()
        await self.scheduler.enqueue("post", {"name": "second"}, START)
        self.done.set()

    async def _post(self, job: JobContext) -> None:
        self.ran.append(job.payload["name"])


async def test_wait_idle_waits_for_a_job_enqueued_while_the_dispatcher_looked_ahead(
    make: MakeScheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The race of a real database: the dispatcher's look at the next due time reads the
    # queue before a handler's enqueue commits, and the handler ends before the look returns.
    jobs = EnqueuesThenEnds()
    scheduler = jobs.scheduler = make(jobs.handlers())
    next_due = scheduler._next_due

    async def stale_look() -> Any:
        seen = await next_due()
        if not jobs.done.is_set():
            jobs.release.set()
            await asyncio.wait_for(jobs.done.wait(), HANG)
            await _handlers_ended(scheduler)
        return seen

    monkeypatch.setattr(scheduler, "_next_due", stale_look)
    await scheduler.enqueue("first", {}, START)
    await scheduler.start()
    async with asyncio.timeout(HANG):  # not wait_for: its task would ask after the first look
        await scheduler.wait_idle()
    assert jobs.ran == ["second"]


async def test_wait_idle_is_answered_when_a_handler_ends_during_the_look(
    make: MakeScheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handler enqueues nothing, so nothing else wakes the dispatcher: it must look again.
    release = asyncio.Event()

    async def first(job: JobContext) -> None:
        await release.wait()

    scheduler = make({"first": first})
    next_due = scheduler._next_due

    async def slow_look() -> Any:
        seen = await next_due()
        if scheduler._running and not release.is_set():
            release.set()
            await _handlers_ended(scheduler)
        return seen

    monkeypatch.setattr(scheduler, "_next_due", slow_look)
    await scheduler.enqueue("first", {}, START)
    await scheduler.start()
    async with asyncio.timeout(HANG):
        await scheduler.wait_idle()


async def test_a_failed_claim_while_a_handler_ends_does_not_answer_wait_idle(
    make: MakeScheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A dropped connection while the handler enqueues a due job and ends: the failed look
    # saw nothing, so it proves nothing.
    jobs = EnqueuesThenEnds()
    scheduler = jobs.scheduler = make(jobs.handlers())
    claim = scheduler._claim

    async def flaky_claim(limit: int) -> Any:
        if scheduler._running and not jobs.release.is_set():
            jobs.release.set()
            await asyncio.wait_for(jobs.done.wait(), HANG)
            await _handlers_ended(scheduler)
            raise ConnectionError("connection reset")
        return await claim(limit)

    await scheduler.enqueue("first", {}, START)
    await scheduler.start()
    await asyncio.wait_for(jobs.started.wait(), HANG)
    monkeypatch.setattr(scheduler, "_claim", flaky_claim)
    async with asyncio.timeout(HANG):
        await scheduler.wait_idle()
    assert jobs.release.is_set()
    assert jobs.ran == ["second"]


async def test_a_database_down_after_a_full_claim_is_tried_again_after_the_pause(
    make: MakeScheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = asyncio.Event(), asyncio.Event()
    tries = 0

    async def block(job: JobContext) -> None:
        started.set()
        await release.wait()

    async def down(limit: int) -> Any:
        nonlocal tries
        tries += 1
        await asyncio.sleep(0.001)
        raise ConnectionError("database down")

    scheduler = make({"block": block}, max_concurrency=1)
    await scheduler.enqueue("block", {}, START)
    await scheduler.enqueue("block", {}, START)
    await scheduler.start()
    await asyncio.wait_for(started.wait(), HANG)  # one slot, two jobs: the claim filled it
    monkeypatch.setattr(scheduler, "_claim", down)
    waiter = asyncio.ensure_future(scheduler.wait_idle())
    release.set()
    await asyncio.sleep(0.3)
    waiter.cancel()
    assert tries == 1  # not once a turn of the loop while wait_idle is asked


async def test_a_job_whose_lease_ends_now_is_claimable_now(
    make: MakeScheduler, clock: FakeClock
) -> None:
    runs = 0

    async def dies_once(job: JobContext) -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise ProcessDied

    scheduler = make({"job": dies_once}, lease=timedelta(minutes=5))
    await scheduler.enqueue("job", {}, START)
    await scheduler.start()
    async with asyncio.timeout(HANG):
        await scheduler.wait_idle()
    clock.set(START + timedelta(minutes=5))  # the lease ends this instant
    async with asyncio.timeout(HANG):
        await scheduler.wait_idle()
    assert runs == 2


async def test_stop_answers_wait_idle_when_it_cuts_the_dispatcher_off(
    make: MakeScheduler, monkeypatch: pytest.MonkeyPatch
) -> None:
    scheduler = make({}, stop_grace=0.1)
    await scheduler.start()
    async with asyncio.timeout(HANG):
        await scheduler.wait_idle()
    stuck = asyncio.Event()

    async def hung_look() -> Any:
        stuck.set()
        await asyncio.Event().wait()  # a database that never answers

    monkeypatch.setattr(scheduler, "_next_due", hung_look)
    waiter = asyncio.ensure_future(scheduler.wait_idle())
    await asyncio.wait_for(stuck.wait(), HANG)
    await scheduler.stop()
    await asyncio.wait_for(waiter, HANG)
