"""Opening votes and motions: checking the request, its options and its closing time, then
saving the vote with its closing (and reminder) jobs."""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Topic, Vote, VoteSettings
from bot.db.models.votes import TopicStatus, VoteKind, VoteStatus
from bot.errors import UserError
from bot.reading.text import plural
from bot.scheduler import Scheduler
from bot.scheduling.cadence import CadenceError, zone
from bot.scheduling.clock import Clock
from bot.services.member_text import clean_line
from bot.services.readings import ensure_guild
from bot.services.votes._common import (
    CLOSE_JOB,
    REMIND_JOB,
    circle_of,
    close_key,
    in_circle,
    remind_key,
)
from bot.services.votes.ballots import VoteState, load_vote_state
from bot.services.votes.topics import TopicScope, scope_filter
from bot.voting import MotionThreshold, VoteMethod, VoteReminder
from bot.voting import plan as vote_rules
from bot.voting.plan import (
    MAX_OPTIONS,
    TooFewOptions,
    TooManyOptions,
    VoteAsked,
    VoteRequestError,
    check_option_count,
    check_options,
    check_request,
    parse_closing,
    plan_vote,
    reminder_time,
)
from bot.voting.results import tiebreak_order

MAX_QUESTION_CHARS = 200
MAX_MOTION_CHARS = 1000
DEFAULT_CLOSES = "2d"
SECRET_BYTES = 32
TIEBREAK_SEED_BYTES = 6  # a seed short enough to publish with the vote

if TYPE_CHECKING:
    from bot.services.features import VoteWatcher


def parse_options(value: str) -> tuple[str, ...]:
    """Options typed inline, separated by semicolons: "Tactics; History; Theory"
    (`bot.voting.plan.parse_options`), a broken rule told to the member."""
    with _told_to_the_user():
        return vote_rules.parse_options(value)


@dataclass(frozen=True)
class VoteRequest:
    """What /vote open or /motion propose asks for."""

    question: str
    channel_id: int
    kind: VoteKind = VoteKind.OPTIONS
    method: VoteMethod = VoteMethod.APPROVAL
    options: tuple[str, ...] | None = None  # None: the open topics
    closes: str = DEFAULT_CLOSES
    quorum_percent: int | None = None
    secret: bool = False
    hidden: bool = False
    min_choices: int | None = None
    max_choices: int | None = None
    remind: VoteReminder = VoteReminder.COUNT
    threshold: str = MotionThreshold.MAJORITY
    schedule_id: int | None = None

    def asked(self) -> VoteAsked:
        """The settings the vote rules check (`bot.voting.plan`)."""
        return VoteAsked(
            motion=self.kind == VoteKind.MOTION,
            method=self.method,
            remind=self.remind,
            threshold=self.threshold,
            quorum_percent=self.quorum_percent,
            secret=self.secret,
            hidden=self.hidden,
            min_choices=self.min_choices,
            max_choices=self.max_choices,
        )


@contextmanager
def _told_to_the_user() -> Iterator[None]:
    """A broken vote rule, as an error shown to the person opening the vote (a time that
    cannot be read is quoted apart, as the member typed it)."""
    try:
        yield
    except VoteRequestError as exc:
        raise UserError(str(exc)) from None
    except CadenceError as exc:
        raise UserError(exc.message, quoted=exc.quoted) from None


@dataclass(frozen=True)
class Opened:
    vote: VoteState
    notes: tuple[str, ...]


class Opening:
    """Opening a vote or motion, attaching (or discarding) its message, and the guild's
    setting for motions that miss consensus."""

    def __init__(self, db: Database, *, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock
        # Told in the transaction that opens a vote (reminders by DM queue theirs); set by the
        # composition root, `bot.services.root`.
        self.watchers: Sequence[VoteWatcher] = ()

    async def motion_fallback(self, guild_id: int) -> bool:
        """Whether a motion that misses consensus falls back to a vote in this guild."""
        async with self.db.session() as session:
            return await self._motion_fallback(session, guild_id)

    async def set_motion_fallback(self, guild_id: int, enabled: bool) -> None:
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)
            found = await session.get(VoteSettings, guild_id)
            if found is None:
                session.add(VoteSettings(guild_id=guild_id, motion_fallback=enabled))
            else:
                found.motion_fallback = enabled

    async def open_vote(
        self, guild_id: int, user_id: int, request: VoteRequest, *, facilitator: bool = False
    ) -> Opened:
        """Check and save a vote, with its closing (and reminder) jobs; the Discord side then
        posts it and calls `attach_message` (or `discard` if it could not)."""
        asked = request.asked()
        question = clean_line(
            request.question,
            what="motion" if asked.motion else "question",
            limit=MAX_MOTION_CHARS if asked.motion else MAX_QUESTION_CHARS,
            empty="Write the question (or the motion) people vote on.",
        )
        with _told_to_the_user():
            check_request(asked)
        now = self.clock.now()
        async with self.db.session() as session:
            schedule, section = await circle_of(
                session, guild_id, request.schedule_id, request.channel_id
            )
            if schedule is not None and not facilitator:
                await self._check_may_open(session, schedule.id, user_id)
            scope = TopicScope(schedule.id if schedule else None, section, request.channel_id)
            options, topic_ids = await self._options(session, guild_id, request, scope)
            # The circle's own zone, read outside: a stored zone that fails is a bug to log,
            # not the member's to mend.
            tz = zone(schedule.tz) if schedule is not None else ZoneInfo("UTC")
            with _told_to_the_user():
                plan = plan_vote(asked, options=len(options), has_circle=schedule is not None)
                closes_at = parse_closing(request.closes, tz, now)
            # Drawn here, not by the rules: they take the seed and publish its order.
            seed = secrets.token_hex(TIEBREAK_SEED_BYTES)
            await ensure_guild(session, guild_id)
            vote = Vote(
                guild_id=guild_id,
                schedule_id=scope.schedule_id,
                section_id=section,
                channel_id=request.channel_id,
                kind=VoteKind.MOTION if asked.motion else VoteKind.OPTIONS,
                method=plan.method,
                question=question,
                options=list(options),
                topic_ids=topic_ids,
                min_choices=plan.min_choices,
                max_choices=plan.max_choices,
                threshold=plan.threshold,
                fallback=asked.motion and await self._motion_fallback(session, guild_id),
                closes_at=closes_at,
                quorum_percent=plan.quorum_percent,
                secret=request.secret,
                hidden=plan.hidden,
                remind=plan.remind,
                tiebreak_seed=seed,
                tiebreak_order=list(tiebreak_order(seed, len(options))),
                status=VoteStatus.OPEN,
                secret_key=secrets.token_bytes(SECRET_BYTES) if request.secret else None,
                revision=0,
                opened_by=user_id,
                opened_at=now,
            )
            session.add(vote)
            await session.flush()
            await self._enqueue_jobs(session, vote, now)
            return Opened(await load_vote_state(session, vote), plan.notes)

    @staticmethod
    async def _check_may_open(session: AsyncSession, schedule_id: int, user_id: int) -> None:
        if not await in_circle(session, schedule_id, user_id):
            raise UserError(
                f"Only members of the circle of schedule #{schedule_id} and facilitators "
                "can open a vote here. Join the circle with `/join` first."
            )

    async def _options(
        self, session: AsyncSession, guild_id: int, request: VoteRequest, scope: TopicScope
    ) -> tuple[tuple[str, ...], list[int | None]]:
        """The options and the topic each one is (None for one typed inline)."""
        if request.kind == VoteKind.MOTION:
            return (), []
        if request.options is not None:
            with _told_to_the_user():
                check_options(request.options)
            return request.options, [None] * len(request.options)
        return await self._topic_options(session, guild_id, scope)

    @staticmethod
    async def _motion_fallback(session: AsyncSession, guild_id: int) -> bool:
        found = await session.get(VoteSettings, guild_id)
        return bool(found and found.motion_fallback)

    async def _enqueue_jobs(self, session: AsyncSession, vote: Vote, now: datetime) -> None:
        """The closing job, and the reminder unless none was asked for or there is no time."""
        await self.scheduler.enqueue(
            CLOSE_JOB,
            {"vote_id": vote.id},
            vote.closes_at,
            guild_id=vote.guild_id,
            dedupe_key=close_key(vote.id),
            session=session,
        )
        for watcher in self.watchers:
            await watcher.on_vote_opened(
                session, vote.id, vote.guild_id, vote.schedule_id, now, vote.closes_at
            )
        remind_at = reminder_time(now, vote.closes_at)
        if vote.remind != VoteReminder.NONE and remind_at is not None:
            await self.scheduler.enqueue(
                REMIND_JOB,
                {"vote_id": vote.id},
                remind_at,
                guild_id=vote.guild_id,
                dedupe_key=remind_key(vote.id),
                session=session,
            )

    async def _topic_options(
        self, session: AsyncSession, guild_id: int, scope: TopicScope
    ) -> tuple[tuple[str, ...], list[int | None]]:
        topics = list(
            await session.scalars(
                select(Topic)
                .where(
                    Topic.guild_id == guild_id,
                    Topic.status == TopicStatus.OPEN,
                    *scope_filter(scope),
                )
                .order_by(Topic.id)
            )
        )
        try:
            check_option_count(len(topics))
        except TooFewOptions:
            where = (
                f"the circle of schedule #{scope.schedule_id}"
                if scope.schedule_id is not None
                else "this channel"
            )
            raise UserError(
                f"A vote needs at least two options, and {where} has "
                f"{plural(len(topics), 'open topic')}. Propose topics with "
                "`/topic propose`, or list the options inline: A; B; C."
            ) from None
        except TooManyOptions:
            raise UserError(
                f"There are {len(topics)} open topics, and a vote can hold at most "
                f"{MAX_OPTIONS}. Merge or remove some (`/topic merge`, `/topic remove`, or "
                "`/topic clear` for all of one member's), or list the options inline."
            ) from None
        return tuple(t.text for t in topics), [t.id for t in topics]

    async def attach_message(self, vote_id: int, message_id: int) -> None:
        async with self.db.session() as session:
            vote = await session.get_one(Vote, vote_id)
            vote.message_id = message_id

    async def discard(self, vote_id: int) -> None:
        """Forget a vote whose message could not be posted, and its jobs."""
        async with self.db.session() as session:
            await self.scheduler.cancel(dedupe_key_prefix=f"vote:{vote_id}:", session=session)
            await session.execute(delete(Vote).where(Vote.id == vote_id))
