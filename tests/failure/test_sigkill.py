"""`python -m bot run` killed with SIGKILL at random points while sections are posted and
votes are closed.

Several schedules fall due together (text channels and a forum, one and two sections a post,
a regular post and a "post now" on the same schedule), and two votes close at the same time.
The process is killed after a random number of its posting requests, a few times over; the
leases of the jobs it held are then run out (as time would) and it is started again. In the
end every due section is posted exactly once, complete, no section that was not due is
posted, and every closed vote has exactly one result message.

Set FAILURE_SEED to replay the kill points of a failed run.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.db import Database, create_database
from bot.db.models import Job, Membership, Schedule, Section, SectionPost, Vote
from bot.reading.chunks import split_messages
from bot.services.root import Services
from bot.services.schedules import POST_JOB, POST_NOW_JOB
from bot.services.votes import CLOSE_JOB, VoteRequest
from bot.voting import VoteReminder
from tests.e2e.conftest import bot_env
from tests.failure.sigkill import (
    real_clock_services,
    run_out_leases,
    schedule_due_at,
    until_kill_point,
)
from tests.fakediscord import FakeChannel, FakeDiscord, FakeMessage

pytestmark = pytest.mark.e2e

KILLS = 3  # the scheduler gives a job up after 5 claims: 3 kills and the last run stay within
POSTING = (
    ("POST", "/channels/{id}/messages"),
    ("POST", "/channels/{id}/messages/{message}/threads"),
    ("POST", "/channels/{id}/threads"),
)


@dataclass
class Circle:
    schedule_id: int
    channel: FakeChannel
    forum: bool
    # Each post's section positions, in order.
    posts: list[list[int]]


async def _post_now(services: Services, schedule_id: int, guild_id: int, due: datetime) -> None:
    """What /schedule post-now queues, due just before the regular post."""
    await services.scheduler.enqueue(
        POST_NOW_JOB,
        {"schedule_id": schedule_id, "due_at": due.isoformat(), "position": 1},
        due,
        guild_id=guild_id,
        dedupe_key=f"schedule:{schedule_id}:now:1",
    )


async def _closing_soon(
    services: Services, fake: FakeDiscord, circle: Circle, due: datetime, ballots: int
) -> int:
    """A vote of the circle, in its channel, with a few ballots, closing at `due`."""
    db, votes = services.database, services.votes
    guild_id = fake.world.guild.id
    async with db.session() as session:
        for voter in range(ballots):
            session.add(Membership(schedule_id=circle.schedule_id, user_id=900 + voter))
    opened = await votes.opening.open_vote(
        guild_id,
        fake.world.facilitator.id,
        VoteRequest(
            "Which chapter next?",
            circle.channel.id,
            options=("One", "Two", "Three"),
            closes="1d",
            remind=VoteReminder.NONE,
            schedule_id=circle.schedule_id,
        ),
        facilitator=True,
    )
    vote_id = opened.vote.id
    for voter in range(ballots):
        await votes.ballots.cast(guild_id, vote_id, 900 + voter, [voter % 3])
    async with db.session() as session:
        await session.execute(update(Vote).where(Vote.id == vote_id).values(closes_at=due))
        await session.execute(
            update(Job)
            .where(Job.kind == CLOSE_JOB, Job.payload["vote_id"].as_integer() == vote_id)
            .values(due_at=due)
        )
    return vote_id


async def _all_posted(db: Database, circles: list[Circle]) -> bool:
    async with db.session() as session:
        unfinished = await session.scalar(
            select(Job.id)
            .where(
                Job.kind.in_([POST_JOB, POST_NOW_JOB, CLOSE_JOB]),
                Job.status.in_(["pending", "running"]),
                Job.due_at <= datetime.now(UTC),
            )
            .limit(1)
        )
        posted = await session.scalars(
            select(SectionPost.schedule_id).where(SectionPost.status == "posted")
        )
        counts: dict[int, int] = {}
        for schedule_id in posted:
            counts[schedule_id] = counts.get(schedule_id, 0) + 1
    expected = {c.schedule_id: sum(len(p) for p in c.posts) for c in circles}
    return unfinished is None and counts == expected


async def _state(db: Database) -> str:
    async with db.session() as session:
        jobs = await session.scalars(select(Job).order_by(Job.id))
        posts = await session.scalars(select(SectionPost).order_by(SectionPost.id))
        return "\n".join(
            [
                *(
                    f"job {j.id} {j.kind} {j.status} due {j.due_at} tries {j.attempts}"
                    for j in jobs
                ),
                *(
                    f"post {p.schedule_id}/{p.position} {p.status} msg {p.message_id}"
                    for p in posts
                ),
            ]
        )


def _posted_at_least(fake: FakeDiscord, since: int, count: int) -> Callable[[], bool]:
    """Whether, when asked, `count` posting requests have been made since `since`."""
    return lambda: (
        sum(len(fake.requests_to(method, path, since=since)) for method, path in POSTING) >= count
    )


def _announcements(fake: FakeDiscord, circle: Circle) -> list[FakeMessage]:
    if circle.forum:
        starters = []
        for thread in fake.threads_in(circle.channel):
            starters += [m for m in fake.messages_in(thread) if m.id == thread.id]
        return starters
    ours = f"sc{circle.schedule_id}p"
    return [m for m in fake.messages_in(circle.channel) if str(m.nonce or "").startswith(ours)]


async def _check_votes(
    db: Database, fake: FakeDiscord, votes: dict[int, FakeChannel], seed: int
) -> None:
    """Each vote closed, with exactly one result message: the one the database names."""
    async with db.session() as session:
        for vote_id, channel in votes.items():
            vote = await session.get_one(Vote, vote_id)
            results = [m for m in fake.messages_in(channel) if m.nonce == f"vr{vote_id}"]
            assert vote.status == "closed", f"vote {vote_id} (FAILURE_SEED={seed})"
            assert len(results) == 1, f"vote {vote_id} (FAILURE_SEED={seed})"
            assert vote.result_message_id == results[0].id, f"(FAILURE_SEED={seed})"


async def _check(db: Database, fake: FakeDiscord, circles: list[Circle], seed: int) -> None:
    why = f"(FAILURE_SEED={seed})"
    async with db.session() as session:
        for circle in circles:
            schedule = await session.get_one(Schedule, circle.schedule_id)
            sections = {
                s.position: s
                for s in await session.scalars(
                    select(Section).where(Section.reading_id == schedule.reading_id)
                )
            }
            announcements = _announcements(fake, circle)
            nonces = [m.nonce for m in announcements]
            expected = [f"sc{circle.schedule_id}p{post[0]}" for post in circle.posts]
            if circle.forum:
                # Forum posts carry no nonce: they are told apart by their thread's name.
                names = sorted(t.name for t in fake.threads_in(circle.channel))
                assert names == sorted(f"{p[0]} · {sections[p[0]].title}" for p in circle.posts), (
                    why
                )
            else:
                assert Counter(nonces) == Counter(expected), why
            for post, message in zip(circle.posts, announcements, strict=True):
                label = message.embeds[0]["description"]
                assert label.startswith(f"**Section{'s' if len(post) > 1 else ''} {post[0]}"), why
                [thread] = [t for t in fake.state.channels.values() if t.id == message.id]
                nonce = f"sc{circle.schedule_id}p{post[0]}c"
                text = [
                    m.content
                    for m in fake.messages_in(thread)
                    if str(m.nonce or "").startswith(nonce)
                ]
                chunks = [c for position in post for c in split_messages(sections[position].text)]
                assert text == chunks, f"thread of {label!r} {why}"
            rows = list(
                await session.scalars(
                    select(SectionPost)
                    .where(SectionPost.schedule_id == circle.schedule_id)
                    .order_by(SectionPost.position)
                )
            )
            assert [r.position for r in rows] == [p for post in circle.posts for p in post], why
            assert {r.status for r in rows} == {"posted"}, why
            assert {r.message_id for r in rows} <= {m.id for m in announcements}, why
            assert schedule.next_position == max(p for post in circle.posts for p in post) + 1
            assert schedule.next_post_at is not None, why
            assert schedule.next_post_at.hour == 12, why
    # Whatever else was posted (digests of closed sections, say), no nonce was used twice.
    for channel_id, messages in fake.state.messages.items():
        nonces = [m.nonce for m in messages.values() if m.nonce is not None]
        assert len(nonces) == len(set(nonces)), f"a message posted twice in {channel_id} {why}"


async def test_sigkill_while_posting_neither_loses_nor_doubles_a_section(
    forked_bot: Any, fake_discord: FakeDiscord, database_url: str
) -> None:
    seed = int(os.environ.get("FAILURE_SEED") or random.randrange(2**32))
    rng = random.Random(seed)
    world = fake_discord.world
    second = fake_discord.state.add_channel(world.guild, "circle-two")
    third = fake_discord.state.add_channel(world.guild, "circle-three")
    db = create_database(database_url)
    services = real_clock_services(db)
    try:
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        circles = [
            Circle(
                await schedule_due_at(services, fake_discord.world, world.reading, due, 1),
                world.reading,
                False,
                [[1], [2]],
            ),
            Circle(
                await schedule_due_at(services, fake_discord.world, second, due, 2),
                second,
                False,
                [[1, 2]],
            ),
            Circle(
                await schedule_due_at(services, fake_discord.world, third, due, 1),
                third,
                False,
                [[1]],
            ),
            Circle(
                await schedule_due_at(services, fake_discord.world, world.forum, due, 1),
                world.forum,
                True,
                [[1]],
            ),
        ]
        await _post_now(
            services, circles[0].schedule_id, world.guild.id, due - timedelta(milliseconds=500)
        )
        votes = {
            await _closing_soon(services, fake_discord, circles[0], due, ballots=5): world.reading,
            await _closing_soon(services, fake_discord, circles[1], due, ballots=2): second,
        }

        env = bot_env(fake_discord, database_url)
        for kill in range(KILLS):
            since = fake_discord.mark()
            process = await forked_bot("run", env=env)
            await fake_discord.wait_for_identify(count=kill + 1, timeout=30)
            after = rng.randint(1, 12)
            await until_kill_point(
                fake_discord,
                _posted_at_least(fake_discord, since, after),
                lambda: _all_posted(db, circles),
            )
            process.process.send_signal(signal.SIGKILL)
            await process.wait()
            await run_out_leases(db)

        last = await forked_bot("run", env=env)
        try:
            await fake_discord.wait_for_identify(count=KILLS + 1, timeout=30)
            deadline = asyncio.get_running_loop().time() + 30
            while not await _all_posted(db, circles):
                if asyncio.get_running_loop().time() > deadline:
                    pytest.fail(
                        f"the sections were not all posted in 30 s (FAILURE_SEED={seed}):\n"
                        + await _state(db)
                        + "\n"
                        + last.stderr[-3000:]
                    )
                await asyncio.sleep(0.1)
        finally:
            code, _ = await last.stop(signal.SIGTERM)
        assert code == 0, last.stderr
        await _check(db, fake_discord, circles, seed)
        await _check_votes(db, fake_discord, votes, seed)
    finally:
        await db.dispose()


@pytest.mark.parametrize("archived", [False, True], ids=["active", "archived"])
async def test_a_forum_post_killed_right_after_creation_is_found_on_restart_not_doubled(
    forked_bot: Any, fake_discord: FakeDiscord, database_url: str, archived: bool
) -> None:
    """The restarted bot runs the post again before its gateway cache holds the forum's
    threads (READY comes a second after REST answers): it finds the earlier post through
    REST, active or archived, and finishes that one."""
    world = fake_discord.world
    db = create_database(database_url)
    services = real_clock_services(db)
    try:
        due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
        circle = Circle(
            await schedule_due_at(services, fake_discord.world, world.forum, due, 1),
            world.forum,
            True,
            [[1]],
        )
        env = bot_env(fake_discord, database_url)
        first = await forked_bot("run", env=env)
        await fake_discord.wait_for_request(
            "POST", f"/channels/{world.forum.id}/threads", timeout=30
        )
        first.process.send_signal(signal.SIGKILL)
        await first.wait()
        [post] = fake_discord.threads_in(world.forum)
        async with db.session() as session:
            recorded = await session.scalar(
                select(SectionPost.id).where(SectionPost.status == "posted")
            )
        assert recorded is None, "killed too late: the post was recorded"
        if archived:
            post.archived = True  # as a moderator might, or Discord after inactivity
            post.archive_timestamp = datetime.now(UTC).isoformat()
        await run_out_leases(db)

        fake_discord.ready_delay = 1.0
        last = await forked_bot("run", env=env)
        try:
            deadline = asyncio.get_running_loop().time() + 30
            while not await _all_posted(db, [circle]):
                if asyncio.get_running_loop().time() > deadline:
                    pytest.fail("the post was not finished in 30 s:\n" + await _state(db))
                await asyncio.sleep(0.1)
        finally:
            code, _ = await last.stop(signal.SIGTERM)
        assert code == 0, last.stderr
        assert [t.id for t in fake_discord.threads_in(world.forum)] == [post.id]
        await _check(db, fake_discord, [circle], 0)
    finally:
        await db.dispose()
