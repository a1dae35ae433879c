"""The composition root: `build_services` makes every service once and wires them together.

The bot (`bot.app`), its extensions, the benchmarks and the tests all use the `Services` it
returns. A service is a plain class bound to the database, the clock and, when it queues
work, the job scheduler (these two passed by keyword, `scheduler=` and `clock=`, so no call
can swap them); it imports no Discord. Its Discord side (a poster, a DM sender, an
event gateway) is a port the feature's extension attaches in `setup`. Every kind of job and
the service that runs it are listed once, in `Services.jobs`, and registered with the
scheduler here; the scheduler runs nothing before it is started, once the ports are attached.

Features find each other through protocols (those of `bot.services.features`, and on the
Discord side those of `bot.exts.features`), never through lists filled in the order extensions
load: the root looks for implementers among the services, in the order of the fields below,
then among the objects `plugins` returns (the bot's cogs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, TypeVar

from bot.db import Database
from bot.scheduler import JobHandlers, Scheduler
from bot.scheduling.clock import Clock
from bot.services.bot_state import StateStore
from bot.services.calendars import Calendars
from bot.services.digests import Digests
from bot.services.features import (
    MeetingWatcher,
    ScheduleWatcher,
    VoteWatcher,
)
from bot.services.guilds import Guilds
from bot.services.meetings import CANCEL_JOB, SYNC_JOB, Meetings
from bot.services.members import Members
from bot.services.model_prompts import MODEL_PROMPTS_JOB, ModelConfig, ModelPrompts
from bot.services.posting import SECTION_CLOSED_JOB, SectionPosting
from bot.services.prompts import Prompts
from bot.services.readings import Readings
from bot.services.reflections import SETTLE_JOB, Reflections
from bot.services.reminders import BEHIND_JOB, DM_JOB, FANOUT_JOB, Reminders
from bot.services.schedules import POST_JOB, POST_NOW_JOB, Schedules
from bot.services.votes import CLOSE_JOB, REMIND_JOB, WAL_JOB, Votes

if TYPE_CHECKING:
    from typing_extensions import TypeForm  # PEP 747

T = TypeVar("T")


@dataclass(eq=False)
class Services:
    """Every service of the bot, built once by `build_services`."""

    database: Database = field(repr=False)
    clock: Clock = field(repr=False)
    scheduler: Scheduler = field(repr=False)
    state: StateStore
    guilds: Guilds
    readings: Readings
    prompts: Prompts
    # First of the features keeping member data: /forget-me lists and reports it first.
    reflections: Reflections
    schedules: Schedules
    posting: SectionPosting
    members: Members
    meetings: Meetings
    calendars: Calendars
    reminders: Reminders
    votes: Votes
    digests: Digests
    model_prompts: ModelPrompts
    # More objects that may implement a feature protocol: the bot passes its cogs.
    plugins: Callable[[], Iterable[object]] = field(default=tuple, repr=False)

    def features(self) -> list[object]:
        """The services, in field order, then the plugins."""
        infrastructure = {"database", "clock", "scheduler", "plugins"}
        found = [getattr(self, f.name) for f in fields(self) if f.name not in infrastructure]
        return [*found, *self.plugins()]

    def implementers(self, protocol: TypeForm[T]) -> list[T]:
        """Every feature implementing `protocol`, a `runtime_checkable` Protocol class."""
        # A TypeForm, not a `type[T]`: that promises a class one can instantiate, which a
        # Protocol is not. Features are looked for by one class; any other form is refused.
        if not isinstance(protocol, type):
            raise TypeError(f"features are looked up by a Protocol class, not {protocol!r}")
        return [feature for feature in self.features() if isinstance(feature, protocol)]

    def jobs(self) -> dict[str, JobHandlers]:
        """Every kind of job, and the service's handlers that run it."""
        posting, reminders, meetings = self.posting, self.reminders, self.meetings
        closing = self.votes.closing
        return {
            POST_JOB: JobHandlers(posting.handle, posting.give_up),
            POST_NOW_JOB: JobHandlers(posting.handle, posting.give_up),
            SECTION_CLOSED_JOB: JobHandlers(self.digests.handle),
            SETTLE_JOB: JobHandlers(self.reflections.settling.handle),
            FANOUT_JOB: JobHandlers(reminders.handle_fanout),
            DM_JOB: JobHandlers(reminders.handle_dm),
            BEHIND_JOB: JobHandlers(reminders.handle_behind),
            SYNC_JOB: JobHandlers(meetings.handle_sync),
            CANCEL_JOB: JobHandlers(meetings.handle_cancel),
            # Run even without a model endpoint, so jobs queued while one was set end cleanly.
            MODEL_PROMPTS_JOB: JobHandlers(self.model_prompts.handle, self.model_prompts.give_up),
            CLOSE_JOB: JobHandlers(closing.handle_close, closing.give_up_close),
            REMIND_JOB: JobHandlers(closing.handle_remind),
            WAL_JOB: JobHandlers(closing.empty_wal),
        }


def build_services(
    database: Database,
    *,
    scheduler: Scheduler,
    clock: Clock,
    model: ModelConfig | None = None,
    plugins: Callable[[], Iterable[object]] = tuple,
) -> Services:
    """Build and wire every service. `model` is the prompt-writing model's endpoint, if any;
    `plugins` yields further objects to look in for feature protocols (the bot's cogs)."""
    schedules = Schedules(database, scheduler=scheduler, clock=clock)
    services = Services(
        database=database,
        clock=clock,
        scheduler=scheduler,
        state=StateStore(database),
        guilds=Guilds(database),
        readings=Readings(database),
        prompts=Prompts(database),
        schedules=schedules,
        posting=SectionPosting(database, schedules, scheduler=scheduler, clock=clock),
        members=Members(database, clock=clock),
        meetings=Meetings(database, scheduler=scheduler, clock=clock),
        calendars=Calendars(database, clock=clock),
        reminders=Reminders(database, scheduler=scheduler, clock=clock),
        votes=Votes(database, scheduler=scheduler, clock=clock),
        reflections=Reflections(database, scheduler=scheduler, clock=clock),
        digests=Digests(database, scheduler=scheduler, clock=clock),
        model_prompts=ModelPrompts(database, model, scheduler=scheduler, clock=clock),
        plugins=plugins,
    )
    # Watchers are services only: they act inside the transactions of other services.
    services.schedules.watchers = services.implementers(ScheduleWatcher)
    services.meetings.watchers = services.implementers(MeetingWatcher)
    services.votes.opening.watchers = services.implementers(VoteWatcher)
    for kind, handlers in services.jobs().items():
        scheduler.register(kind, handlers.run, give_up=handlers.give_up)
    return services
