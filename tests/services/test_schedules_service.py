"""Schedules post each section once, on time in their own zone, and recover from downtime.

The Discord side is a narrow fake poster that honours nonces the way Discord does: a second
publish with the same nonce returns the first message.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, date, datetime, time

import pytest

from bot.db import Database
from bot.db.models.schedules import MissedPolicy
from bot.errors import NotFound, UserError
from bot.scheduling.cadence import CadenceKind
from bot.services.features import MemberData
from bot.services.members import MEMBERSHIPS, SECTIONS_READ
from bot.services.schedules import NO_SCHEDULE
from tests.clocked import FIRST_DUE, ROME, START
from tests.services.worlds import (
    FACILITATOR,
    GUILD,
    MEMBER,
    OTHER_GUILD,
    ScheduleChanges,
    ScheduleWorld,
    schedule_world,
)

__all__ = ["schedule_world"]  # the fixture `world`


def _rome(moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(ROME).strftime("%a %d %b %H:%M")


async def test_a_new_schedule_posts_section_one_at_its_local_time(world: ScheduleWorld) -> None:
    schedule_id = await world.create()
    schedule = await world.schedules.status(GUILD, schedule_id)
    assert _rome(schedule.next_post_at) == "Mon 01 Mar 18:00"
    assert schedule.cadence == "every Monday at 18:00 (Europe/Rome)"

    assert await world.at(datetime(2027, 3, 1, 16, 59, tzinfo=UTC)) == 0
    assert world.poster.plans == []
    await world.at(FIRST_DUE)
    [plan] = world.poster.plans
    assert [s.position for s in plan.sections] == [1]
    assert plan.sections[0].title == "Introduction"
    assert plan.total_sections == 10
    assert plan.late_by is None
    assert 3 <= len(plan.sections[0].prompts) <= 5
    assert plan.nonce == f"sc{schedule_id}p1"
    assert _rome(plan.next_post_at) == "Mon 08 Mar 18:00"

    schedule = await world.schedules.status(GUILD, schedule_id)
    assert schedule.posted_sections == 1
    assert schedule.sections_left == 9


async def test_the_weekly_post_keeps_1800_rome_across_the_dst_change(world: ScheduleWorld) -> None:
    await world.create(first_day=date(2027, 3, 22), at=time(18, 0))
    await world.at(datetime(2027, 3, 22, 17, 0, tzinfo=UTC))  # UTC+1
    await world.at(datetime(2027, 3, 29, 15, 59, tzinfo=UTC))
    assert len(world.poster.plans) == 1
    await world.at(datetime(2027, 3, 29, 16, 0, tzinfo=UTC))  # UTC+2: still 18:00 in Rome
    assert world.poster.posted_positions == [1, 2]
    assert world.poster.plans[-1].late_by is None


async def test_a_crash_after_discord_answered_does_not_post_twice(world: ScheduleWorld) -> None:
    schedule_id = await world.create()
    world.poster.fail_after_publish = 1
    await world.at(FIRST_DUE)
    await world.at(datetime(2027, 3, 1, 17, 1, tzinfo=UTC))  # the retry, after backoff
    assert len(world.poster.plans) == 2
    assert {p.nonce for p in world.poster.plans} == {f"sc{schedule_id}p1"}
    assert len(world.poster.messages) == 1
    schedule = await world.schedules.status(GUILD, schedule_id)
    assert schedule.posted_sections == 1
    assert schedule.next_position == 2


async def test_a_post_that_keeps_failing_is_retried_then_reported(world: ScheduleWorld) -> None:
    await world.create()
    world.poster.fail_after_publish = 99
    for minutes in (0, 1, 2, 5, 10):
        await world.at(datetime(2027, 3, 1, 17, minutes, tzinfo=UTC))
    assert len(world.poster.plans) == 3
    assert world.poster.failures == ["lost the answer"]
    # The section waits for the next date, and goes out then with the same nonce.
    world.poster.fail_after_publish = 0
    await world.at(datetime(2027, 3, 8, 17, 0, tzinfo=UTC))
    assert world.poster.posted_positions == [1]
    assert len(world.poster.messages) == 1


async def test_after_downtime_all_missed_posts_follow_and_say_they_are_late(
    world: ScheduleWorld,
) -> None:
    await world.create(missed_policy=MissedPolicy.ALL)
    await world.at(datetime(2027, 3, 22, 12, 0, tzinfo=UTC))  # three Mondays missed
    assert world.poster.posted_positions == [1, 2, 3]
    assert all(p.late_by is not None for p in world.poster.plans)
    schedule = await world.schedules.status(GUILD, (await world.schedules.of_guild(GUILD))[0].id)
    assert _rome(schedule.next_post_at) == "Mon 22 Mar 18:00"


async def test_after_downtime_only_the_latest_post_is_made(world: ScheduleWorld) -> None:
    await world.create(missed_policy=MissedPolicy.LATEST)
    await world.at(datetime(2027, 3, 22, 12, 0, tzinfo=UTC))
    assert world.poster.posted_positions == [1]
    assert world.poster.plans[0].late_by is not None
    await world.at(datetime(2027, 3, 22, 17, 0, tzinfo=UTC))
    assert world.poster.posted_positions == [1, 2]


async def test_after_downtime_skip_drops_the_missed_posts(world: ScheduleWorld) -> None:
    schedule_id = await world.create(missed_policy=MissedPolicy.SKIP)
    await world.at(datetime(2027, 3, 22, 12, 0, tzinfo=UTC))
    assert world.poster.plans == []
    schedule = await world.schedules.status(GUILD, schedule_id)
    assert _rome(schedule.next_post_at) == "Mon 22 Mar 18:00"
    await world.at(datetime(2027, 3, 22, 17, 0, tzinfo=UTC))
    assert world.poster.posted_positions == [1]


async def test_a_paused_schedule_posts_nothing_and_resumes_where_it_was_skip_moving_it_a_week(
    world: ScheduleWorld,
) -> None:
    schedule_id = await world.create()
    await world.schedules.pause(GUILD, schedule_id)
    await world.at(FIRST_DUE)
    assert world.poster.plans == []
    with pytest.raises(UserError, match="not running"):
        await world.schedules.pause(GUILD, schedule_id)

    schedule = await world.schedules.resume(GUILD, schedule_id)
    assert _rome(schedule.next_post_at) == "Mon 08 Mar 18:00"
    schedule = await world.schedules.skip(GUILD, schedule_id)
    assert _rome(schedule.next_post_at) == "Mon 15 Mar 18:00"
    await world.at(datetime(2027, 3, 8, 17, 0, tzinfo=UTC))
    assert world.poster.plans == []
    await world.at(datetime(2027, 3, 15, 17, 0, tzinfo=UTC))
    assert world.poster.posted_positions == [1]


async def test_post_now_posts_the_next_section_once(world: ScheduleWorld) -> None:
    schedule_id = await world.create()
    await world.schedules.post_now(GUILD, schedule_id)
    await world.schedules.post_now(GUILD, schedule_id)  # a double click
    await world.at(START)
    assert world.poster.posted_positions == [1]
    await world.at(FIRST_DUE)
    assert world.poster.posted_positions == [1, 2]


async def test_the_schedule_finishes_after_the_last_section(world: ScheduleWorld) -> None:
    schedule_id = await world.create(cadence=CadenceKind.DAILY, sections_per_post=4)
    for day in range(1, 5):
        await world.at(datetime(2027, 3, day, 17, 0, tzinfo=UTC))
    assert world.poster.posted_positions == list(range(1, 11))
    assert world.poster.plans[-1].next_post_at is None
    schedule = await world.schedules.status(GUILD, schedule_id)
    assert schedule.status == "finished"
    assert schedule.next_post_at is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tz": "Europe/Atlantis"}, "not a time zone"),
        ({"first_day": date(2027, 3, 28), "at": time(2, 30)}, "does not exist in Europe/Rome"),
        ({"first_day": date(2027, 2, 1), "at": time(18, 0)}, "in the past"),
        ({"sections_per_post": 0}, "Sections per post"),
        ({"missed_policy": "panic"}, "Missed posts"),
        ({"cadence": CadenceKind.EVERY_N_DAYS, "every_days": 0}, "1 to 365"),
        ({"reading_id": 99_999}, "no reading #99999"),
    ],
)
async def test_a_bad_schedule_is_refused_clearly(
    world: ScheduleWorld, changes: ScheduleChanges, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        await world.create(**changes)
    assert await world.schedules.of_guild(GUILD) == []


async def test_another_guilds_schedule_is_not_found(world: ScheduleWorld) -> None:
    schedule_id = await world.create()
    for action in (
        world.schedules.status,
        world.schedules.pause,
        world.schedules.post_now,
        world.schedules.delete,
    ):
        with pytest.raises(NotFound):
            await action(OTHER_GUILD, schedule_id)


async def test_a_deleted_schedule_is_not_found(world: ScheduleWorld) -> None:
    """What a post's failure report and a new circle role read of a schedule gone since."""
    schedule_id = await world.create()
    await world.schedules.delete(GUILD, schedule_id)
    with pytest.raises(NotFound, match=f"no schedule #{schedule_id} in this server"):
        await world.schedules.status(GUILD, schedule_id)


async def test_members_and_schedules_tell_which_schedule_is_meant_in_the_same_words(
    world: ScheduleWorld,
) -> None:
    """One rule picks the schedule meant when none is given, with one answer when it cannot."""
    asks: Awaitable[object]
    for asks in (
        world.schedules.status(GUILD, None),
        world.schedules.only(GUILD),
        world.members.join(GUILD, MEMBER, None),
        world.members.progress(GUILD, MEMBER),
    ):
        with pytest.raises(NotFound) as none:
            await asks
        assert str(none.value) == NO_SCHEDULE
    first = await world.create()
    assert (await world.schedules.status(GUILD, None)).id == first
    assert await world.schedules.only(GUILD) == first
    second = await world.create()
    several = (
        f"This server has several schedules (#{first}, #{second}): "
        "choose one in the `schedule` option."
    )
    for asks in (
        world.schedules.status(GUILD, None),
        world.schedules.only(GUILD),
        world.members.progress(GUILD, MEMBER),
        world.members.mark_read(GUILD, MEMBER),
    ):
        with pytest.raises(UserError) as unsure:
            await asks
        assert str(unsure.value) == several
    # A member in one of the circles means that one; the schedules' own commands still ask.
    await world.members.join(GUILD, MEMBER, second)
    assert (await world.members.progress(GUILD, MEMBER)).schedule_id == second
    with pytest.raises(UserError, match="several schedules"):
        await world.schedules.only(GUILD)


async def test_members_join_mark_sections_read_and_see_what_to_catch_up(
    world: ScheduleWorld,
) -> None:
    schedule_id = await world.create(cadence=CadenceKind.DAILY)
    joined = await world.members.join(GUILD, MEMBER, None)
    assert joined.schedule_id == schedule_id
    assert not joined.already_member
    assert (await world.members.join(GUILD, MEMBER, None)).already_member

    for day in (1, 2, 3):
        await world.at(datetime(2027, 3, day, 17, 0, tzinfo=UTC))
    report = await world.members.progress(GUILD, MEMBER)
    assert report.behind == 3
    assert [s.position for s in report.unread] == [1, 2, 3]

    marked = await world.members.mark_read(GUILD, MEMBER, position=1)
    assert (marked.section.position, marked.new) == (1, True)
    again = await world.members.mark_read(GUILD, MEMBER, position=1)
    assert again.new is False
    latest = await world.members.mark_read(GUILD, MEMBER)
    assert latest.section.position == 3
    report = await world.members.progress(GUILD, MEMBER)
    assert [s.position for s in report.unread] == [2]
    with pytest.raises(UserError, match="has not been posted yet"):
        await world.members.mark_read(GUILD, MEMBER, position=9)

    await world.members.mark_read(GUILD, MEMBER, position=2)
    await world.at(datetime(2027, 3, 4, 17, 0, tzinfo=UTC))
    assert (world.poster.plans[-1].members, world.poster.plans[-1].caught_up) == (1, 1)

    await world.members.leave(GUILD, MEMBER, None)
    with pytest.raises(UserError, match="not in"):
        await world.members.leave(GUILD, MEMBER, None)


async def test_the_members_feature_forgets_its_own_rows_through_member_data(
    world: ScheduleWorld,
) -> None:
    assert world.members in world.services.implementers(MemberData)
    here = await world.create(cadence=CadenceKind.DAILY)
    there = await world.create(OTHER_GUILD, cadence=CadenceKind.DAILY)
    await world.members.set_role(GUILD, here, 4242)
    for guild, user in ((GUILD, MEMBER), (GUILD, FACILITATOR), (OTHER_GUILD, MEMBER)):
        await world.members.join(guild, user, None)
    await world.at(FIRST_DUE)
    for guild, user in ((GUILD, MEMBER), (GUILD, FACILITATOR), (OTHER_GUILD, MEMBER)):
        await world.members.mark_read(guild, user)
    assert await world.members.circle_roles(GUILD, MEMBER) == (4242,)

    # What /forget-me does after reflections: every feature forgets its own rows.
    reports = [
        await feature.forget_member(GUILD, MEMBER)
        for feature in world.services.implementers(MemberData)
    ]

    assert {SECTIONS_READ: 1, MEMBERSHIPS: 1} in reports
    assert await world.members.circle_roles(GUILD, MEMBER) == ()
    assert (await world.members.progress(GUILD, MEMBER)).behind == 1
    with pytest.raises(UserError, match="not in"):
        await world.members.leave(GUILD, MEMBER, here)
    # The same member in another server, and another member here, keep theirs.
    assert (await world.members.progress(OTHER_GUILD, MEMBER)).behind == 0
    assert (await world.members.leave(OTHER_GUILD, MEMBER, there)).schedule_id == there
    assert (await world.members.progress(GUILD, FACILITATOR)).behind == 0
    assert await world.members.circle_roles(GUILD, FACILITATOR) == (4242,)


async def _closed_jobs(db: Database) -> list[tuple[int, datetime]]:
    from sqlalchemy import select

    from bot.db.models import Job
    from bot.services.posting import SECTION_CLOSED_JOB

    async with db.session() as session:
        jobs = await session.scalars(
            select(Job).where(Job.kind == SECTION_CLOSED_JOB).order_by(Job.id)
        )
        return [(int(j.payload["section_id"]), j.due_at) for j in jobs]


async def test_a_section_closes_when_the_next_is_posted_and_the_last_a_cadence_later(
    world: ScheduleWorld,
) -> None:
    await world.create(cadence=CadenceKind.DAILY, sections_per_post=5)
    await world.at(FIRST_DUE)
    assert await _closed_jobs(world.db) == []
    await world.at(datetime(2027, 3, 2, 17, 0, tzinfo=UTC))
    first_post = [p.section_id for p in world.poster.plans[0].sections]
    last_post = [p.section_id for p in world.poster.plans[1].sections]
    closed = await _closed_jobs(world.db)
    assert [section for section, _ in closed[:5]] == first_post[::-1]
    assert all(due == datetime(2027, 3, 2, 17, 0, tzinfo=UTC) for _, due in closed[:5])
    # The reading is finished: its last post closes when a next post would have come.
    assert sorted(section for section, _ in closed[5:]) == sorted(last_post)
    assert all(due == datetime(2027, 3, 3, 17, 0, tzinfo=UTC) for _, due in closed[5:])


async def test_two_joins_at_once_make_one_membership(world: ScheduleWorld) -> None:
    import asyncio

    schedule_id = await world.create()
    first, second = await asyncio.gather(
        world.members.join(GUILD, MEMBER, schedule_id), world.members.join(GUILD, MEMBER, None)
    )
    assert {first.schedule_id, second.schedule_id} == {schedule_id}
    assert (await world.schedules.status(GUILD, schedule_id)).members == 1
