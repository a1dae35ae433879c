"""The worlds service tests run in: the services over a real database, a fake clock at START,
a scheduler run by hand, and fakes for what Discord would do, with the people and guilds the
tests speak of.

`World` builds what every world shares; `ScheduleWorld`, `VoteWorld` and `ReflectionWorld`
add what their tests need, and keep the scheduler options those tests were written against.

Each of them is the fixture `world` of the test modules that import its fixture function
(`schedule_world`, `vote_world`, `reflection_world`), as a folder's conftest.py takes
`clocked_bot` from tests/clocked.py.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypedDict, Unpack

import pytest

from bot.db import Database
from bot.db.models.schedules import MissedPolicy
from bot.db.models.votes import VoteKind
from bot.scheduler import Scheduler
from bot.scheduling.cadence import CadenceKind
from bot.scheduling.clock import FakeClock
from bot.services import readings
from bot.services.digests import DigestPlan, DigestReceipt
from bot.services.meetings import EventSpec, PostLink, Where
from bot.services.model_prompts import ModelConfig
from bot.services.posting import PostPlan, PostReceipt
from bot.services.reflections import Change, PostedRef, Target, Visibility
from bot.services.reminders import ReminderMessage
from bot.services.root import Services, build_services
from bot.services.schedules import ScheduleRequest
from bot.services.votes import VoteRequest, VoteState
from bot.services.votes.closing import Announcement, Reminder
from bot.voting import VoteMethod, VoteReminder
from tests.clocked import FIRST_DUE, START

GUILD, OTHER_GUILD = 1001, 2002
CHANNEL = 555

# The people of the schedule and reflection worlds: small ids, as only equality matters there.
FACILITATOR, MEMBER = 42, 77
MIA, MAX = 77, 78
# The people of the vote world. Their ids look like Discord's snowflakes, so that finding one
# in a row (or in the database file) means something.
CIRCLE_FACILITATOR, ANA, BEN, CARLA, OUTSIDER = (
    480_000_000_000_000_000 + n for n in (42, 71, 72, 73, 99)
)


class NoncePoster:
    """Records publishes; the same nonce gives back the same message, as Discord's does."""

    def __init__(self) -> None:
        self.plans: list[PostPlan] = []
        self.messages: dict[str, PostReceipt] = {}
        self.fail_after_publish = 0
        self.failures: list[str] = []

    async def publish(self, plan: PostPlan) -> PostReceipt:
        self.plans.append(plan)
        receipt = self.messages.setdefault(
            plan.nonce, PostReceipt(plan.channel_id, 9000 + len(self.messages), 0)
        )
        receipt = PostReceipt(receipt.channel_id, receipt.message_id, receipt.message_id)
        if self.fail_after_publish:
            # Discord answered, then the connection dropped before we could commit.
            self.fail_after_publish -= 1
            raise ConnectionResetError("lost the answer")
        return receipt

    async def report_failure(self, guild_id: int, schedule_id: int, error: str) -> None:
        self.failures.append(error)

    @property
    def posted_positions(self) -> list[int]:
        """The positions of the sections posted, each nonce's counted once."""
        seen: dict[str, list[int]] = {}
        for plan in self.plans:
            seen.setdefault(plan.nonce, [s.position for s in plan.sections])
        return [p for positions in seen.values() for p in positions]


class PlainPoster:
    """Records publishes, each a new message whose thread id is its message id (a thread
    started from it); a failure to post fails the test."""

    def __init__(self) -> None:
        self.plans: list[PostPlan] = []

    async def publish(self, plan: PostPlan) -> PostReceipt:
        self.plans.append(plan)
        message = 9000 + len(self.plans)
        return PostReceipt(plan.channel_id, message, message)

    async def report_failure(self, guild_id: int, schedule_id: int, error: str) -> None:
        raise AssertionError(error)


class DigestPoster:
    """Records digests; the same nonce gives back the same messages, as Discord's does."""

    def __init__(self) -> None:
        self.plans: list[DigestPlan] = []
        self.sent: dict[str, DigestReceipt] = {}
        self.refreshed: list[PostedRef] = []
        self.fail_after_publish = 0

    async def publish(self, plan: DigestPlan) -> DigestReceipt:
        self.plans.append(plan)
        placements = {reflection.id: 8000 + reflection.id for reflection in plan.revealed}
        receipt = self.sent.setdefault(
            plan.nonce, DigestReceipt(plan.channel_id, 7000 + len(self.sent), placements)
        )
        if self.fail_after_publish:
            self.fail_after_publish -= 1
            raise ConnectionResetError("lost the answer")
        return receipt

    async def refresh(self, guild_id: int, refs: Sequence[PostedRef]) -> None:
        self.refreshed.extend(refs)


class ScheduleChanges(TypedDict, total=False):
    """Any of a `ScheduleRequest`'s fields, to replace the one `schedule_request` gives."""

    reading_id: int
    channel_id: int
    forum: bool
    first_day: date
    at: time
    tz: str
    cadence: CadenceKind
    every_days: int
    weekdays: frozenset[int]
    sections_per_post: int
    ping_role: bool
    missed_policy: MissedPolicy


class VoteChanges(TypedDict, total=False):
    """Any of a `VoteRequest`'s fields, to replace the one `VoteWorld.open` gives."""

    question: str
    channel_id: int
    kind: VoteKind
    method: VoteMethod
    options: tuple[str, ...] | None
    closes: str
    quorum_percent: int | None
    secret: bool
    hidden: bool
    min_choices: int | None
    max_choices: int | None
    remind: VoteReminder
    threshold: str
    schedule_id: int | None


def schedule_request(reading_id: int, /, **changes: Unpack[ScheduleChanges]) -> ScheduleRequest:
    """A weekly schedule of `reading_id` in CHANNEL, Mondays at 18:00 in Rome from 1 March
    2027; `changes` replace any of those."""
    request = ScheduleRequest(
        reading_id=reading_id,
        channel_id=CHANNEL,
        forum=False,
        first_day=date(2027, 3, 1),
        at=time(18, 0),
        tz="Europe/Rome",
        cadence=CadenceKind.WEEKLY,
        weekdays=frozenset({0}),
    )
    return replace(request, **changes)


async def bundled_reading_id(services: Services, guild_id: int) -> int:
    """The id of the reading the guild starts with."""
    [seed] = [r for r in await services.readings.available(guild_id) if r.bundled]
    return seed.id


async def weekly_circle(db: Database, services: Services, guild_id: int, user_id: int) -> int:
    """A weekly schedule of the guild's bundled reading in CHANNEL, set up by `user_id`."""
    async with db.session() as session:
        await readings.ensure_guild(session, guild_id)
    reading_id = await bundled_reading_id(services, guild_id)
    schedule = await services.schedules.create(guild_id, user_id, schedule_request(reading_id))
    return schedule.id


class Announcer:
    """The votes' Discord side: a result is message 7000 + the vote's id. The ids of the
    votes whose results it posted are in `closed`, of those it reminded in `reminded`."""

    def __init__(self) -> None:
        self.closed: list[int] = []
        self.reminded: list[int] = []

    async def post_result(self, closing: Announcement) -> int:
        self.closed.append(closing.vote.id)
        return 7000 + closing.vote.id

    async def show_closed(self, vote: VoteState, result_message_id: int) -> None:
        return None

    async def remind(self, reminder: Reminder) -> None:
        self.reminded.append(reminder.vote.id)


class Events:
    """The meetings' Discord side: scheduled events kept by id (from 6000), each with the
    reference its description carries; post links and cancellations recorded."""

    def __init__(self) -> None:
        self.events: dict[int, EventSpec] = {}
        self.cancelled: list[int] = []
        self.links: list[PostLink] = []

    async def create(self, spec: EventSpec) -> int:
        event_id = 6000 + len(self.events) + len(self.cancelled)
        self.events[event_id] = spec
        return event_id

    async def find(self, guild_id: int, reference: str) -> int | None:
        return next(
            (
                event_id
                for event_id, spec in self.events.items()
                if spec.guild_id == guild_id and spec.reference == reference
            ),
            None,
        )

    async def update(self, event_id: int, spec: EventSpec) -> bool:
        if event_id not in self.events:
            return False
        self.events[event_id] = spec
        return True

    async def cancel(self, guild_id: int, event_id: int) -> None:
        if self.events.pop(event_id, None) is not None:
            self.cancelled.append(event_id)

    async def link_post(self, link: PostLink) -> None:
        self.links.append(link)

    async def interested(self, guild_id: int, event_id: int) -> int | None:
        return 0 if event_id in self.events else None


class Dms:
    """The reminders' Discord side: every DM reaches its member and is kept in `sent`."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, ReminderMessage]] = []

    async def send(self, user_id: int, message: ReminderMessage) -> bool:
        self.sent.append((user_id, message))
        return True


class ThreadMessages:
    """The reflections' Discord side: finds no message left unrecorded by a crash, and keeps
    what it was asked to settle (`settled`: guild, reflections, member) and to show again
    (`refreshed`)."""

    def __init__(self) -> None:
        self.settled: list[tuple[int, list[int] | None, int | None]] = []
        self.refreshed: list[PostedRef] = []

    async def settle(
        self,
        guild_id: int,
        *,
        reflection_ids: Collection[int] | None = None,
        user_id: int | None = None,
        finish: bool = False,
    ) -> None:
        ids = sorted(reflection_ids) if reflection_ids is not None else None
        self.settled.append((guild_id, ids, user_id))

    async def refresh(self, guild_id: int, refs: Sequence[PostedRef]) -> None:
        self.refreshed.extend(refs)


class World:
    """The services as the composition root builds them over `db` (every job kind
    registered), with their scheduler run by hand on a fake clock (at START unless `clock` is
    given), and fakes for their Discord sides.

    Section posts (regular and /post-now) go to `poster` (a `PlainPoster` unless given),
    digests to a `DigestPoster`, vote results to an `Announcer`, meetings' events to
    `Events`, reminders to `Dms`, and reflections' own messages are `ThreadMessages`: every
    job a world runs has its Discord side. `backoff_base` and `max_attempts` set the
    scheduler's retries; None keeps the scheduler's own default. `model` and `plugins` go to
    `build_services`.
    """

    def __init__(
        self,
        db: Database,
        *,
        clock: FakeClock | None = None,
        poster: NoncePoster | PlainPoster | None = None,
        backoff_base: timedelta | None = None,
        max_attempts: int | None = None,
        model: ModelConfig | None = None,
        plugins: Callable[[], Iterable[object]] = tuple,
    ) -> None:
        self.db = db
        self.clock = clock if clock is not None else FakeClock(START)
        options: dict[str, Any] = {}
        if backoff_base is not None:
            options["backoff_base"] = backoff_base
        if max_attempts is not None:
            options["max_attempts"] = max_attempts
        self.scheduler = Scheduler(db, self.clock, **options)
        self.services = build_services(
            db, scheduler=self.scheduler, clock=self.clock, model=model, plugins=plugins
        )
        self.schedules = self.services.schedules
        self.members = self.services.members
        self.posting = self.services.posting
        self.posting.poster = poster if poster is not None else PlainPoster()
        self.digest_poster = DigestPoster()
        self.services.digests.poster = self.digest_poster
        self.thread_messages = ThreadMessages()
        self.services.reflections.messages = self.thread_messages
        self.events = Events()
        self.services.meetings.gateway = self.events
        self.dms = Dms()
        self.services.reminders.sender = self.dms
        self.announcer = Announcer()
        self.services.votes.closing.announcer = self.announcer

    async def seed_reading(self, guild: int = GUILD) -> int:
        """The id of the reading `guild` starts with."""
        return await bundled_reading_id(self.services, guild)

    async def at(self, moment: datetime) -> int:
        """Move the clock to `moment` and run whatever is due, retries included; how many
        jobs ran."""
        self.clock.set(moment)
        ran = 0
        while n := await self.scheduler.run_due():
            ran += n
        return ran

    async def drain(self) -> None:
        """Run whatever is due now, retries included."""
        while await self.scheduler.run_due():
            pass


class ScheduleWorld(World):
    """Schedules posting to a `NoncePoster`: a failed post is retried twice, 10 s apart at
    first, then given up and reported."""

    def __init__(self, db: Database) -> None:
        self.poster = NoncePoster()
        super().__init__(
            db,
            poster=self.poster,
            backoff_base=timedelta(seconds=10),
            max_attempts=3,
        )

    async def create(self, guild: int = GUILD, **changes: Unpack[ScheduleChanges]) -> int:
        """A schedule of the seed reading made by FACILITATOR (see `schedule_request`)."""
        request = schedule_request(await self.seed_reading(guild), **changes)
        return (await self.schedules.create(guild, FACILITATOR, request)).id


class VoteWorld(World):
    """Votes in a circle of CIRCLE_FACILITATOR's, with section posts to a `PlainPoster`; a
    closing job closes the vote at once (ids in `closed`, reminders in `reminded`), and the
    scheduler keeps its default retries."""

    def __init__(self, db: Database) -> None:
        self.poster = PlainPoster()
        super().__init__(db, poster=self.poster)
        self.votes = self.services.votes
        self.closed = self.announcer.closed
        self.schedule_id = 0

    async def circle(self, *members: int) -> int:
        """A weekly circle in GUILD that `members` join; its schedule id."""
        schedule_id = await weekly_circle(self.db, self.services, GUILD, CIRCLE_FACILITATOR)
        for member in members:
            await self.members.join(GUILD, member, schedule_id)
        self.schedule_id = schedule_id
        return schedule_id

    async def first_post_met_and_shared(self, schedule_id: int, member: int) -> None:
        """The circle meets the day after each post; its first post goes out, `member` marks it
        read and shares a reflection on it at once."""
        await self.services.meetings.set_plan(
            GUILD, schedule_id, member, "day after 19:00", Where(place="Library")
        )
        await self.at(FIRST_DUE)
        posted = (await self.members.mark_read(GUILD, member)).section
        await self.services.reflections.writing.write(
            GUILD,
            member,
            schedule_id=schedule_id,
            section_id=posted.section_id,
            text="A thought.",
            visibility=Visibility.NOW,
        )

    async def open(self, **changes: Unpack[VoteChanges]) -> int:
        """A vote opened by the facilitator in CHANNEL, three options, closing in a day;
        `changes` replace any of those. Its id."""
        request = VoteRequest(
            question="What should we discuss next?",
            channel_id=CHANNEL,
            options=("Tactics", "History", "Theory"),
            closes="1d",
        )
        opened = await self.votes.opening.open_vote(
            GUILD, CIRCLE_FACILITATOR, replace(request, **changes), facilitator=True
        )
        return opened.vote.id


class ReflectionWorld(World):
    """Reflections on daily sections posted to a `PlainPoster`, digests to a `DigestPoster`
    when a section closes; failed jobs are retried 10 s apart at first."""

    def __init__(self, db: Database) -> None:
        super().__init__(db, poster=PlainPoster(), backoff_base=timedelta(seconds=10))
        self.reflections = self.services.reflections
        self.digests = self.services.digests

    async def schedule(self, guild_id: int = GUILD) -> int:
        """A daily schedule of the seed reading, made by FACILITATOR; its id."""
        reading_id = await self.seed_reading(guild_id)
        request = schedule_request(reading_id, cadence=CadenceKind.DAILY, weekdays=frozenset())
        return (await self.schedules.create(guild_id, FACILITATOR, request)).id

    async def posted(self, guild_id: int = GUILD) -> Target:
        """A schedule with its first section posted: that section."""
        await self.schedule(guild_id)
        await self.at(FIRST_DUE)
        return await self.reflections.targets.target(guild_id, user_id=MIA)

    async def write(
        self,
        target: Target,
        user: int = MIA,
        text: str = "A thought.",
        visibility: str = Visibility.PRIVATE,
    ) -> Change:
        """`user` writes `text` on `target`."""
        return await self.reflections.writing.write(
            target.guild_id,
            user,
            schedule_id=target.schedule_id,
            section_id=target.section_id,
            text=text,
            visibility=visibility,
            author_name="Mia" if user == MIA else "Max",
        )


@pytest.fixture(name="world")
def schedule_world(db: Database) -> ScheduleWorld:
    """The fixture `world`: a `ScheduleWorld` over the test's database."""
    return ScheduleWorld(db)


@pytest.fixture(name="world")
def vote_world(db: Database) -> VoteWorld:
    """The fixture `world`: a `VoteWorld` over the test's database."""
    return VoteWorld(db)


@pytest.fixture(name="world")
def reflection_world(db: Database) -> ReflectionWorld:
    """The fixture `world`: a `ReflectionWorld` over the test's database."""
    return ReflectionWorld(db)
