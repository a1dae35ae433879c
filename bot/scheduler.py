"""Durable jobs: due times in the database, one dispatcher task per process.

A job is a row in `jobs` (see `bot.db.models.Job`): a kind, a JSON payload and a due time.
The dispatcher sleeps until the earliest job this process owns is due, woken early when a
sooner job is enqueued here, and looks again at least every `recheck` in case another process
added one. Due jobs are claimed with a lease, so two processes never run the same job and a
job abandoned by a process that died runs again once its lease has passed:

- PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, then an UPDATE to running, in one transaction.
- SQLite: an UPDATE to running that only matches rows still claimable; the rows it returns
  are the ones this process won (SQLite runs one writer at a time).

Handlers run concurrently, at most `max_concurrency` at once, so a slow or failing job never
holds up another. A failed job is retried with exponential backoff; after `max_attempts` it is
marked failed and its kind's `give_up` handler, if it has one, is told (to report it to the
facilitator). Handlers must be
idempotent: a process can die after the work is done and before it is recorded, and then the
job runs again; or they record the job done in their own last transaction (`finish_in`).

Wiring, as the schedules feature does it: the bot builds the one scheduler
(`bot/app.py`), the composition root registers every service's kinds before the dispatcher
starts (`Services.jobs` in `bot/services/root.py`), and the service queues a job in the
transaction that makes it due (`Schedules.enqueue_post`)::

    scheduler = Scheduler(database, clock)
    scheduler.register(POST_JOB, posting.handle, give_up=posting.give_up)  # "schedule.post"
    await scheduler.start()
    async with db.session() as session:
        ...  # the schedule's row, its next_post_at
        await scheduler.enqueue(
            POST_JOB,
            {"schedule_id": schedule_id, "due_at": due_at.isoformat()},
            due_at,
            guild_id=guild_id,
            dedupe_key=post_dedupe_key(schedule_id, due_at),
            session=session,
        )
    # committed: the dispatcher was woken by the commit if this job is sooner than its sleep
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    delete,
    event,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Delete, ReturningInsert, ReturningUpdate, Update

from bot.db.engine import Database, rows_matched
from bot.db.error_text import summary
from bot.db.models import Job
from bot.db.models.jobs import JobStatus
from bot.scheduling.clock import Clock
from bot.scheduling.retry import backoff

log = logging.getLogger(__name__)

PENDING = JobStatus.PENDING
RUNNING = JobStatus.RUNNING
DONE = JobStatus.DONE
FAILED = JobStatus.FAILED

# Discord's shard formula: the guild id's timestamp bits, modulo the shard count.
SHARD_ID_SHIFT = 22
MAX_ERROR_CHARS = 500
# How long the dispatcher waits before trying the database again after an error.
ERROR_PAUSE = timedelta(seconds=5)
# A handler must end well within its lease, so the lease never runs out under a live
# handler and no other process claims the job while it is still running here.
HANDLER_SHARE_OF_LEASE = 0.8
_AFTER_COMMIT = "scheduler.after_commit"  # a session.info key

# A job's outcome, written only while this process holds its claim (`attempts` counts claims,
# so it tells this claim from a later one elsewhere). Built once, as are the claim and the
# insert: every job runs them, and building a statement costs more than SQLite running it.
# The columns to set are the parameters named after them.
_OUTCOME = update(Job).where(
    Job.id == bindparam("job"), Job.status == RUNNING, Job.attempts == bindparam("claim")
)


# The claim's two statements: the candidates' ids and statuses, then the claimed jobs' columns
# a `JobContext` is made of.
_Candidates = Select[int, str]
_Claim = ReturningUpdate[int, str, dict[str, Any], int | None, datetime, int]


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a handler is told about the job it runs."""

    id: int
    kind: str
    payload: dict[str, Any]
    guild_id: int | None
    due_at: datetime
    attempt: int
    late: timedelta
    """How long after `due_at` the job started (zero when on time): after downtime, say so."""
    clock: Clock


Handler = Callable[[JobContext], Awaitable[None]]
GiveUp = Callable[[JobContext, BaseException], Awaitable[None]]


class JobEvent(StrEnum):
    """What the observer is told of a job run; the values are the metrics' `event` label."""

    STARTED = "started"
    DONE = "done"
    RETRY = "retry"  # failed, and queued again
    FAILED = "failed"  # failed for the last time: given up


# Told how each job run went, for metrics.
JobObserver = Callable[[JobEvent, JobContext], None]


@dataclass(frozen=True, slots=True)
class JobHandlers:
    """How one kind of job is run: `run` at each attempt, `give_up` after the last failed one
    (see `Scheduler.register`)."""

    run: Handler
    give_up: GiveUp | None = None


class JobAbandoned(Exception):
    """Every attempt at a job ended with its process gone, so it is not tried again."""


class Scheduler:
    """The durable job queue and its dispatcher.

    Each kind is run by the handler given to `register`; a job of a kind with no handler here
    is left for a process that has one. With `shard_count` above one, only the jobs of guilds
    on `shard_ids` are loaded (jobs without a guild belong to shard 0).
    """

    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        shard_count: int = 1,
        shard_ids: Iterable[int] | None = None,
        lease: timedelta = timedelta(minutes=5),
        max_concurrency: int = 8,
        max_attempts: int = 5,
        backoff_base: timedelta = timedelta(seconds=30),
        backoff_cap: timedelta = timedelta(minutes=30),
        recheck: timedelta = timedelta(seconds=60),
        stop_grace: float = 10.0,
    ) -> None:
        if shard_count < 1:
            raise ValueError("shard_count must be at least 1")
        shards = frozenset(range(shard_count) if shard_ids is None else shard_ids)
        if not shards or not shards <= set(range(shard_count)):
            raise ValueError(f"shard_ids must be among 0..{shard_count - 1}")
        if max_concurrency < 1 or max_attempts < 1:
            raise ValueError("max_concurrency and max_attempts must be at least 1")
        if lease <= timedelta(0) or recheck <= timedelta(0):
            raise ValueError("lease and recheck must be positive")
        self._db = db
        self._clock = clock
        self._handlers: dict[str, Handler] = {}
        self._shard_count = shard_count
        self._shard_ids = shards
        self._lease = lease
        self._handler_timeout = lease.total_seconds() * HANDLER_SHARE_OF_LEASE
        self._max_concurrency = max_concurrency
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._recheck = recheck
        # Per kind: told once a job of that kind has failed its last attempt.
        self._give_ups: dict[str, GiveUp] = {}
        self._stop_grace = stop_grace

        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False
        self._running: dict[asyncio.Task[None], JobContext] = {}
        self._ended = 0  # handlers ended so far: tells whether any ended during a look
        # True when the last claim filled every free slot: more may be due, so a finishing
        # handler wakes the dispatcher to claim again.
        self._saturated = False
        self._sleeping_until: datetime | None = None
        self._idle_waiters: list[asyncio.Future[None]] = []
        self._failing = False
        self._insert: ReturningInsert[int] = db.insert(Job).returning(Job.id)
        self._insert_once: ReturningInsert[int] = (
            db.insert(Job).on_conflict_do_nothing(index_elements=[Job.dedupe_key]).returning(Job.id)
        )
        self._claims: tuple[frozenset[str], _Candidates, _Claim] | None = None
        # Jobs whose handlers recorded them done (`finish_in`), until their run ends.
        self._done_here: set[int] = set()
        self.observer: JobObserver | None = None

    # -- registry ---------------------------------------------------------------------------

    def register(self, kind: str, handler: Handler, *, give_up: GiveUp | None = None) -> None:
        """Run jobs of `kind` with `handler` from now on; `give_up` is told when one of them
        fails its last attempt (after the scheduler has logged it), to report it or to end its
        work another way."""
        self._handlers[kind] = handler
        if give_up is None:
            self._give_ups.pop(kind, None)
        else:
            self._give_ups[kind] = give_up
        self.wake()

    # -- the queue --------------------------------------------------------------------------

    async def enqueue(
        self,
        kind: str,
        payload: Mapping[str, Any],
        due_at: datetime,
        *,
        guild_id: int | None = None,
        dedupe_key: str | None = None,
        session: AsyncSession | None = None,
    ) -> int | None:
        """Add a job; returns its id, or None when a job with `dedupe_key` already exists.

        With `session`, the job is inserted in the caller's transaction (so a schedule and its
        first job commit together) and the dispatcher is woken when that transaction commits.
        """
        row = self._row(kind, payload, due_at, guild_id, dedupe_key)
        stmt = self._insert if dedupe_key is None else self._insert_once
        if session is not None:
            conn = await session.connection()
            job_id = (await conn.execute(stmt, row)).scalar_one_or_none()
            if job_id is not None:
                self._wake_after_commit(session, due_at)
            return job_id
        async with self._db.write() as conn:
            job_id = (await conn.execute(stmt, row)).scalar_one_or_none()
        if job_id is not None:
            self._consider(due_at)
        return job_id

    def _row(
        self,
        kind: str,
        payload: Mapping[str, Any],
        due_at: datetime,
        guild_id: int | None,
        dedupe_key: str | None,
    ) -> dict[str, Any]:
        """A new pending job as the insert statements take it."""
        _require_aware(due_at)
        now = self._clock.now()
        return {
            "kind": kind,
            "payload": dict(payload),
            "guild_id": guild_id,
            "due_at": due_at,
            "status": PENDING,
            "attempts": 0,
            "dedupe_key": dedupe_key,
            "created_at": now,
            "updated_at": now,
        }

    async def enqueue_many(
        self,
        kind: str,
        jobs: Sequence[tuple[Mapping[str, Any], datetime, str]],
        *,
        guild_id: int | None,
        session: AsyncSession,
    ) -> None:
        """Add many jobs of one kind, each `(payload, due_at, dedupe_key)`, in one statement
        of the caller's transaction; a key that exists is skipped. For fan-outs."""
        if not jobs:
            return
        rows = [
            self._row(kind, payload, due_at, guild_id, dedupe_key)
            for payload, due_at, dedupe_key in jobs
        ]
        insert = self._db.insert(Job)
        conn = await session.connection()
        await conn.execute(insert.on_conflict_do_nothing(index_elements=[Job.dedupe_key]), rows)
        self._wake_after_commit(session, min(due for _, due, _ in jobs))

    async def cancel(
        self,
        *,
        job_id: int | None = None,
        dedupe_key: str | None = None,
        dedupe_key_prefix: str | None = None,
        guild_id: int | None = None,
        session: AsyncSession | None = None,
    ) -> int:
        """Delete the pending jobs matching every criterion given; returns how many.

        A job already running, done or failed is left alone. A cancelled job's dedupe key is
        free again, so resuming a paused schedule can enqueue it anew.
        """
        criteria = _criteria(job_id, dedupe_key, dedupe_key_prefix, guild_id)
        stmt = delete(Job).where(Job.status == PENDING, *criteria)
        return await self._write(stmt, session)

    async def reschedule(
        self,
        due_at: datetime,
        *,
        job_id: int | None = None,
        dedupe_key: str | None = None,
        payload: Mapping[str, Any] | None = None,
        session: AsyncSession | None = None,
    ) -> bool:
        """Move a pending job to `due_at` (replacing its payload when given), as a fresh job:
        its attempts start again. Returns False when no pending job matched."""
        _require_aware(due_at)
        criteria = _criteria(job_id, dedupe_key, None, None)
        values: dict[str, Any] = {
            "due_at": due_at,
            "attempts": 0,
            "last_error": None,
            "updated_at": self._clock.now(),
        }
        if payload is not None:
            values["payload"] = dict(payload)
        stmt = update(Job).where(Job.status == PENDING, *criteria).values(**values)
        moved = await self._write(stmt, session) > 0
        if moved:
            if session is None:
                self._consider(due_at)
            else:
                self._wake_after_commit(session, due_at)
        return moved

    def backoff(self, attempt: int) -> timedelta:
        """How long to wait before retrying after failed attempt number `attempt` (1-based)."""
        return backoff(attempt, first=self._backoff_base, cap=self._backoff_cap)

    # -- running jobs -----------------------------------------------------------------------

    async def run_due(self) -> int:
        """Claim and run every job due now that this process owns; returns how many ran.

        Waits for the handlers it started. The dispatcher does the same without waiting, so
        jobs that come due while a slow handler runs start on time.
        """
        started: list[asyncio.Task[None]] = []
        while True:
            started += await self._dispatch()
            if not self._saturated or self._stopping:
                break
            await asyncio.wait(set(self._running), return_when=asyncio.FIRST_COMPLETED)
        if started:
            await asyncio.wait(started)
        return len(started)

    async def start(self) -> None:
        """Start the dispatcher task. Jobs that fell due while the bot was down run now, late."""
        if self._loop_task is not None:
            raise RuntimeError("the scheduler is already running")
        self._stopping = False
        self._loop_task = asyncio.create_task(self._dispatch_forever(), name="scheduler")

    async def stop(self) -> None:
        """Stop the dispatcher and wait up to `stop_grace` seconds for running handlers.

        Handlers still running then are cancelled and their jobs go back to the queue as they
        were, to run when the bot is next up.
        """
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            done, _ = await asyncio.wait({self._loop_task}, timeout=self._stop_grace)
            if not done:
                self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None
        if self._running:
            _, late = await asyncio.wait(set(self._running), timeout=self._stop_grace)
            unfinished = [self._running[task] for task in late]
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
            await self._release(unfinished)
        self._resolve_idle_waiters()
        self._stopping = False

    def wake(self) -> None:
        """Make the dispatcher look at the queue now (e.g. after committing an enqueue)."""
        self._wake.set()

    @property
    def alive(self) -> bool:
        """Whether the dispatcher is running and its last look at the queue succeeded."""
        return self._loop_task is not None and not self._loop_task.done() and not self._failing

    @property
    def sleeping_until(self) -> datetime | None:
        """When the sleeping dispatcher looks again; None while it is awake or not running."""
        return self._sleeping_until

    async def wait_idle(self) -> None:
        """Return once the dispatcher has looked at the queue after this call, found nothing
        due, and no handler is running. In tests: move the clock, then await this."""
        if self._loop_task is None:
            raise RuntimeError("the scheduler is not running")
        waiter = asyncio.get_running_loop().create_future()
        self._idle_waiters.append(waiter)
        self._wake.set()
        await waiter

    # -- the dispatcher ---------------------------------------------------------------------

    async def _dispatch_forever(self) -> None:
        while not self._stopping:
            self._wake.clear()
            asked, self._idle_waiters = self._idle_waiters, []
            now = self._clock.now()
            ended = self._ended
            try:
                await self._dispatch()
                next_at = None if self._saturated else await self._next_due()
            except asyncio.CancelledError:
                self._idle_waiters[:0] = asked  # cut off by stop(), which answers them
                raise
            except Exception:
                self._log_db_trouble()
                next_at = now + ERROR_PAUSE
            else:
                if self._failing:
                    log.info("the scheduler reaches the database again")
                    self._failing = False
            now = self._clock.now()
            # A handler that ended during this pass may have enqueued a job after the look
            # read the queue: only a pass in which no handler worked proves idle.
            quiet = not self._running and self._ended == ended
            if quiet and not self._saturated and (next_at is None or next_at > now):
                _resolve(asked)
            else:
                self._idle_waiters[:0] = asked
                if asked and not self._running and self._ended != ended:
                    self._wake.set()  # the handlers ended during the pass: look again
            target = now + self._recheck if next_at is None else min(next_at, now + self._recheck)
            self._sleeping_until = target
            try:
                await self._clock.sleep_until(target, self._wake)
            finally:
                self._sleeping_until = None

    def _log_db_trouble(self) -> None:
        if self._failing:
            log.warning("the scheduler still cannot read its jobs", exc_info=True)
        else:
            log.exception("the scheduler cannot read its jobs; trying again")
        self._failing = True

    async def _dispatch(self) -> list[asyncio.Task[None]]:
        """Claim due jobs for every free slot and start them; sets `_saturated`."""
        started: list[asyncio.Task[None]] = []
        while (free := self._max_concurrency - len(self._running)) > 0:
            if self._stopping:
                self._saturated = False
                return started
            # Claiming no more than can start keeps queued jobs' leases from running down.
            jobs, maybe_more = await self._claim(free)
            started += [self._start(job) for job in jobs]
            # Fewer claimed than asked is not "nothing more due" when another process won
            # some of the candidates: look again while the candidates filled the request.
            if not maybe_more:
                self._saturated = False
                return started
        self._saturated = True
        return started

    def _start(self, job: JobContext) -> asyncio.Task[None]:
        task = asyncio.create_task(self._execute(job), name=f"job {job.id} ({job.kind})")
        self._running[task] = job
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        job = self._running.pop(task, None)
        self._ended += 1
        if not task.cancelled() and (exc := task.exception()) is not None:
            # Only a BaseException gets here (_execute handles the rest): the job stays
            # claimed and runs again when its lease has passed.
            what = f"job {job.id} ({job.kind})" if job else "a job"
            log.error("%s was interrupted; it runs again when its lease ends", what, exc_info=exc)
        if self._saturated or self._idle_waiters:
            self._wake.set()

    def _consider(self, due_at: datetime) -> None:
        """Wake the dispatcher if `due_at` is sooner than it means to look again."""
        if self._sleeping_until is None or due_at < self._sleeping_until:
            self._wake.set()

    def _wake_after_commit(self, session: AsyncSession, due_at: datetime) -> None:
        _after_commit(session, lambda: self._consider(due_at))

    def _resolve_idle_waiters(self) -> None:
        waiters, self._idle_waiters = self._idle_waiters, []
        _resolve(waiters)

    # -- queries ----------------------------------------------------------------------------

    def _owned(self) -> list[ColumnElement[bool]]:
        """The jobs this process may run: kinds it has handlers for, guilds on its shards."""
        clauses: list[ColumnElement[bool]] = [Job.kind.in_(sorted(self._handlers))]
        if len(self._shard_ids) < self._shard_count:
            # An INTEGER shift: PostgreSQL has `bigint >> integer` but no `bigint >> bigint`.
            shift = literal(SHARD_ID_SHIFT, Integer)
            shard = Job.guild_id.op(">>")(shift) % self._shard_count
            on_ours = shard.in_(sorted(self._shard_ids))
            clauses.append(
                or_(Job.guild_id.is_(None), on_ours) if 0 in self._shard_ids else on_ours
            )
        return clauses

    def _not_running_here(self) -> list[ColumnElement[bool]]:
        """Leave out the jobs whose handlers run in this process: they are alive, whatever
        their lease says (a lease can pass mid-run when a test moves the clock, or while the
        outcome is being written)."""
        running = sorted(job.id for job in self._running.values())
        return [Job.id.not_in(running)] if running else []

    @staticmethod
    def _claimable(now: datetime | ColumnElement[datetime]) -> ColumnElement[bool]:
        # `<=`, as for `due_at`: `_next_due` counts a lease that ends now as due now.
        expired = and_(Job.status == RUNNING, Job.lease_until <= now)
        return and_(Job.due_at <= now, or_(Job.status == PENDING, expired))

    def _claim_statements(self) -> tuple[_Candidates, _Claim]:
        """The candidates' query and the claim, rebuilt only when the handlers change."""
        kinds = frozenset(self._handlers)
        if self._claims is None or self._claims[0] != kinds:
            now: BindParameter[datetime] = bindparam("now")
            candidates = (
                select(Job.id, Job.status)
                .where(
                    self._claimable(now),
                    *self._owned(),
                    Job.id.not_in(bindparam("running", expanding=True)),
                )
                .order_by(Job.due_at, Job.id)
                .limit(bindparam("limit"))
            )
            claim = (
                update(Job)
                .where(self._claimable(now), Job.id.in_(bindparam("ids", expanding=True)))
                .values(
                    status=RUNNING,
                    lease_until=bindparam("lease"),
                    attempts=Job.attempts + 1,
                    updated_at=now,
                )
                .returning(Job.id, Job.kind, Job.payload, Job.guild_id, Job.due_at, Job.attempts)
            )
            if not self._db.is_sqlite:
                candidates = candidates.with_for_update(skip_locked=True)
            self._claims = (kinds, candidates, claim)
        return self._claims[1], self._claims[2]

    async def _claim(self, limit: int) -> tuple[list[JobContext], bool]:
        """Claim up to `limit` due jobs; also says whether more may be due (the candidates
        filled the limit)."""
        now = self._clock.now()
        candidates, claim = self._claim_statements()
        # As in `_not_running_here`: jobs whose handlers run here are alive.
        running = sorted(job.id for job in self._running.values())
        asked = {"now": now, "running": running, "limit": limit}
        claiming = {"now": now, "lease": now + self._lease}
        if self._db.is_sqlite:
            # Read outside the write transaction so that idle checks never take the lock;
            # the conditional UPDATE then settles any race with another process.
            async with self._db.engine.connect() as conn:
                found = (await conn.execute(candidates, asked)).all()
            if not found:
                return [], False
            async with self._db.write() as conn:
                rows = (await conn.execute(claim, {**claiming, "ids": [r.id for r in found]})).all()
        else:
            async with self._db.write() as conn:
                found = (await conn.execute(candidates, asked)).all()
                if not found:
                    return [], False
                rows = (await conn.execute(claim, {**claiming, "ids": [r.id for r in found]})).all()
        reclaimed = {r.id for r in found if r.status == RUNNING}
        jobs = []
        for row in sorted(rows, key=lambda r: (r.due_at, r.id)):
            if row.id in reclaimed:
                log.warning(
                    "job %s (%s) was abandoned by its process; running it again", row.id, row.kind
                )
            jobs.append(
                JobContext(
                    id=row.id,
                    kind=row.kind,
                    payload=dict(row.payload or {}),
                    guild_id=row.guild_id,
                    due_at=row.due_at,
                    attempt=row.attempts,
                    late=max(now - row.due_at, timedelta(0)),
                    clock=self._clock,
                )
            )
        return jobs, len(found) >= limit

    async def _next_due(self) -> datetime | None:
        """When the next owned job becomes claimable: the earliest pending due time, or the
        earliest lease of a running job (it may belong to a process that died)."""
        owned = self._owned()
        pending = select(func.min(Job.due_at)).where(Job.status == PENDING, *owned)
        leased = select(func.min(Job.lease_until)).where(
            Job.status == RUNNING, *owned, *self._not_running_here()
        )
        async with self._db.engine.connect() as conn:
            row = (
                await conn.execute(select(pending.scalar_subquery(), leased.scalar_subquery()))
            ).one()
        return min((moment for moment in row if moment is not None), default=None)

    async def _write(self, stmt: Update | Delete, session: AsyncSession | None) -> int:
        if session is not None:
            result = await session.execute(stmt.execution_options(synchronize_session=False))
        else:
            async with self._db.write() as conn:
                result = await conn.execute(stmt)
        return rows_matched(result)

    # -- one job ----------------------------------------------------------------------------

    async def _execute(self, job: JobContext) -> None:
        if job.attempt > self._max_attempts:
            abandoned = JobAbandoned(
                f"the process running this job stopped during each of {self._max_attempts} "
                "attempts, so it is not tried again"
            )
            await self._give_up(job, abandoned)
            return
        handler = self._handlers.get(job.kind)
        self._observe(JobEvent.STARTED, job)
        try:
            if handler is None:
                raise LookupError(f"no handler for jobs of kind {job.kind!r}")
            async with asyncio.timeout(self._handler_timeout):
                await handler(job)
        except Exception as exc:
            if job.id in self._done_here:
                log.exception("job %s (%s) failed after it was recorded done", job.id, job.kind)
            else:
                await self._failed(job, exc)
        else:
            if job.id not in self._done_here:
                await self._record(job, status=DONE, lease_until=None, last_error=None)
            self._observe(JobEvent.DONE, job)
        finally:
            self._done_here.discard(job.id)

    def _observe(self, event: JobEvent, job: JobContext) -> None:
        if self.observer is not None:
            try:
                self.observer(event, job)
            except Exception:
                log.exception("the job observer failed on %s", event)

    async def finish_in(self, session: AsyncSession, job: JobContext) -> None:
        """Record `job` done in the handler's own transaction: its work and its outcome then
        commit together, and the dispatcher writes nothing more for it. For the handler's
        last transaction (an error after it is logged, not retried)."""
        conn = await session.connection()
        done = self._outcome(job, status=DONE, lease_until=None, last_error=None)
        result = await conn.execute(_OUTCOME, done)
        if result.rowcount != 1:
            return  # not claimed by this run (another process's now): the dispatcher decides
        _after_commit(session, lambda: self._done_here.add(job.id))

    async def _failed(self, job: JobContext, exc: Exception) -> None:
        if job.attempt >= self._max_attempts:
            await self._give_up(job, exc)
            return
        self._observe(JobEvent.RETRY, job)
        retry_at = self._clock.now() + self.backoff(job.attempt)
        log.warning(
            "job %s (%s) failed on attempt %s of %s; retrying at %s",
            job.id,
            job.kind,
            job.attempt,
            self._max_attempts,
            retry_at.isoformat(),
            exc_info=exc,
        )
        recorded = await self._record(
            job, status=PENDING, due_at=retry_at, lease_until=None, last_error=_describe(exc)
        )
        if recorded:
            self._consider(retry_at)

    async def _give_up(self, job: JobContext, exc: BaseException) -> None:
        self._observe(JobEvent.FAILED, job)
        log.error(
            "job %s (%s) failed %s times; giving up", job.id, job.kind, job.attempt, exc_info=exc
        )
        recorded = await self._record(
            job, status=FAILED, lease_until=None, last_error=_describe(exc)
        )
        give_up = self._give_ups.get(job.kind)
        if recorded and give_up is not None:
            try:
                await give_up(job, exc)
            except Exception:
                log.exception("reporting the failure of job %s failed too", job.id)

    async def _record(self, job: JobContext, **values: Any) -> bool:
        """Write a job's outcome, only if this process still holds its claim."""
        try:
            async with self._db.write() as conn:
                result = await conn.execute(_OUTCOME, self._outcome(job, **values))
        except Exception:
            log.exception("could not record how job %s ended; it runs again later", job.id)
            return False
        if result.rowcount != 1:
            log.warning("job %s was claimed again elsewhere; its outcome here is dropped", job.id)
            return False
        return True

    def _outcome(self, job: JobContext, **values: Any) -> dict[str, Any]:
        """`_OUTCOME`'s parameters: this claim of the job, and the columns to set."""
        return {"job": job.id, "claim": job.attempt, "updated_at": self._clock.now(), **values}

    async def _release(self, jobs: list[JobContext]) -> None:
        """Put jobs interrupted by `stop()` back in the queue; stopping costs no attempt."""
        if not jobs:
            return
        now = self._clock.now()
        try:
            async with self._db.write() as conn:
                for job in jobs:
                    await conn.execute(
                        update(Job)
                        .where(Job.id == job.id, Job.status == RUNNING, Job.attempts == job.attempt)
                        .values(
                            status=PENDING,
                            lease_until=None,
                            attempts=Job.attempts - 1,
                            updated_at=now,
                        )
                    )
        except Exception:
            log.exception("could not return interrupted jobs to the queue; they run later")


def _after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Call `callback` once the session's transaction has committed. One listener a session:
    a post queues several jobs, and adding a listener costs more than the rest of a call."""
    waiting: list[Callable[[], None]] | None = session.info.get(_AFTER_COMMIT)
    if waiting is None:
        waiting = session.info[_AFTER_COMMIT] = []

        def committed(sync_session: Session) -> None:
            for call in sync_session.info.pop(_AFTER_COMMIT, ()):
                call()

        event.listen(session.sync_session, "after_commit", committed, once=True)
    waiting.append(callback)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("job times must be timezone-aware (UTC)")


def _criteria(
    job_id: int | None,
    dedupe_key: str | None,
    dedupe_key_prefix: str | None,
    guild_id: int | None,
) -> list[ColumnElement[bool]]:
    criteria: list[ColumnElement[bool]] = []
    if job_id is not None:
        criteria.append(Job.id == job_id)
    if dedupe_key is not None:
        criteria.append(Job.dedupe_key == dedupe_key)
    if dedupe_key_prefix is not None:
        criteria.append(Job.dedupe_key.startswith(dedupe_key_prefix, autoescape=True))
    if guild_id is not None:
        criteria.append(Job.guild_id == guild_id)
    if not criteria:
        raise ValueError("say which jobs: job_id, dedupe_key, dedupe_key_prefix or guild_id")
    return criteria


def _describe(exc: BaseException) -> str:
    # The job's row outlives the error: a database error's values must not stay in it.
    return summary(exc)[:MAX_ERROR_CHARS]


def _resolve(waiters: list[asyncio.Future[None]]) -> None:
    for waiter in waiters:
        if not waiter.done():
            waiter.set_result(None)
