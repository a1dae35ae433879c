"""The jobs the services run, as the composition root registers them: every kind the
services queue has its handler there, and the votes service closes and reminds from its own
jobs through its Discord port; a world's jobs all reach its fakes of Discord."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
from datetime import timedelta

from sqlalchemy import select

import bot.services
from bot.db.models import Job, Vote
from bot.scheduler import JobContext
from bot.services.root import Services
from bot.services.votes import CLOSE_JOB, VoteState
from bot.services.votes.closing import Announcement
from bot.voting import VoteReminder
from tests.clocked import FIRST_DUE, START
from tests.services.worlds import ANA, BEN, GUILD, Announcer, VoteWorld, vote_world

__all__ = ["vote_world"]  # the fixture `world`


def _job_kinds() -> set[str]:
    """Every job kind a service module declares (a module-level `…_JOB` string)."""
    kinds = set()
    for module in pkgutil.walk_packages(bot.services.__path__, prefix="bot.services."):
        values = vars(importlib.import_module(module.name))
        kinds |= {v for k, v in values.items() if k.endswith("_JOB") and isinstance(v, str)}
    return kinds


def test_every_job_kind_a_service_declares_has_its_handler_in_the_root(
    services: Services,
) -> None:
    assert set(services.jobs()) == _job_kinds()


async def test_a_worlds_meeting_reminder_and_settle_jobs_reach_its_discord_side(
    world: VoteWorld,
) -> None:
    schedule_id = await world.circle(ANA, BEN)
    await world.services.reminders.change(GUILD, ANA, on_post=True)
    await world.first_post_met_and_shared(schedule_id, ANA)
    await world.at(FIRST_DUE + timedelta(minutes=5))

    assert world.events.events
    assert world.events.links
    assert [user for user, _ in world.dms.sent] == [ANA]
    assert world.thread_messages.settled
    async with world.db.read() as session:
        failed = [job.kind for job in await session.scalars(select(Job)) if job.last_error]
    assert failed == []


class BrokenAnnouncer(Announcer):
    """Discord refuses every result."""

    async def post_result(self, closing: Announcement) -> int:
        raise ConnectionResetError("Discord is down")

    async def show_closed(self, vote: VoteState, result_message_id: int) -> None:
        raise AssertionError("a vote without a result message has nothing to point to")


async def test_a_vote_whose_result_cannot_be_posted_is_closed_without_one(
    world: VoteWorld,
) -> None:
    world.votes.closing.announcer = BrokenAnnouncer()
    await world.circle(ANA, BEN)
    vote_id = await world.open(closes="1h", remind=VoteReminder.NONE)
    # Every retry, until the scheduler gives up (its default: 5 attempts, at most 30 min apart).
    for hours in range(1, 8):
        await world.at(START + timedelta(hours=hours))

    async with world.db.session() as session:
        vote = await session.get_one(Vote, vote_id)
        assert (vote.status, vote.result_message_id) == ("closed", None)


async def test_the_reminder_job_reminds_once_and_not_when_everyone_has_voted(
    world: VoteWorld,
) -> None:
    await world.circle(ANA, BEN)
    waiting = await world.open(closes="4h")
    complete = await world.open(closes="4h")
    for member in (ANA, BEN):
        await world.votes.ballots.cast(GUILD, complete, member, [0])
    await world.open(closes="4h", remind=VoteReminder.NONE)

    await world.at(START + timedelta(hours=3, minutes=30))

    assert world.announcer.reminded == [waiting]
    for vote_id in (waiting, complete):
        assert await world.votes.closing.reminder(vote_id) is None
    await world.at(START + timedelta(hours=3, minutes=50))
    assert world.announcer.reminded == [waiting]


class _SlowAnnouncer(Announcer):
    """Posts a result only once told to: a /vote close still posting."""

    def __init__(self) -> None:
        super().__init__()
        self.posting = asyncio.Event()
        self.go_on = asyncio.Event()

    async def post_result(self, closing: Announcement) -> int:
        self.posting.set()
        await self.go_on.wait()
        return await super().post_result(closing)


async def test_a_closing_job_given_up_while_a_close_posts_keeps_the_result_it_posted(
    world: VoteWorld,
) -> None:
    announcer = world.votes.closing.announcer = _SlowAnnouncer()
    await world.circle(ANA, BEN)
    vote_id = await world.open(closes="1h", remind=VoteReminder.NONE)
    closing = asyncio.create_task(world.votes.closing.close(vote_id, closed_by=ANA))
    await announcer.posting.wait()
    job = JobContext(
        id=1,
        kind=CLOSE_JOB,
        payload={"vote_id": vote_id},
        guild_id=GUILD,
        due_at=START,
        attempt=5,
        late=timedelta(0),
        clock=world.clock,
    )

    giving_up = asyncio.create_task(world.votes.closing.give_up_close(job, TimeoutError()))
    await asyncio.sleep(0.05)
    announcer.go_on.set()
    await asyncio.gather(closing, giving_up)

    async with world.db.session() as session:
        vote = await session.get_one(Vote, vote_id)
        assert (vote.status, vote.result_message_id) == ("closed", 7000 + vote_id)
