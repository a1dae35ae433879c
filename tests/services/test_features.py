"""The composition root finds what each feature offers the others, and `/forget-me` reaches
every table that holds a member's id."""

from __future__ import annotations

import pytest
from sqlalchemy import String, func, select

from bot.db import Database
from bot.db.models import Base, MeetingPlan, Membership, Schedule, Vote
from bot.services.features import (
    Kept,
    MeetingWatcher,
    MemberData,
    ScheduleWatcher,
    VoteWatcher,
)
from bot.services.meetings import PLANS, Where
from bot.services.member_rows import MemberRows
from bot.services.members import MEMBERSHIPS, SECTIONS_READ
from bot.services.reflections import REFLECTIONS, SETTINGS, Visibility
from bot.services.reminders import REMINDER_SETTINGS
from bot.services.root import Services
from bot.services.schedules import SCHEDULES
from bot.services.votes.service import CLOSED_BALLOTS, OPEN_BALLOTS, TOPICS, VOTES
from tests.services.worlds import (
    ANA,
    BEN,
    CHANNEL,
    CIRCLE_FACILITATOR,
    GUILD,
    VoteWorld,
    weekly_circle,
)

# Columns that hold a member's id, by table. A new one fails the coverage test below until
# `/forget-me` deals with it.
MEMBER_COLUMNS = {
    ("ballots", "voter_key"),
    ("meeting_plans", "updated_by"),
    ("member_settings", "user_id"),
    ("memberships", "user_id"),
    ("progress", "user_id"),
    ("reflections", "user_id"),
    ("reminder_prefs", "user_id"),
    ("schedules", "created_by"),
    ("topics", "proposed_by"),
    ("votes", "closed_by"),
    ("votes", "opened_by"),
}


def _member_columns() -> set[tuple[str, str]]:
    """Every column whose name says it holds a member: `user_id`, `…_by`, `voter_key`."""
    return {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if column.name in ("user_id", "voter_key") or column.name.endswith("_by")
    }


class Extra:
    """A feature that is none of the services: it takes part by implementing the protocols."""

    def __init__(self) -> None:
        self.forgotten: list[tuple[int, int]] = []

    async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return {}

    async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        self.forgotten.append((guild_id, user_id))
        return {}


async def test_every_implementer_of_a_feature_protocol_is_found_services_first(
    services: Services,
) -> None:
    extra = Extra()
    services.plugins = lambda: [extra]  # as the bot's cogs, found once they are loaded
    assert services.implementers(MemberData) == [
        services.reflections,
        services.schedules,
        services.members,
        services.meetings,
        services.reminders,
        services.votes,
        extra,
    ]
    assert services.schedules.watchers == [services.meetings, services.reminders]
    assert services.meetings.watchers == [services.reminders]
    assert services.votes.opening.watchers == [services.reminders]
    assert services.implementers(ScheduleWatcher) == services.schedules.watchers
    assert services.implementers(MeetingWatcher) == services.meetings.watchers
    assert services.implementers(VoteWatcher) == services.votes.opening.watchers


async def test_a_feature_added_later_is_found_among_the_implementers(services: Services) -> None:
    found: list[object] = []
    services.plugins = lambda: list(found)
    assert Extra not in map(type, services.implementers(MemberData))
    found.append(Extra())
    assert services.implementers(MemberData)[-1] is found[0]


async def test_features_are_looked_up_by_a_protocol_class_only(services: Services) -> None:
    with pytest.raises(TypeError, match="Protocol class"):
        services.implementers(MemberData | None)


def test_the_member_columns_are_the_ones_this_file_checks() -> None:
    assert _member_columns() == MEMBER_COLUMNS


async def _ana_everywhere(db: Database, world: VoteWorld) -> int:
    """Ana sets up the circle (Ben is in it), plans its meetings, reads, writes, sets her
    reminders, proposes, votes in an open and a closed vote, and opens and closes them; the
    circle's schedule id."""
    services = world.services
    schedule_id = await world.circle(ANA, BEN)
    async with db.session() as session:
        schedule = await session.get_one(Schedule, schedule_id)
        schedule.created_by = ANA
    await world.first_post_met_and_shared(schedule_id, ANA)
    await services.reflections.set_default_visibility(GUILD, ANA, Visibility.NOW)
    await services.reminders.change(GUILD, ANA, on_post=True)
    await services.votes.topics.propose_topic(GUILD, ANA, "Something", CHANNEL)
    opened = await world.open()
    closed = await world.open()
    for vote_id in (opened, closed):
        await services.votes.ballots.cast(GUILD, vote_id, ANA, [0])
    await services.votes.closing.begin_close(closed, closed_by=ANA)
    await services.votes.closing.finish_close(closed, 1)
    async with db.session() as session:
        (await session.get_one(Vote, opened)).opened_by = ANA
    return schedule_id


async def test_forget_me_leaves_no_member_id_anywhere(db: Database) -> None:
    world = VoteWorld(db)
    extra = Extra()
    world.services.plugins = lambda: [extra]
    services = world.services
    schedule_id = await _ana_everywhere(db, world)
    held_before = await _held(db, ANA)
    assert held_before == MEMBER_COLUMNS, "the test should give Ana a row in every column"

    # What /forget-me does: every feature holding member data forgets it.
    reports = [
        await feature.forget_member(GUILD, ANA) for feature in services.implementers(MemberData)
    ]

    assert extra.forgotten == [(GUILD, ANA)]
    assert await _held(db, ANA) == set()
    assert await _held(db, BEN) == {("memberships", "user_id")}
    assert {SCHEDULES: 1} in reports
    assert {PLANS: 1} in reports
    # The circle goes on without knowing who set it up.
    schedule = await services.schedules.status(GUILD, schedule_id)
    assert schedule.created_by is None
    plan = await services.meetings.plan(GUILD, schedule_id)
    assert plan is not None
    assert plan.where.place == "Library"


async def test_what_each_feature_says_it_holds_is_what_its_forget_member_then_reports(
    db: Database,
) -> None:
    world = VoteWorld(db)
    services = world.services
    await _ana_everywhere(db, world)
    # A secret ballot is found by its key while the vote is open, and no longer once closed.
    secret = await world.open(secret=True)
    secret_closed = await world.open(secret=True)
    for vote_id in (secret, secret_closed):
        for voter in (ANA, BEN):
            await services.votes.ballots.cast(GUILD, vote_id, voter, [1])
    await services.votes.closing.begin_close(secret_closed)
    await services.votes.closing.finish_close(secret_closed, 2)
    features = services.implementers(MemberData)

    held = {type(f).__name__: await f.held_about_member(GUILD, ANA) for f in features}
    elsewhere = [await f.held_about_member(GUILD + 1, ANA) for f in features]
    forgotten = {type(f).__name__: await f.forget_member(GUILD, ANA) for f in features}
    after = [await f.held_about_member(GUILD, ANA) for f in features]

    assert held == forgotten
    assert held == {
        "Reflections": {REFLECTIONS: 1, SETTINGS: 1},
        "Schedules": {SCHEDULES: 1},
        "Members": {SECTIONS_READ: 1, MEMBERSHIPS: 1},
        "Meetings": {PLANS: 1},
        "Reminders": {REMINDER_SETTINGS: 1},
        "Votes": {OPEN_BALLOTS: 2, CLOSED_BALLOTS: 1, TOPICS: 1, VOTES: 2},
    }
    assert not any(count for counts in elsewhere + after for count in counts.values())


async def test_a_vote_that_names_its_opener_is_counted_as_kept_about_them(db: Database) -> None:
    world = VoteWorld(db)
    await world.circle(BEN)
    await world.open()  # by the facilitator, who casts no ballot

    held = await world.votes.held_about_member(GUILD, CIRCLE_FACILITATOR)

    assert held[VOTES] == 1
    assert held == await world.votes.forget_member(GUILD, CIRCLE_FACILITATOR)
    after = await world.votes.held_about_member(GUILD, CIRCLE_FACILITATOR)
    assert after[VOTES] == 0


async def test_forget_me_in_one_server_leaves_the_circles_of_another(db: Database) -> None:
    services = VoteWorld(db).services
    other_guild = GUILD + 1
    circles = {
        guild_id: await _circle_by(db, services, guild_id, ANA) for guild_id in (GUILD, other_guild)
    }

    assert await services.schedules.forget_member(GUILD, ANA) == {SCHEDULES: 1}
    assert await services.meetings.forget_member(GUILD, ANA) == {PLANS: 1}

    async with db.read() as session:
        gone = await session.get_one(Schedule, circles[GUILD])
        gone_plan = await session.get_one(MeetingPlan, circles[GUILD])
        kept = await session.get_one(Schedule, circles[other_guild])
        kept_plan = await session.get_one(MeetingPlan, circles[other_guild])
        assert (gone.created_by, gone_plan.updated_by) == (None, None)
        assert (kept.created_by, kept_plan.updated_by) == (ANA, ANA)


def test_member_rows_refuse_to_be_without_a_filter() -> None:
    # Without one, forgetting a member would delete every member's rows of the table.
    with pytest.raises(ValueError, match="filter"):
        MemberRows(MEMBERSHIPS, Membership)


def test_member_rows_are_made_anonymous_exactly_when_what_they_are_says_so() -> None:
    # Otherwise /forget-me would say "made anonymous" of what it deleted, or the reverse.
    mine = Schedule.created_by == ANA
    with pytest.raises(ValueError, match="made anonymous"):
        MemberRows(SCHEDULES, Schedule, mine)
    with pytest.raises(ValueError, match="made anonymous"):
        MemberRows(SCHEDULES, Schedule, mine, anonymise={})
    with pytest.raises(ValueError, match="made anonymous"):
        MemberRows(MEMBERSHIPS, Schedule, mine, anonymise={"created_by": None})


async def _circle_by(db: Database, services: Services, guild_id: int, user_id: int) -> int:
    """A schedule of the bundled reading, and its meetings, set up by `user_id`."""
    schedule_id = await weekly_circle(db, services, guild_id, user_id)
    await services.meetings.set_plan(
        guild_id, schedule_id, user_id, "day after 19:00", Where(place="Library")
    )
    return schedule_id


async def _held(db: Database, user_id: int) -> set[tuple[str, str]]:
    """The member columns with at least one row naming `user_id`."""
    held = set()
    tables = {table.name: table for table in Base.metadata.sorted_tables}
    async with db.session() as session:
        for table_name, column_name in sorted(_member_columns()):
            column = tables[table_name].c[column_name]
            value: object = str(user_id) if isinstance(column.type, String) else user_id
            count = await session.scalar(
                select(func.count()).select_from(column.table).where(column == value)
            )
            if count:
                held.add((table_name, column_name))
    return held
