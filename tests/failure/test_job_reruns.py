"""A post job that runs again after its work was recorded posts nothing more.

A process can die after a post was committed and before the job was marked done; when the
job's lease runs out it runs again. The SIGKILL test (test_sigkill.py) finds this at random;
these tests run the handler twice on purpose.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Job
from bot.scheduler import JobContext
from bot.services.posting import PostPlan, PostReceipt
from bot.services.schedules import POST_JOB, POST_NOW_JOB
from tests.clocked import FIRST_DUE
from tests.services.worlds import GUILD, ScheduleWorld, schedule_world

__all__ = ["schedule_world"]  # the fixture `world`


async def _job(world: ScheduleWorld, kind: str) -> JobContext:
    async with world.db.session() as session:
        job = await session.scalar(select(Job).where(Job.kind == kind).order_by(Job.id.desc()))
    assert job is not None
    return JobContext(
        id=job.id,
        kind=job.kind,
        payload=dict(job.payload),
        guild_id=job.guild_id,
        due_at=job.due_at,
        attempt=2,
        late=timedelta(0),
        clock=world.clock,
    )


class Died(BaseException):
    """The process stopping dead: nothing after this point is committed."""


def _die_while_publishing(
    world: ScheduleWorld, monkeypatch: pytest.MonkeyPatch, *, after: int
) -> None:
    """After `after` posts were published and recorded, the process dies while publishing
    the next one (its sections already planned as "posting")."""
    publish = world.poster.publish
    calls = {"posts": 0}

    async def publish_or_die(plan: PostPlan) -> PostReceipt:
        calls["posts"] += 1
        if calls["posts"] > after:
            monkeypatch.setattr(world.poster, "publish", publish)
            raise Died
        return await publish(plan)

    monkeypatch.setattr(world.poster, "publish", publish_or_die)


async def test_a_regular_post_run_again_does_not_post_the_next_section(
    world: ScheduleWorld,
) -> None:
    await world.create()
    job = await _job(world, POST_JOB)
    world.clock.set(FIRST_DUE)
    await world.services.posting.handle(job)

    await world.services.posting.handle(job)  # not marked done before the process died: runs again

    assert world.poster.posted_positions == [1]
    schedule = await world.schedules.status(GUILD, job.payload["schedule_id"])
    assert schedule.next_post_at == FIRST_DUE + timedelta(days=7)


async def test_a_late_catch_up_run_again_posts_only_what_is_missing(
    world: ScheduleWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await world.create()
    job = await _job(world, POST_JOB)
    world.clock.set(FIRST_DUE + timedelta(days=14, hours=1))  # three Mondays missed
    _die_while_publishing(world, monkeypatch, after=2)  # dies publishing the third
    with pytest.raises(Died):
        await world.services.posting.handle(job)
    assert world.poster.posted_positions == [1, 2]

    await world.services.posting.handle(job)  # the lease ran out: the job runs again

    assert world.poster.posted_positions == [1, 2, 3]
    assert [plan.recovering for plan in world.poster.plans] == [False, False, True]


async def test_post_now_run_again_does_not_post_the_next_section(world: ScheduleWorld) -> None:
    schedule_id = await world.create()
    await world.schedules.post_now(GUILD, schedule_id)
    job = await _job(world, POST_NOW_JOB)
    assert job.payload["position"] == 1
    await world.services.posting.handle(job)
    await world.services.posting.handle(job)  # run again after the post was recorded

    assert world.poster.posted_positions == [1]
