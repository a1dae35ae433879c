"""Votes and motions: open them, take ballots, close them once, export and summarise them.

Who votes: a vote is attached to a circle (a schedule) when there is one: the schedule whose
section thread the command ran in, the one chosen, the one posting in that channel, or the
server's only one. Only that circle's members may cast ballots, and its quorum counts them.
A server with no schedule has votes without a circle: anyone may vote and there is no quorum.

Secret ballots: a ballot's voter key is HMAC-SHA256(member id) under a random per-vote key
kept on the vote while it is open, so one member has one ballot and can change it. Closing
destroys the key, rewrites the ballots in a random order, and (SQLite) overwrites freed space
(`secure_delete`) and truncates the write-ahead log, so that nothing in the database links a
ballot to a member any more.

Closing happens once: `begin_close` moves the vote to "closing" (tallied, key destroyed) in
one transaction; the Discord side posts the result with a nonce derived from the vote, then
`finish_close` marks it closed. A retry finds "closing" and posts with the same nonce.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import random
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import (
    Ballot,
    Membership,
    Schedule,
    SectionPost,
    Topic,
    Vote,
    VoteSettings,
)
from bot.errors import NotFound, UserError
from bot.scheduler import Scheduler
from bot.scheduling.cadence import CadenceError, local_to_utc, zone
from bot.scheduling.clock import Clock
from bot.services.readings import ensure_guild
from bot.services.schedules import guild_schedule
from bot.voting import (
    APPROVAL,
    CONSENSUS,
    RANKED,
    SINGLE,
    BallotError,
    QuorumRule,
    VoteResult,
    approval,
    consensus,
    ranked,
    single,
)
from bot.voting.tiebreak import draw_seed, tiebreak_order

CLOSE_JOB = "vote.close"
REMIND_JOB = "vote.remind"
OPTIONS, MOTION = "options", "motion"
OPEN, CLOSING, CLOSED = "open", "closing", "closed"
METHODS = (APPROVAL, SINGLE, RANKED)
REMIND_STYLES = ("count", "ping", "none")
MAX_OPTIONS = 25  # a select menu's limit, and 5 rows of 5 buttons
MAX_OPTION_CHARS = 80  # a button label's limit
MAX_TOPIC_CHARS = 200
MAX_QUESTION_CHARS = 200
MAX_MOTION_CHARS = 1000
DEFAULT_CLOSES = "2d"
MIN_DURATION = timedelta(minutes=1)
MAX_DURATION = timedelta(days=90)
REMIND_BEFORE = timedelta(hours=1)
MIN_REMIND_LEAD = timedelta(minutes=1)
# A vote closed by hand keeps its closing job as a safety net, due this long after.
CLOSE_SAFETY_NET = timedelta(minutes=2)
SECRET_BYTES = 32
TOPIC_OPEN, TOPIC_CHOSEN = "open", "chosen"
_DURATION = re.compile(r"\s*(?:\d+\s*[wdhm]\s*)+", re.IGNORECASE)
_DURATION_PART = re.compile(r"(\d+)\s*([wdhm])", re.IGNORECASE)
_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}


def close_key(vote_id: int) -> str:
    return f"vote:{vote_id}:close"


def remind_key(vote_id: int) -> str:
    return f"vote:{vote_id}:remind"


def result_nonce(vote_id: int) -> str:
    """The result message's nonce: stable per vote, at most 25 characters."""
    return f"vr{vote_id}"[:25]


def reminder_nonce(vote_id: int) -> str:
    return f"vm{vote_id}"[:25]


def parse_closing(value: str, tz: ZoneInfo, now: datetime) -> datetime:
    """A closing time from "2d", "3h", "90m", "1d12h" or "YYYY-MM-DD HH:MM" (local to `tz`)."""
    cleaned = value.strip()
    if _DURATION.fullmatch(cleaned):
        delta = timedelta()
        for amount, unit in _DURATION_PART.findall(cleaned):
            delta += int(amount) * _UNITS.get(unit.lower(), timedelta(minutes=1))
        when = now + delta
    else:
        try:
            local = datetime.strptime(cleaned.replace("T", " "), "%Y-%m-%d %H:%M")  # noqa: DTZ007
        except ValueError:
            raise UserError(
                f"“{value}” is not a closing time I can read. Write a duration such as 2d, "
                "3h or 90m, or a date and time such as 2027-03-08 18:00."
            ) from None
        try:
            when = local_to_utc(local.date(), local.time(), tz, strict=True)
        except CadenceError as exc:
            raise UserError(str(exc)) from None
        if when <= now:
            raise UserError(
                f"{local:%Y-%m-%d %H:%M} ({tz.key}) is in the past. Pick a closing time "
                "from now on."
            )
    if when - now < MIN_DURATION:
        raise UserError("A vote needs at least a minute to run.")
    if when - now > MAX_DURATION:
        raise UserError("A vote can run for at most 90 days.")
    return when


def parse_options(value: str) -> tuple[str, ...]:
    """Options typed inline, separated by semicolons (or |): "Tactics; History; Theory"."""
    parts = [p.strip() for p in re.split(r"[;|\n]", value)]
    options = tuple(p for p in parts if p)
    check_options(options)
    return options


def check_options(options: Sequence[str]) -> None:
    if len(options) < 2:
        raise UserError("A vote needs at least two options, separated by semicolons: A; B; C.")
    if len(options) > MAX_OPTIONS:
        raise UserError(
            f"A vote can have at most {MAX_OPTIONS} options (Discord's limit for a menu); "
            f"this one has {len(options)}."
        )
    for number, option in enumerate(options, 1):
        if len(option) > MAX_OPTION_CHARS:
            raise UserError(
                f"Option {number} is {len(option)} characters long; options can have at most "
                f"{MAX_OPTION_CHARS} (Discord's limit for a button label)."
            )
    seen: dict[str, int] = {}
    for number, option in enumerate(options, 1):
        key = option.casefold()
        if key in seen:
            raise UserError(f"Options {seen[key]} and {number} are the same.")
        seen[key] = number


def reminder_time(opened: datetime, closes: datetime) -> datetime | None:
    """When to remind non-voters: an hour before the close, or a quarter of a short vote."""
    lead = min(REMIND_BEFORE, (closes - opened) / 4)
    if lead < MIN_REMIND_LEAD:
        return None
    return closes - lead


# -- views --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicView:
    id: int
    text: str
    status: str
    proposed_by: int | None
    schedule_id: int | None
    section_id: int | None
    channel_id: int
    merged_into_id: int | None


@dataclass(frozen=True)
class VoteView:
    """A vote as the Discord side shows it. `result` is the live tally (None while results
    are hidden) or, once closing or closed, the final result."""

    id: int
    guild_id: int
    kind: str
    method: str
    question: str
    options: tuple[str, ...]
    topic_ids: tuple[int | None, ...]
    min_choices: int
    max_choices: int
    threshold: str
    fallback: bool
    closes_at: datetime
    quorum_percent: int | None
    secret: bool
    hidden: bool
    remind: str
    tiebreak_seed: str
    tiebreak_order: tuple[int, ...]
    status: str
    opened_by: int | None
    channel_id: int
    message_id: int | None
    schedule_id: int | None
    section_id: int | None
    eligible: int | None
    ballots: int
    result: VoteResult | None
    closed_at: datetime | None
    closed_by: int | None
    result_message_id: int | None
    winner_text: str | None

    @property
    def is_motion(self) -> bool:
        return self.kind == MOTION

    @property
    def is_open(self) -> bool:
        return self.status == OPEN

    @property
    def quorum_required(self) -> int | None:
        return QuorumRule(self.quorum_percent, self.eligible).required

    @property
    def from_topics(self) -> bool:
        return any(t is not None for t in self.topic_ids)


@dataclass(frozen=True)
class VoteRequest:
    """What /vote open or /motion propose asks for."""

    question: str
    channel_id: int
    kind: str = OPTIONS
    method: str = APPROVAL
    options: tuple[str, ...] | None = None  # None: the open topics
    closes: str = DEFAULT_CLOSES
    quorum_percent: int | None = None
    secret: bool = False
    hidden: bool = False
    min_choices: int | None = None
    max_choices: int | None = None
    remind: str = "count"
    threshold: str = "majority"
    schedule_id: int | None = None


@dataclass(frozen=True)
class Opened:
    view: VoteView
    notes: tuple[str, ...]


@dataclass(frozen=True)
class BallotReceipt:
    view: VoteView
    choice: Any
    reason: str | None
    changed: bool


@dataclass(frozen=True)
class Closing:
    """A vote to announce: its final result, and whether an earlier attempt began it."""

    view: VoteView
    recovering: bool


@dataclass(frozen=True)
class Reminder:
    view: VoteView
    not_voted: int | None  # None: the vote has no circle to count
    ping: tuple[int, ...]  # members to ping (open ballots that asked for pings)


@dataclass(frozen=True)
class Export:
    view: VoteView
    results_csv: str
    ballots_csv: str


@dataclass(frozen=True)
class TopicScope:
    schedule_id: int | None
    section_id: int | None
    channel_id: int

    def describe(self) -> str:
        if self.schedule_id is not None:
            return f"the circle of schedule #{self.schedule_id}"
        return f"<#{self.channel_id}>"


# -- helpers over a session ---------------------------------------------------------------


def voter_key(vote: Vote, user_id: int) -> str:
    """The ballot key of `user_id` in `vote`: the id itself, or its HMAC while secret."""
    if not vote.secret:
        return str(user_id)
    if vote.secret_key is None:
        raise UserError(f"Vote #{vote.id} is closed.")
    return hmac.new(vote.secret_key, str(user_id).encode(), hashlib.sha256).hexdigest()


async def _circle(
    session: AsyncSession, guild_id: int, schedule_id: int | None, channel_id: int
) -> tuple[Schedule | None, int | None]:
    """The schedule a vote or topic belongs to, and its section: see the module docstring."""
    post = await session.scalar(
        select(SectionPost)
        .join(Schedule, Schedule.id == SectionPost.schedule_id)
        .where(
            Schedule.guild_id == guild_id,
            Schedule.status != "deleted",
            SectionPost.thread_id == channel_id,
        )
        .limit(1)
    )
    if post is not None and schedule_id in (None, post.schedule_id):
        return await session.get_one(Schedule, post.schedule_id), post.section_id
    if schedule_id is not None:
        schedule = await guild_schedule(session, guild_id, schedule_id)
    else:
        live = list(
            await session.scalars(
                select(Schedule)
                .where(Schedule.guild_id == guild_id, Schedule.status != "deleted")
                .order_by(Schedule.id)
            )
        )
        here = [s for s in live if s.channel_id == channel_id]
        if not live:
            return None, None
        if len(live) == 1:
            schedule = live[0]
        elif len(here) == 1:
            schedule = here[0]
        else:
            numbers = ", ".join(f"#{s.id}" for s in live)
            raise UserError(
                f"This server has several schedules ({numbers}): choose one in the "
                "`schedule` option, or run the command in a section's thread."
            )
    section = await session.scalar(
        select(SectionPost.section_id)
        .where(SectionPost.schedule_id == schedule.id, SectionPost.status == "posted")
        .order_by(SectionPost.position.desc())
        .limit(1)
    )
    return schedule, section


async def _members(session: AsyncSession, schedule_id: int) -> list[int]:
    return list(
        await session.scalars(
            select(Membership.user_id).where(Membership.schedule_id == schedule_id)
        )
    )


async def _eligible(session: AsyncSession, vote: Vote) -> int | None:
    if vote.schedule_id is None:
        return None
    count = await session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.schedule_id == vote.schedule_id)
    )
    return int(count or 0)


async def _is_member(session: AsyncSession, schedule_id: int, user_id: int) -> bool:
    found = await session.scalar(
        select(Membership.id).where(
            Membership.schedule_id == schedule_id, Membership.user_id == user_id
        )
    )
    return found is not None


async def _ballots(session: AsyncSession, vote_id: int) -> list[Ballot]:
    return list(
        await session.scalars(select(Ballot).where(Ballot.vote_id == vote_id).order_by(Ballot.id))
    )


async def _guild_vote(session: AsyncSession, guild_id: int, vote_id: int) -> Vote:
    vote = await session.get(Vote, vote_id, populate_existing=True)
    if vote is None or vote.guild_id != guild_id:
        raise NotFound(f"There is no vote #{vote_id} in this server.")
    return vote


async def _guild_topic(session: AsyncSession, guild_id: int, topic_id: int) -> Topic:
    topic = await session.get(Topic, topic_id)
    if topic is None or topic.guild_id != guild_id:
        raise NotFound(f"There is no topic #{topic_id} in this server.")
    return topic


def _reason_text(vote: Vote, ballot: Ballot) -> str | None:
    if not ballot.reason:
        return None
    if not vote.secret and ballot.voter_key.isdigit():
        return f"<@{ballot.voter_key}>: {ballot.reason}"
    return ballot.reason


def tally(vote: Vote, ballots: Sequence[Ballot], eligible: int | None) -> VoteResult:
    """The vote's result over `ballots`, with its quorum counted against `eligible`."""
    rule = QuorumRule(vote.quorum_percent, eligible)
    if vote.kind == MOTION:
        return consensus.tally(
            [(b.choice, _reason_text(vote, b)) for b in ballots],
            threshold=consensus.THRESHOLDS[vote.threshold],
            fallback=vote.fallback,
            quorum=rule,
        )
    labels = tuple(vote.options)
    order = tuple(vote.tiebreak_order)
    if vote.method == APPROVAL:
        return approval.tally(labels, [b.choice for b in ballots], quorum=rule, tiebreak=order)
    if vote.method == SINGLE:
        return single.tally(labels, [b.choice for b in ballots], quorum=rule, tiebreak=order)
    return ranked.tally(labels, [b.choice for b in ballots], quorum=rule, tiebreak=order)


async def _view(session: AsyncSession, vote: Vote) -> VoteView:
    ballots = await _ballots(session, vote.id)
    eligible = await _eligible(session, vote) if vote.status == OPEN else vote.eligible
    visible = vote.status != OPEN or not vote.hidden
    return VoteView(
        id=vote.id,
        guild_id=vote.guild_id,
        kind=vote.kind,
        method=vote.method,
        question=vote.question,
        options=tuple(vote.options),
        topic_ids=tuple(vote.topic_ids),
        min_choices=vote.min_choices,
        max_choices=vote.max_choices or len(vote.options),
        threshold=vote.threshold,
        fallback=vote.fallback,
        closes_at=vote.closes_at,
        quorum_percent=vote.quorum_percent,
        secret=vote.secret,
        hidden=vote.hidden,
        remind=vote.remind,
        tiebreak_seed=vote.tiebreak_seed,
        tiebreak_order=tuple(vote.tiebreak_order),
        status=vote.status,
        opened_by=vote.opened_by,
        channel_id=vote.channel_id,
        message_id=vote.message_id,
        schedule_id=vote.schedule_id,
        section_id=vote.section_id,
        eligible=eligible,
        ballots=len(ballots),
        result=tally(vote, ballots, eligible) if visible else None,
        closed_at=vote.closed_at,
        closed_by=vote.closed_by,
        result_message_id=vote.result_message_id,
        winner_text=vote.winner_text,
    )


def _topic_view(topic: Topic) -> TopicView:
    return TopicView(
        topic.id,
        topic.text,
        topic.status,
        topic.proposed_by,
        topic.schedule_id,
        topic.section_id,
        topic.channel_id,
        topic.merged_into_id,
    )


def _scope_filter(scope: TopicScope) -> list[Any]:
    if scope.schedule_id is not None:
        return [Topic.schedule_id == scope.schedule_id]
    return [Topic.schedule_id.is_(None), Topic.channel_id == scope.channel_id]


def _closed_moment(vote: Vote) -> str:
    return f"<t:{int((vote.closed_at or vote.closes_at).timestamp())}:F>"


class Votes:
    """Topic and vote use-cases, bound to the database, the job scheduler and the clock."""

    def __init__(self, db: Database, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock

    # -- topics ---------------------------------------------------------------------------

    async def topic_scope(
        self, guild_id: int, channel_id: int, schedule_id: int | None = None
    ) -> TopicScope:
        async with self.db.session() as session:
            schedule, section = await _circle(session, guild_id, schedule_id, channel_id)
            return TopicScope(schedule.id if schedule else None, section, channel_id)

    async def propose_topic(
        self,
        guild_id: int,
        user_id: int,
        text_: str,
        channel_id: int,
        schedule_id: int | None = None,
    ) -> TopicView:
        cleaned = " ".join(text_.split())
        if not cleaned:
            raise UserError("Write the topic you'd like to discuss.")
        if len(cleaned) > MAX_TOPIC_CHARS:
            raise UserError(f"Keep a topic under {MAX_TOPIC_CHARS} characters.")
        async with self.db.session() as session:
            schedule, section = await _circle(session, guild_id, schedule_id, channel_id)
            scope = TopicScope(schedule.id if schedule else None, section, channel_id)
            same = await session.scalar(
                select(Topic).where(
                    Topic.guild_id == guild_id,
                    Topic.status == TOPIC_OPEN,
                    func.lower(Topic.text) == cleaned.lower(),
                    *_scope_filter(scope),
                )
            )
            if same is not None:
                raise UserError(f"That topic is already proposed, as #{same.id}.")
            await ensure_guild(session, guild_id)
            topic = Topic(
                guild_id=guild_id,
                schedule_id=scope.schedule_id,
                section_id=scope.section_id,
                channel_id=channel_id,
                text=cleaned,
                proposed_by=user_id,
                status=TOPIC_OPEN,
                created_at=self.clock.now(),
            )
            session.add(topic)
            await session.flush()
            return _topic_view(topic)

    async def open_topics(self, scope: TopicScope, guild_id: int) -> list[TopicView]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(Topic)
                .where(
                    Topic.guild_id == guild_id, Topic.status == TOPIC_OPEN, *_scope_filter(scope)
                )
                .order_by(Topic.id)
            )
            return [_topic_view(t) for t in rows]

    async def guild_topics(self, guild_id: int, *, status: str = TOPIC_OPEN) -> list[TopicView]:
        async with self.db.session() as session:
            rows = await session.scalars(
                select(Topic)
                .where(Topic.guild_id == guild_id, Topic.status == status)
                .order_by(Topic.id)
            )
            return [_topic_view(t) for t in rows]

    async def withdraw_topic(self, guild_id: int, user_id: int, topic_id: int) -> TopicView:
        async with self.db.session() as session:
            topic = await _guild_topic(session, guild_id, topic_id)
            if topic.proposed_by != user_id:
                raise UserError(
                    "Only the member who proposed a topic can withdraw it; facilitators can "
                    "remove it with `/topic remove`."
                )
            if topic.status != TOPIC_OPEN:
                raise UserError(f"Topic #{topic_id} is {topic.status} already.")
            topic.status = "withdrawn"
            return _topic_view(topic)

    async def remove_topic(self, guild_id: int, topic_id: int) -> TopicView:
        async with self.db.session() as session:
            topic = await _guild_topic(session, guild_id, topic_id)
            if topic.status != TOPIC_OPEN:
                raise UserError(f"Topic #{topic_id} is {topic.status} already.")
            topic.status = "removed"
            return _topic_view(topic)

    async def merge_topics(self, guild_id: int, topic_id: int, into_id: int) -> TopicView:
        """Fold a duplicate into another open topic; the one kept is returned."""
        if topic_id == into_id:
            raise UserError("Pick two different topics to merge.")
        async with self.db.session() as session:
            topic = await _guild_topic(session, guild_id, topic_id)
            into = await _guild_topic(session, guild_id, into_id)
            for t in (topic, into):
                if t.status != TOPIC_OPEN:
                    raise UserError(f"Topic #{t.id} is {t.status}; only open topics merge.")
            topic.status = "merged"
            topic.merged_into_id = into.id
            return _topic_view(into)

    # -- settings -------------------------------------------------------------------------

    async def motion_fallback(self, guild_id: int) -> bool:
        async with self.db.session() as session:
            found = await session.get(VoteSettings, guild_id)
            return bool(found and found.motion_fallback)

    async def set_motion_fallback(self, guild_id: int, enabled: bool) -> None:
        async with self.db.session() as session:
            await ensure_guild(session, guild_id)
            found = await session.get(VoteSettings, guild_id)
            if found is None:
                session.add(VoteSettings(guild_id=guild_id, motion_fallback=enabled))
            else:
                found.motion_fallback = enabled

    # -- opening --------------------------------------------------------------------------

    async def open_vote(
        self, guild_id: int, user_id: int, request: VoteRequest, *, facilitator: bool = False
    ) -> Opened:
        """Check and save a vote, with its closing (and reminder) jobs; the Discord side then
        posts it and calls `attach_message` (or `discard` if it could not)."""
        notes: list[str] = []
        motion = request.kind == MOTION
        question = " ".join(request.question.split())
        limit = MAX_MOTION_CHARS if motion else MAX_QUESTION_CHARS
        if not question:
            raise UserError("Write the question (or the motion) people vote on.")
        if len(question) > limit:
            raise UserError(f"Keep it under {limit} characters.")
        if not motion and request.method not in METHODS:
            raise UserError("The method can be approval, single choice or ranked.")
        if request.remind not in REMIND_STYLES:
            raise UserError("The reminder can be count, ping or none.")
        if motion and request.threshold not in consensus.THRESHOLDS:
            raise UserError("The threshold can be majority, two-thirds or three-quarters.")
        if request.quorum_percent is not None and not 1 <= request.quorum_percent <= 100:
            raise UserError("A quorum is a percentage of the circle's members, from 1 to 100.")
        now = self.clock.now()
        async with self.db.session() as session:
            schedule, section = await _circle(
                session, guild_id, request.schedule_id, request.channel_id
            )
            if (
                schedule is not None
                and not facilitator
                and not await _is_member(session, schedule.id, user_id)
            ):
                raise UserError(
                    f"Only members of the circle of schedule #{schedule.id} and facilitators "
                    "can open a vote here. Join the circle with `/join` first."
                )
            scope = TopicScope(schedule.id if schedule else None, section, request.channel_id)
            topic_ids: list[int | None]
            if motion:
                options: tuple[str, ...] = ()
                topic_ids = []
            elif request.options is not None:
                options = request.options
                check_options(options)
                topic_ids = [None] * len(options)
            else:
                options, topic_ids = await self._topic_options(session, guild_id, scope)
            low, high = self._choice_limits(request, len(options))
            tz = zone(schedule.tz) if schedule is not None else ZoneInfo("UTC")
            closes_at = parse_closing(request.closes, tz, now)
            quorum = request.quorum_percent
            if quorum is not None and schedule is None:
                quorum = None
                notes.append(
                    "There is no quorum: this server has no reading circle whose members "
                    "could be counted, so anyone here may vote."
                )
            hidden = request.hidden
            remind = request.remind
            if request.secret:
                if not hidden:
                    notes.append("Results stay hidden until the close: the ballot is secret.")
                hidden = True
                if remind == "ping":
                    remind = "count"
                    notes.append(
                        "The reminder will give a count and name nobody: the ballot is secret."
                    )
            fallback = False
            if motion:
                found = await session.get(VoteSettings, guild_id)
                fallback = bool(found and found.motion_fallback)
            seed = draw_seed()
            await ensure_guild(session, guild_id)
            vote = Vote(
                guild_id=guild_id,
                schedule_id=schedule.id if schedule else None,
                section_id=section,
                channel_id=request.channel_id,
                kind=MOTION if motion else OPTIONS,
                method=CONSENSUS if motion else request.method,
                question=question,
                options=list(options),
                topic_ids=topic_ids,
                min_choices=low,
                max_choices=high,
                threshold=request.threshold if motion else "majority",
                fallback=fallback,
                closes_at=closes_at,
                quorum_percent=quorum,
                secret=request.secret,
                hidden=hidden,
                remind=remind,
                tiebreak_seed=seed,
                tiebreak_order=list(tiebreak_order(seed, len(options))),
                status=OPEN,
                secret_key=secrets.token_bytes(SECRET_BYTES) if request.secret else None,
                revision=0,
                opened_by=user_id,
                opened_at=now,
            )
            session.add(vote)
            await session.flush()
            await self.scheduler.enqueue(
                CLOSE_JOB,
                {"vote_id": vote.id},
                closes_at,
                guild_id=guild_id,
                dedupe_key=close_key(vote.id),
                session=session,
            )
            remind_at = reminder_time(now, closes_at)
            if remind != "none" and remind_at is not None:
                await self.scheduler.enqueue(
                    REMIND_JOB,
                    {"vote_id": vote.id},
                    remind_at,
                    guild_id=guild_id,
                    dedupe_key=remind_key(vote.id),
                    session=session,
                )
            return Opened(await _view(session, vote), tuple(notes))

    def _choice_limits(self, request: VoteRequest, options: int) -> tuple[int, int | None]:
        given = request.min_choices is not None or request.max_choices is not None
        if request.kind == MOTION or request.method != APPROVAL:
            if given:
                raise UserError("The minimum and maximum choices are for approval votes only.")
            return 1, None
        low = 1 if request.min_choices is None else request.min_choices
        high = options if request.max_choices is None else request.max_choices
        if not 0 <= low <= high or high < 1 or high > options:
            raise UserError(
                f"With {options} options, choose a minimum from 0 and a maximum from 1 to "
                f"{options}, the minimum no higher than the maximum."
            )
        return low, high

    async def _topic_options(
        self, session: AsyncSession, guild_id: int, scope: TopicScope
    ) -> tuple[tuple[str, ...], list[int | None]]:
        topics = list(
            await session.scalars(
                select(Topic)
                .where(
                    Topic.guild_id == guild_id, Topic.status == TOPIC_OPEN, *_scope_filter(scope)
                )
                .order_by(Topic.id)
            )
        )
        if len(topics) < 2:
            raise UserError(
                f"A vote needs at least two options, and {scope.describe()} has "
                f"{len(topics)} open topic{'s' * (len(topics) != 1)}. Propose topics with "
                "`/topic propose`, or list the options inline: A; B; C."
            )
        if len(topics) > MAX_OPTIONS:
            raise UserError(
                f"There are {len(topics)} open topics, and a vote can hold at most "
                f"{MAX_OPTIONS}. Merge or remove some (`/topic merge`, `/topic remove`), or "
                "list the options inline."
            )
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

    # -- looking --------------------------------------------------------------------------

    async def view(self, guild_id: int, vote_id: int) -> VoteView:
        async with self.db.session() as session:
            return await _view(session, await _guild_vote(session, guild_id, vote_id))

    async def view_by_id(self, vote_id: int) -> VoteView | None:
        async with self.db.session() as session:
            vote = await session.get(Vote, vote_id, populate_existing=True)
            return None if vote is None else await _view(session, vote)

    async def list_votes(self, guild_id: int, limit: int = 25) -> list[tuple[int, str, str]]:
        """(id, question, status) of the guild's votes, newest first."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(Vote.id, Vote.question, Vote.status)
                .where(Vote.guild_id == guild_id)
                .order_by(Vote.id.desc())
                .limit(limit)
            )
            return [(int(i), str(q), str(s)) for i, q, s in rows]

    async def start_ballot(
        self, guild_id: int, vote_id: int, user_id: int
    ) -> tuple[VoteView, Any | None]:
        """The vote and the member's current choice (theirs alone to see), checking first
        that they may vote in it."""
        async with self.db.session() as session:
            vote = await _guild_vote(session, guild_id, vote_id)
            await self._check_voter(session, vote, user_id)
            choice = await session.scalar(
                select(Ballot.choice).where(
                    Ballot.vote_id == vote.id, Ballot.voter_key == voter_key(vote, user_id)
                )
            )
            return await _view(session, vote), choice

    async def _check_voter(self, session: AsyncSession, vote: Vote, user_id: int) -> None:
        if vote.status != OPEN or vote.closes_at <= self.clock.now():
            what = "motion" if vote.kind == MOTION else "vote"
            raise UserError(
                f"This {what} (#{vote.id}) closed {_closed_moment(vote)}: your ballot was not "
                "counted."
            )
        if vote.schedule_id is not None and not await _is_member(
            session, vote.schedule_id, user_id
        ):
            raise UserError(
                f"Only members of the circle of schedule #{vote.schedule_id} can vote. "
                "Join the circle with `/join` first, then vote again."
            )

    async def can_close(
        self, guild_id: int, vote_id: int, user_id: int, *, facilitator: bool
    ) -> VoteView:
        async with self.db.session() as session:
            vote = await _guild_vote(session, guild_id, vote_id)
            if vote.status != OPEN:
                raise UserError(f"Vote #{vote_id} is already {vote.status}.")
            if not facilitator and vote.opened_by != user_id:
                raise UserError(
                    "Only the member who opened a vote, or a facilitator, can close it."
                )
            return await _view(session, vote)

    # -- ballots --------------------------------------------------------------------------

    async def cast(
        self,
        guild_id: int,
        vote_id: int,
        user_id: int,
        choice: Any,
        reason: str | None = None,
    ) -> BallotReceipt:
        """Record the member's ballot, replacing an earlier one: the latest counts."""
        now = self.clock.now()
        async with self.db.session() as session:
            # Writing to the vote first serialises this ballot with the closing: SQLite takes
            # its write lock here, PostgreSQL locks the row.
            claimed = await session.execute(
                update(Vote)
                .where(
                    Vote.id == vote_id,
                    Vote.guild_id == guild_id,
                    Vote.status == OPEN,
                    Vote.closes_at > now,
                )
                .values(revision=Vote.revision + 1)
                .execution_options(synchronize_session=False)
            )
            vote = await _guild_vote(session, guild_id, vote_id)
            await self._check_voter(session, vote, user_id)
            if not claimed.rowcount:
                raise UserError(f"Vote #{vote.id} is not taking ballots.")
            choice, reason = self._validate(vote, choice, reason)
            key = voter_key(vote, user_id)
            ballot = await session.scalar(
                select(Ballot).where(Ballot.vote_id == vote.id, Ballot.voter_key == key)
            )
            changed = ballot is not None
            if ballot is None:
                session.add(Ballot(vote_id=vote.id, voter_key=key, choice=choice, reason=reason))
            else:
                ballot.choice = choice
                ballot.reason = reason
            await session.flush()
            return BallotReceipt(await _view(session, vote), choice, reason, changed)

    def _validate(self, vote: Vote, choice: Any, reason: str | None) -> tuple[Any, str | None]:
        n = len(vote.options)
        try:
            if vote.kind == MOTION:
                stance, cleaned = consensus.validate(str(choice), reason)
                return stance.value, cleaned
            if vote.method == APPROVAL:
                picked = approval.validate(
                    [int(i) for i in choice],
                    n,
                    min_choices=vote.min_choices,
                    max_choices=vote.max_choices,
                )
                return sorted(picked), None
            if vote.method == SINGLE:
                return single.validate(int(choice), n), None
            return list(ranked.validate([int(i) for i in choice], n)), None
        except BallotError as exc:
            raise UserError(str(exc)) from None
        except (TypeError, ValueError):
            raise UserError("That ballot does not fit this vote.") from None

    # -- closing --------------------------------------------------------------------------

    async def begin_close(self, vote_id: int, *, closed_by: int | None = None) -> Closing | None:
        """Tally the vote and move it to "closing" (once); None when it is closed already.

        When an earlier attempt got as far as "closing", the same result comes back with
        `recovering` set, for the Discord side to post it with the same nonce.
        """
        now = self.clock.now()
        scrub = False
        async with self.db.session() as session:
            if self.db.is_sqlite:
                # Freed space (the destroyed key, the old ballot rows) is overwritten with zeros.
                await session.execute(text("PRAGMA secure_delete = ON"))
            claimed = await session.execute(
                update(Vote)
                .where(Vote.id == vote_id, Vote.status == OPEN)
                .values(
                    status=CLOSING,
                    closed_at=now,
                    closed_by=closed_by,
                    revision=Vote.revision + 1,
                )
                .execution_options(synchronize_session=False)
            )
            vote = await session.get(Vote, vote_id, populate_existing=True)
            if vote is None or vote.status == CLOSED:
                return None
            if claimed.rowcount:
                vote.eligible = await _eligible(session, vote)
                result = tally(vote, await _ballots(session, vote.id), vote.eligible)
                await self._record_outcome(session, vote, result)
                if closed_by is not None:
                    await self.scheduler.reschedule(
                        now + CLOSE_SAFETY_NET, dedupe_key=close_key(vote.id), session=session
                    )
                await self.scheduler.cancel(dedupe_key=remind_key(vote.id), session=session)
                if vote.secret:
                    vote.secret_key = None
                    await self._shuffle_ballots(session, vote.id)
                    scrub = True
            view = await _view(session, vote)
            recovering = not claimed.rowcount
        if scrub:
            await self._truncate_wal()
        return Closing(view, recovering)

    async def _record_outcome(self, session: AsyncSession, vote: Vote, result: VoteResult) -> None:
        if vote.kind == MOTION:
            vote.passed = bool(result.passed)
            return
        if result.winner is None:
            return
        vote.winner_index = result.winner
        vote.winner_text = vote.options[result.winner]
        topic_id = vote.topic_ids[result.winner] if result.winner < len(vote.topic_ids) else None
        if topic_id is not None:
            vote.winner_topic_id = topic_id
            topic = await session.get(Topic, topic_id)
            if topic is not None and topic.status == TOPIC_OPEN:
                topic.status = TOPIC_CHOSEN

    async def _shuffle_ballots(self, session: AsyncSession, vote_id: int) -> None:
        """Rewrite a secret vote's ballots in a random order, so row order tells nothing."""
        rows = [
            (key, choice, reason)
            for key, choice, reason in await session.execute(
                select(Ballot.voter_key, Ballot.choice, Ballot.reason).where(
                    Ballot.vote_id == vote_id
                )
            )
        ]
        random.SystemRandom().shuffle(rows)
        await session.execute(
            delete(Ballot)
            .where(Ballot.vote_id == vote_id)
            .execution_options(synchronize_session=False)
        )
        for stale in [o for o in session.identity_map.values() if isinstance(o, Ballot)]:
            session.expunge(stale)
        for key, choice, reason in rows:
            session.add(Ballot(vote_id=vote_id, voter_key=key, choice=choice, reason=reason))
        await session.flush()

    async def _truncate_wal(self) -> None:
        """SQLite keeps old page images in its write-ahead log: copy back and empty it."""
        if not self.db.is_sqlite:
            return
        async with self.db.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def finish_close(self, vote_id: int, result_message_id: int | None) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(Vote)
                .where(Vote.id == vote_id, Vote.status == CLOSING)
                .values(status=CLOSED, result_message_id=result_message_id)
            )

    # -- reminding ------------------------------------------------------------------------

    async def reminder(self, vote_id: int) -> Reminder | None:
        """Who has not voted yet, as a count (and ids to ping, for open ballots that asked)."""
        async with self.db.session() as session:
            vote = await session.get(Vote, vote_id, populate_existing=True)
            if (
                vote is None
                or vote.status != OPEN
                or vote.reminded_at is not None
                or vote.remind == "none"
                or vote.closes_at <= self.clock.now()
            ):
                return None
            view = await _view(session, vote)
            if vote.schedule_id is None:
                return Reminder(view, None, ())
            keys = set(
                await session.scalars(select(Ballot.voter_key).where(Ballot.vote_id == vote.id))
            )
            missing = [
                u
                for u in await _members(session, vote.schedule_id)
                if voter_key(vote, u) not in keys
            ]
            ping = tuple(sorted(missing)) if (not vote.secret and vote.remind == "ping") else ()
            return Reminder(view, len(missing), ping)

    async def mark_reminded(self, vote_id: int) -> None:
        async with self.db.session() as session:
            vote = await session.get_one(Vote, vote_id)
            vote.reminded_at = self.clock.now()

    # -- export ---------------------------------------------------------------------------

    async def export(self, guild_id: int, vote_id: int) -> Export:
        """CSV of the results and of the ballots (no names for secret ballots)."""
        async with self.db.session() as session:
            vote = await _guild_vote(session, guild_id, vote_id)
            if vote.status == OPEN:
                raise UserError(f"Vote #{vote_id} is still open: export it once it closes.")
            view = await _view(session, vote)
            ballots = await _ballots(session, vote.id)
        assert view.result is not None
        return Export(view, _results_csv(view, view.result), _ballots_csv(vote, ballots))


# -- csv ----------------------------------------------------------------------------------


def _csv(rows: list[list[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _results_csv(view: VoteView, result: VoteResult) -> str:
    place = {i: n for n, tier in enumerate(result.ranking, 1) for i in tier}
    rows: list[list[Any]] = [["option", "label", "count", "percent", "place", "outcome"]]
    for c in result.counts:
        outcome = "winner" if not view.is_motion and c.index == result.winner else ""
        rows.append(
            [
                c.index + 1,
                c.label,
                c.count,
                f"{float(c.share) * 100:.1f}",
                place.get(c.index, ""),
                outcome,
            ]
        )
    rows.append([])
    rows.append(["ballots", result.ballots])
    rows.append(["eligible", "" if view.eligible is None else view.eligible])
    rows.append(["quorum met", "yes" if result.quorum.met else "no"])
    rows.append(["result", result.headline()])
    return _csv(rows)


def _ballots_csv(vote: Vote, ballots: Sequence[Ballot]) -> str:
    """One row per ballot. Open ballots name the member's id; secret ones are numbered."""
    who = "ballot" if vote.secret else "member_id"
    options = list(vote.options)
    if vote.kind == MOTION:
        header = [who, "stance", "reason"]
    elif vote.method == SINGLE:
        header = [who, "option", "label"]
    else:
        # Approval: 1 for approved. Ranked: the place given (blank when unranked).
        header = [who, *(f"{n}. {label}" for n, label in enumerate(options, 1))]
    rows: list[list[Any]] = [header]
    for number, ballot in enumerate(ballots, 1):
        first = number if vote.secret else ballot.voter_key
        if vote.kind == MOTION:
            rows.append([first, ballot.choice, ballot.reason or ""])
        elif vote.method == SINGLE:
            rows.append([first, int(ballot.choice) + 1, options[int(ballot.choice)]])
        elif vote.method == APPROVAL:
            chosen = set(ballot.choice)
            rows.append([first, *(1 if i in chosen else 0 for i in range(len(options)))])
        else:
            place = {option: rank for rank, option in enumerate(ballot.choice, 1)}
            rows.append([first, *(place.get(i, "") for i in range(len(options)))])
    return _csv(rows)


# -- for other features -------------------------------------------------------------------


def _outcome(vote: Vote, result: VoteResult) -> str:
    if vote.kind == MOTION:
        m = result.motion
        counts = (
            f"{m.agree} agree, {m.disagree} disagree, {m.stand_aside} stood aside, "
            f"{m.block} blocked"
            if m is not None
            else ""
        )
        return f"{'passed' if result.passed else 'failed'} ({counts})"
    ballots = f"{result.ballots} ballot{'s' * (result.ballots != 1)}"
    if result.winner is not None:
        how = " on the tie-break" if result.tie_break is not None else ""
        return f"“{result.labels[result.winner]}” won{how} ({ballots})"
    if not result.ballots:
        return "no decision: nobody voted"
    if not result.quorum.met:
        return f"no decision: quorum not met ({ballots})"
    return f"no single winner ({ballots})"


async def vote_summaries(
    db: Database, guild_id: int, schedule_id: int, section_id: int
) -> list[str]:
    """One line per closed vote or motion on that section, for the section's digest."""
    async with db.session() as session:
        votes = list(
            await session.scalars(
                select(Vote)
                .where(
                    Vote.guild_id == guild_id,
                    Vote.schedule_id == schedule_id,
                    Vote.section_id == section_id,
                    Vote.status == CLOSED,
                )
                .order_by(Vote.id)
            )
        )
        lines = []
        for vote in votes:
            result = tally(vote, await _ballots(session, vote.id), vote.eligible)
            what = "Motion" if vote.kind == MOTION else "Vote"
            question = vote.question if len(vote.question) <= 100 else vote.question[:99] + "…"
            lines.append(f"{what} #{vote.id} · {question}: {_outcome(vote, result)}.")
        return lines


async def forget_member(db: Database, guild_id: int, user_id: int) -> dict[str, int]:
    """For /forget-me: delete the member's ballots in the guild's open votes; in closed votes
    their open ballots lose the member id (totals stay). Topics and votes lose the name."""
    deleted = anonymised = 0
    async with db.session() as session:
        votes = list(await session.scalars(select(Vote).where(Vote.guild_id == guild_id)))
        for vote in votes:
            if vote.status == OPEN:
                result = await session.execute(
                    delete(Ballot).where(
                        Ballot.vote_id == vote.id, Ballot.voter_key == voter_key(vote, user_id)
                    )
                )
                deleted += int(result.rowcount or 0)
            elif not vote.secret:
                ballot = await session.scalar(
                    select(Ballot).where(
                        Ballot.vote_id == vote.id, Ballot.voter_key == str(user_id)
                    )
                )
                if ballot is not None:
                    ballot.voter_key = f"forgotten-{secrets.token_hex(8)}"
                    anonymised += 1
            if vote.opened_by == user_id:
                vote.opened_by = None
            if vote.closed_by == user_id:
                vote.closed_by = None
        topics = await session.execute(
            update(Topic)
            .where(Topic.guild_id == guild_id, Topic.proposed_by == user_id)
            .values(proposed_by=None)
        )
    return {
        "ballots in open votes": deleted,
        "ballots in closed votes made anonymous": anonymised,
        "topics made anonymous": int(topics.rowcount or 0),
    }


async def next_focus(session: AsyncSession, schedule_id: int) -> tuple[int, str] | None:
    """The latest winning topic of the schedule not yet shown on a post: (vote id, text)."""
    row = (
        await session.execute(
            select(Vote.id, Vote.winner_text)
            .where(
                Vote.schedule_id == schedule_id,
                Vote.status == CLOSED,
                Vote.winner_topic_id.is_not(None),
                Vote.winner_text.is_not(None),
                Vote.focus_used_at.is_(None),
            )
            .order_by(Vote.closed_at.desc(), Vote.id.desc())
            .limit(1)
        )
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


async def mark_focus_used(session: AsyncSession, vote_id: int, when: datetime) -> None:
    await session.execute(
        update(Vote)
        .where(Vote.id == vote_id, Vote.focus_used_at.is_(None))
        .values(focus_used_at=when.astimezone(UTC))
    )
