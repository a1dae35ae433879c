"""The paths a burst of interactions takes stay correct when they are made fast: clicks written
together in one transaction, SQLite sessions taking turns, reads that do not wait."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db import Database, create_database
from bot.db.engine import Coalescer
from bot.db.models import Membership, Progress, Schedule, SectionPost
from bot.errors import NotFound, UserError
from bot.services.post_statements import POST_FACTS
from bot.voting import VoteMethod
from tests.clocked import FIRST_DUE
from tests.services.worlds import (
    ANA,
    BEN,
    GUILD,
    MIA,
    OTHER_GUILD,
    OUTSIDER,
    ReflectionWorld,
    ScheduleWorld,
    VoteWorld,
    schedule_world,
)
from tests.statements import watching

__all__ = ["schedule_world"]  # the fixture `world`


async def _posted_section(world: ScheduleWorld, *, posts: int = 1) -> tuple[int, list[int]]:
    schedule_id = await world.create()
    for week in range(posts):
        await world.at(FIRST_DUE.replace(day=1 + 7 * week))
    async with world.db.session() as session:
        sections = list(
            await session.scalars(
                select(SectionPost.section_id)
                .where(SectionPost.schedule_id == schedule_id)
                .order_by(SectionPost.position)
            )
        )
    return schedule_id, sections


# --- the coalescer ------------------------------------------------------------------------


async def test_requests_that_arrive_together_run_as_one_batch() -> None:
    seen: list[list[int]] = []
    gate = asyncio.Event()

    async def run(batch: list[int]) -> list[int | BaseException]:
        seen.append(batch)
        await gate.wait()
        return [ValueError(n) if n == 3 else n * 10 for n in batch]

    coalescer: Coalescer[int, int] = Coalescer(run)
    tasks = [asyncio.create_task(coalescer.submit(0))]
    await asyncio.sleep(0.01)  # the first is running alone
    tasks += [asyncio.create_task(coalescer.submit(n)) for n in range(1, 6)]
    await asyncio.sleep(0.01)
    gate.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)

    assert seen == [[0], [1, 2, 3, 4, 5]]  # the first alone, then everyone who waited
    assert results[:3] == [0, 10, 20]
    assert isinstance(results[3], ValueError)
    assert results[4:] == [40, 50]


async def test_a_failed_batch_fails_each_of_its_requests_and_the_next_batch_runs() -> None:
    calls = 0

    async def run(batch: list[str]) -> list[str | BaseException]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("the database is away")
        return [text.upper() for text in batch]

    coalescer: Coalescer[str, str] = Coalescer(run, max_batch=2)
    with pytest.raises(ConnectionError):
        await coalescer.submit("a")
    assert await asyncio.gather(*(coalescer.submit(t) for t in "bcd")) == ["B", "C", "D"]


# --- the Done button ----------------------------------------------------------------------


async def test_a_burst_of_done_clicks_is_written_together_and_each_is_answered(
    world: ScheduleWorld,
) -> None:
    schedule_id, [first, second] = await _posted_section(world, posts=2)
    users = list(range(500, 560))
    clicks = [world.members.mark_read(GUILD, user, section_id=first) for user in users]
    clicks.append(world.members.mark_read(GUILD, users[0], section_id=first))  # a double click
    clicks.append(world.members.mark_read(GUILD, users[1], section_id=second))
    clicks.append(
        world.members.mark_read(OTHER_GUILD, users[2], section_id=first)
    )  # another guild's

    with watching(world.db) as seen:
        results = await asyncio.gather(*clicks, return_exceptions=True)

    assert seen.transactions < len(clicks) // 10
    for result in results[: len(users)]:
        assert not isinstance(result, BaseException)
        report = result.progress
        assert result.new
        assert (result.section.section_id, report.schedule_id, report.total_sections) == (
            first,
            schedule_id,
            10,
        )
        assert [s.read for s in report.sections] == [True, False]
    double = results[len(users)]
    assert not isinstance(double, BaseException)
    assert double.new is False  # the double click marked nothing new
    assert isinstance(results[-1], NotFound)
    async with world.db.session() as session:
        rows = await session.scalar(select(func.count()).select_from(Progress))
    assert rows == len(users) + 1


async def test_a_done_among_clicks_is_written_with_them_by_the_same_rules(
    world: ScheduleWorld,
) -> None:
    _, [first, second] = await _posted_section(world, posts=2)
    users = list(range(800, 830))
    marks = [world.members.mark_read(GUILD, user, section_id=first) for user in users]
    marks.append(world.members.mark_read(GUILD, 900))  # the latest section
    marks.append(world.members.mark_read(GUILD, 901, position=1))
    marks.append(world.members.mark_read(GUILD, 902, position=9))
    marks.append(world.members.mark_read(OTHER_GUILD, 903))

    with watching(world.db) as seen:
        results = await asyncio.gather(*marks, return_exceptions=True)

    assert seen.transactions < len(marks) // 5
    latest, by_position, too_far, elsewhere = results[len(users) :]
    assert not isinstance(latest, BaseException)
    assert (latest.section.section_id, latest.new) == (second, True)
    assert [s.read for s in latest.progress.sections] == [False, True]
    assert not isinstance(by_position, BaseException)
    assert (by_position.section.section_id, by_position.new) == (first, True)
    assert isinstance(too_far, UserError)
    assert str(too_far) == "Section 9 has not been posted yet; sections 1–2 have."
    assert isinstance(elsewhere, NotFound)


async def test_a_click_sees_what_each_member_read_before_among_the_posted_sections(
    world: ScheduleWorld,
) -> None:
    _, [first, second] = await _posted_section(world, posts=2)
    await world.members.mark_read(GUILD, 1, section_id=first)
    await world.members.mark_read(GUILD, 2, section_id=first)

    clicks = [world.members.mark_read(GUILD, user, section_id=second) for user in (1, 2, 3)]
    results = await asyncio.gather(*clicks)

    reads = [[s.read for s in marked.progress.sections] for marked in results]
    assert reads == [[True, True], [True, True], [False, True]]
    assert [marked.new for marked in results] == [True, True, True]


async def test_caught_up_counts_members_who_read_everything_posted(world: ScheduleWorld) -> None:
    schedule_id, [first, second] = await _posted_section(world, posts=2)
    async with world.db.session() as session:
        for user in (1, 2, 3):
            session.add(Membership(schedule_id=schedule_id, user_id=user))
    await world.members.mark_read(GUILD, 1, section_id=first)
    await world.members.mark_read(GUILD, 1, section_id=second)
    await world.members.mark_read(GUILD, 2, section_id=second)
    await world.members.mark_read(GUILD, 4, section_id=first)  # read, but not a member
    async with world.db.session() as session:
        schedule = await session.get_one(Schedule, schedule_id)
        where = {"reading_id": schedule.reading_id, "schedule": schedule_id}
        facts = (await session.execute(POST_FACTS, where)).one()
    assert (facts.members, facts.caught_up) == (3, 1)


# --- sessions on SQLite -------------------------------------------------------------------


async def test_sqlite_sessions_take_turns_and_a_nested_one_does_not_wait(tmp_path: Path) -> None:
    # Always SQLite, whatever backend the suite runs on: the turns are SQLite's.
    db = create_database(f"sqlite+aiosqlite:///{tmp_path / 'turns.db'}")
    try:
        await _take_turns(db)
    finally:
        await db.dispose()


async def _take_turns(db: Database) -> None:
    inside: list[str] = []

    async def work(name: str) -> None:
        async with db.session():
            inside.append(f"{name} in")
            await asyncio.sleep(0.01)
            async with db.session():  # nested: would deadlock if it waited for the turn
                pass
            inside.append(f"{name} out")

    async def reader() -> None:
        async with db.read():
            inside.append("reader")

    first = asyncio.create_task(work("a"))
    await asyncio.sleep(0)
    await asyncio.gather(work("b"), reader(), first)

    assert inside.index("a out") < inside.index("b in")  # never two writers at once
    assert inside.index("reader") < inside.index("a out")  # the reader did not wait


# --- ballots --------------------------------------------------------------------------------


async def test_a_burst_of_ballots_is_written_together_and_each_gets_its_own_answer(
    db: Database,
) -> None:
    from bot.errors import UserError

    world = VoteWorld(db)
    voters = [700_000 + n for n in range(40)]
    await world.circle(ANA, BEN, *voters)
    vote_id = await world.open(method=VoteMethod.SINGLE)
    ballots = [world.votes.ballots.cast(GUILD, vote_id, user, user % 3) for user in voters]
    ballots.append(world.votes.ballots.cast(GUILD, vote_id, voters[0], 2))  # changes their mind
    ballots.append(world.votes.ballots.cast(GUILD, vote_id, OUTSIDER, 0))  # not in the circle
    ballots.append(world.votes.ballots.cast(GUILD, vote_id, ANA, 7))  # no such option
    ballots.append(world.votes.ballots.cast(GUILD, vote_id + 99, BEN, 0))  # no such vote

    with watching(world.db) as seen:
        results = await asyncio.gather(*ballots, return_exceptions=True)

    assert seen.transactions < len(ballots) // 5
    for user, receipt in zip(voters, results, strict=False):
        assert not isinstance(receipt, BaseException), receipt
        assert (receipt.choice, receipt.changed) == (user % 3, False)
    changed = results[len(voters)]
    assert not isinstance(changed, BaseException)
    assert (changed.choice, changed.changed) == (2, True)
    assert "Only members of the circle" in str(results[-3])
    assert isinstance(results[-2], UserError)
    assert isinstance(results[-1], NotFound)
    state = await world.votes.state(GUILD, vote_id)
    assert state.ballots == len(voters)  # one ballot a member: the changed one replaced
    assert state.result is not None


async def test_a_click_from_inside_a_session_does_not_wait_for_itself(world: ScheduleWorld) -> None:
    _, [first] = await _posted_section(world)
    async with world.db.session():
        marked = await asyncio.wait_for(world.members.mark_read(GUILD, 900, section_id=first), 5)
    assert (marked.section.section_id, marked.new) == (first, True)


# --- reflections and joins ------------------------------------------------------------------


async def test_a_burst_of_reflections_is_saved_together_each_checked_on_its_own(
    db: Database,
) -> None:
    from bot.errors import UserError
    from bot.services.reflections import RATE_LIMIT, Visibility

    world = ReflectionWorld(db)
    target = await world.posted()
    writers = [800_000 + n for n in range(30)]
    writes = [world.write(target, user, text=f"Thought of {user}.") for user in writers]
    writes.append(
        world.write(target, writers[0], text="Shared at once.", visibility=Visibility.NOW)
    )
    # One member writing more than the limit in the same burst: the extra one is refused.
    writes += [world.write(target, MIA, text=f"Mia {n}.") for n in range(RATE_LIMIT + 1)]
    writes.append(
        world.reflections.writing.write(
            target.guild_id,
            MIA,
            schedule_id=target.schedule_id,
            section_id=target.section_id + 999,  # a section this schedule has not posted
            text="Lost?",
            visibility=Visibility.PRIVATE,
        )
    )

    with watching(world.db) as seen:
        results = await asyncio.gather(*writes, return_exceptions=True)

    assert seen.transactions < len(writes) // 5
    for user, change in zip(writers, results, strict=False):
        assert not isinstance(change, BaseException), change
        assert change.reflection is not None
        assert (change.reflection.user_id, change.reflection.text) == (user, f"Thought of {user}.")
        assert change.reflection.section_id == target.section_id
        assert not change.post
    shared = results[len(writers)]
    assert not isinstance(shared, BaseException)
    assert shared.post
    assert shared.reflection is not None
    assert shared.reflection.thread_id == target.thread_id
    mia = results[len(writers) + 1 : -1]
    assert sum(isinstance(r, UserError) for r in mia) == 1
    assert "reflections a minute" in str(next(r for r in mia if isinstance(r, UserError)))
    assert isinstance(results[-1], NotFound)
    # Each saved reflection is the one the database gives back afterwards.
    for change in results[: len(writers) + 1]:
        assert not isinstance(change, BaseException)
        assert change.reflection is not None
        own = await world.reflections.reading.own(
            GUILD, change.reflection.user_id, change.reflection.id
        )
        assert own == change.reflection


async def test_a_burst_of_joins_is_written_together_and_each_is_answered(
    world: ScheduleWorld,
) -> None:
    schedule_id, _ = await _posted_section(world)
    users = list(range(600, 640))
    joins = [world.members.join(GUILD, user, None) for user in users]
    joins.append(world.members.join(GUILD, users[0], None))  # a double /join
    joins.append(world.members.join(GUILD, users[1], schedule_id + 99))  # no such schedule
    joins.append(world.members.join(OTHER_GUILD, users[2], None))  # a guild with no schedule

    with watching(world.db) as seen:
        results = await asyncio.gather(*joins, return_exceptions=True)

    assert seen.transactions < len(joins) // 5
    for result in results[: len(users)]:
        assert not isinstance(result, BaseException), result
        assert (result.schedule_id, result.already_member) == (schedule_id, False)
        assert result.current_thread_id is not None
    double = results[len(users)]
    assert not isinstance(double, BaseException)
    assert double.already_member
    assert isinstance(results[-2], NotFound)
    assert isinstance(results[-1], NotFound)
    async with world.db.session() as session:
        rows = await session.scalar(select(func.count()).select_from(Membership))
    assert rows == len(users)


async def test_progress_asked_together_is_read_together_and_each_sees_their_own(
    world: ScheduleWorld,
) -> None:
    schedule_id, [first, _] = await _posted_section(world, posts=2)
    readers, others = list(range(800, 830)), list(range(830, 860))
    for user in readers:
        await world.members.mark_read(GUILD, user, section_id=first)
    asks = [world.members.progress(GUILD, user) for user in readers + others]
    asks.append(world.members.progress(GUILD, readers[0], schedule_id + 99))  # no such schedule
    asks.append(world.members.progress(OTHER_GUILD, readers[1]))  # a guild with no schedule

    with watching(world.db) as seen:
        results = await asyncio.gather(*asks, return_exceptions=True)

    assert seen.transactions < len(asks) // 5
    for user, result in zip(readers + others, results, strict=False):
        assert not isinstance(result, BaseException), result
        assert (result.schedule_id, result.total_sections) == (schedule_id, 10)
        assert [s.read for s in result.sections] == [user in readers, False]
    assert isinstance(results[-2], NotFound)
    assert isinstance(results[-1], NotFound)
    assert await world.members.progress(GUILD, readers[2]) == results[2]


async def test_progress_without_a_schedule_finds_the_members_only_circle(
    world: ScheduleWorld,
) -> None:
    first = await world.create()
    second = await world.create()
    async with world.db.session() as session:
        session.add_all(
            [
                Membership(schedule_id=first, user_id=1),
                Membership(schedule_id=second, user_id=2),
                Membership(schedule_id=first, user_id=3),
                Membership(schedule_id=second, user_id=3),
            ]
        )
    asks = [world.members.progress(GUILD, user) for user in (1, 2, 3, 4)]
    asks.append(world.members.progress(GUILD, 4, second))

    one, two, both, neither, chosen = await asyncio.gather(*asks, return_exceptions=True)

    for report, expected in ((one, first), (two, second), (chosen, second)):
        assert not isinstance(report, BaseException), report
        assert report.schedule_id == expected
    for unsure in (both, neither):
        assert isinstance(unsure, UserError)
        assert f"several schedules (#{first}, #{second})" in str(unsure)


async def test_status_asked_together_reads_each_schedule_once(world: ScheduleWorld) -> None:
    schedule_id, _ = await _posted_section(world)
    asks = [world.schedules.status(GUILD, None) for _ in range(40)]
    asks.append(world.schedules.status(GUILD, schedule_id + 99))
    asks.append(world.schedules.status(OTHER_GUILD, None))

    with watching(world.db) as seen:
        results = await asyncio.gather(*asks, return_exceptions=True)

    assert seen.transactions < len(asks) // 5
    for answer in results[:40]:
        assert not isinstance(answer, BaseException), answer
        assert (answer.id, answer.posted_sections, answer.total_sections) == (schedule_id, 1, 10)
    assert isinstance(results[-2], NotFound)
    assert isinstance(results[-1], UserError)
    assert "no reading schedule yet" in str(results[-1])


async def test_status_without_a_schedule_asks_to_choose_among_several(world: ScheduleWorld) -> None:
    first = await world.create()
    second = await world.create()
    several = f"several schedules \\(#{first}, #{second}\\): choose one in the `schedule` option"
    with pytest.raises(UserError, match=several):
        await world.schedules.status(GUILD, None)


async def test_the_same_words_twice_in_one_burst_are_saved_as_two_reflections(
    db: Database,
) -> None:

    world = ReflectionWorld(db)
    target = await world.posted()
    twice = [world.write(target, MIA, text="Same words.") for _ in range(2)]
    others = [world.write(target, 810_000 + n, text="Same words.") for n in range(3)]

    results = await asyncio.gather(*twice, *others)

    saved = [change.reflection for change in results]
    assert all(reflection is not None for reflection in saved)
    ids = [reflection.id for reflection in saved if reflection is not None]
    assert len(set(ids)) == len(ids)
    assert [r.user_id for r in saved if r is not None] == [MIA, MIA, 810_000, 810_001, 810_002]
    for reflection in saved:
        assert reflection is not None
        assert (
            await world.reflections.reading.own(GUILD, reflection.user_id, reflection.id)
            == reflection
        )


async def test_a_ballot_cast_before_the_burst_is_changed_in_place(db: Database) -> None:

    world = VoteWorld(db)
    await world.circle(ANA, BEN)
    vote_id = await world.open(method=VoteMethod.SINGLE)
    first = await world.votes.ballots.cast(GUILD, vote_id, ANA, 0)

    again, ben = await asyncio.gather(
        world.votes.ballots.cast(GUILD, vote_id, ANA, 1),
        world.votes.ballots.cast(GUILD, vote_id, BEN, 1),
    )

    assert (first.changed, again.changed, ben.changed) == (False, True, False)
    assert again.vote.ballots == 2
    state = await world.votes.state(GUILD, vote_id)
    assert state.ballots == 2
