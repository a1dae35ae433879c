"""Reminders by direct message, only for the members who asked for them.

A member chooses (`/remind`) to hear when a section of their circles is posted, some time
before each meeting, before a vote they have not voted in closes, and each week how many
sections they are behind. Nothing is on by default.

Each occasion queues one `remind.fanout` job; when it runs it queues one `remind.dm` job per
member who asked, with a dedupe key naming the occasion and the member, so no reminder is
sent twice. DMs are spread at `dm_rate` a second across every occasion (each fanout queues
its DMs after those already waiting), and weekly nudges over an hour, so that thousands of
members never meet Discord's rate limits at once. A DM that falls in the member's quiet hours
waits for their end, unless that is past what it is about (then it is not sent); a DM that
starts more than `LATE_GRACE` after its time (the bot was down) is dropped. When Discord says
a member's DMs are closed, their reminders stop until they turn them on again, and the bot
tells them so once, privately, the next time they use it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database, rows_matched
from bot.db.models import (
    Ballot,
    Job,
    Meeting,
    Membership,
    Progress,
    Reading,
    ReminderPrefs,
    ReminderSuggestion,
    Schedule,
    Section,
    SectionPost,
    Vote,
)
from bot.db.models.jobs import JobStatus
from bot.db.models.meetings import MeetingStatus
from bot.db.models.schedules import PostStatus
from bot.db.models.votes import VoteStatus
from bot.errors import UserError
from bot.links import channel_url, event_url
from bot.scheduler import JobContext, Scheduler
from bot.scheduling.cadence import CadenceError, local_to_utc, zone
from bot.scheduling.clock import Clock
from bot.scheduling.reminders import (
    MAX_OFFSETS,
    describe_offset,
    moment_before,
    parse_offsets,
    parse_quiet,
    quiet_until,
)
from bot.services.features import Kept
from bot.services.meetings import post_channel
from bot.services.member_rows import MemberRows, count_rows, forget_rows
from bot.services.readings import ensure_guild
from bot.services.schedules import ChangeKind, ScheduleChange, guild_schedule
from bot.services.votes.ballots import voter_key

log = logging.getLogger(__name__)

FANOUT_JOB = "remind.fanout"
DM_JOB = "remind.dm"
BEHIND_JOB = "remind.behind"
DMS_PER_SECOND = 10  # well within Discord's 50 requests a second for the whole bot
WEEKLY_SPREAD_SECONDS = 3600
LATE_GRACE = timedelta(minutes=15)
POST_VALID = timedelta(hours=12)
# A member's time zone until they set one.
DEFAULT_ZONE = "UTC"
# The weekly nudge: Sundays at 10:00 in the member's time zone.
BEHIND_WEEKDAY, BEHIND_AT = 6, time(10, 0)
VOTE_LEAD = timedelta(hours=2)
# What /forget-me deletes (`MemberData`): one row of settings a member at most.
REMINDER_SETTINGS = Kept.uncounted("your reminder settings")


class ReminderKind(StrEnum):
    """What a reminder is about; the values travel in the jobs' payloads and dedupe keys."""

    POST = "post"
    MEETING = "meeting"
    VOTE = "vote"
    BEHIND = "behind"


@dataclass(frozen=True)
class ReminderSettings:
    """A member's reminders in one server, as `/remind` shows them."""

    on_post: bool
    before_meeting: tuple[int, ...]
    before_vote: bool
    weekly_behind: bool
    tz: str | None
    quiet: tuple[time, time] | None
    dms_closed: bool

    @property
    def any_on(self) -> bool:
        return self.on_post or bool(self.before_meeting) or self.before_vote or self.weekly_behind

    def describe_meeting(self) -> str:
        return ", ".join(describe_offset(m) for m in self.before_meeting) or "off"


@dataclass(frozen=True)
class Suggestion:
    """The reminders a circle's facilitators suggest."""

    schedule_id: int
    on_post: bool
    before_meeting: tuple[int, ...]
    before_vote: bool
    weekly_behind: bool

    def describe(self) -> str:
        """ "schedule #3: when a section is posted; 1 day before each meeting", in plain words
        (for `/remind` and for the facilitator who suggested it)."""
        parts = []
        if self.on_post:
            parts.append("when a section is posted")
        if self.before_meeting:
            before = ", ".join(describe_offset(m) for m in self.before_meeting)
            parts.append(f"{before} before each meeting")
        if self.before_vote:
            parts.append("before a vote closes")
        if self.weekly_behind:
            parts.append("weekly if behind")
        return f"schedule #{self.schedule_id}: " + ("; ".join(parts) or "no reminders")


@dataclass(frozen=True)
class ReminderMessage:
    """What one DM says; the Discord side words it."""

    kind: ReminderKind
    guild_id: int
    reading_title: str = ""
    position: int = 0
    section_title: str = ""
    link: str | None = None
    starts_at: datetime | None = None
    event_link: str | None = None
    question: str = ""
    behind: int = 0


class DmSender(Protocol):
    async def send(self, user_id: int, message: ReminderMessage) -> bool:
        """DM the member; False when Discord says their DMs are closed to the bot."""
        ...


def _offsets(text: str) -> tuple[int, ...]:
    """Minutes before a meeting, as `_offsets_text` keeps them ("1440,60")."""
    return tuple(int(m) for m in text.split(",") if m)


def _offsets_text(offsets: tuple[int, ...]) -> str:
    return ",".join(str(m) for m in offsets)


def _settings(row: ReminderPrefs | None) -> ReminderSettings:
    if row is None:
        return ReminderSettings(False, (), False, False, None, None, False)
    quiet = None
    if row.quiet_start is not None and row.quiet_end is not None:
        quiet = (row.quiet_start, row.quiet_end)
    return ReminderSettings(
        row.on_post,
        _offsets(row.before_meeting),
        row.before_vote,
        row.weekly_behind,
        row.tz,
        quiet,
        row.dms_closed_at is not None,
    )


def _link(guild_id: int, channel_id: int | None, message_id: int | None) -> str | None:
    if not channel_id or not message_id:
        return None
    return channel_url(guild_id, channel_id, message_id)


def next_behind_time(now: datetime, tz_name: str | None) -> datetime:
    """The next weekly nudge after `now`: BEHIND_WEEKDAY at BEHIND_AT in the member's zone."""
    tz = ZoneInfo(tz_name or DEFAULT_ZONE)
    day = now.astimezone(tz).date()
    for offset in range(8):
        candidate = day + timedelta(days=offset)
        if candidate.weekday() == BEHIND_WEEKDAY:
            moment = local_to_utc(candidate, BEHIND_AT, tz)
            if moment > now:
                return moment
    return local_to_utc(day + timedelta(days=7), BEHIND_AT, tz)  # pragma: no cover


class Reminders:
    """Members' reminder settings, and the jobs that send them."""

    def __init__(
        self,
        db: Database,
        *,
        scheduler: Scheduler,
        clock: Clock,
        dm_rate: float = DMS_PER_SECOND,
    ) -> None:
        self.db = db
        self.scheduler = scheduler
        self.clock = clock
        self.dm_rate = dm_rate
        self.sender: DmSender | None = None

    # -- settings ---------------------------------------------------------------------------

    async def settings(self, guild_id: int, user_id: int) -> ReminderSettings:
        async with self.db.read() as session:
            return _settings(await self._row(session, guild_id, user_id))

    @staticmethod
    async def _row(session: AsyncSession, guild_id: int, user_id: int) -> ReminderPrefs | None:
        return await session.scalar(
            select(ReminderPrefs).where(
                ReminderPrefs.guild_id == guild_id, ReminderPrefs.user_id == user_id
            )
        )

    async def _editable(self, session: AsyncSession, guild_id: int, user_id: int) -> ReminderPrefs:
        row = await self._row(session, guild_id, user_id)
        if row is None:
            await ensure_guild(session, guild_id)
            row = ReminderPrefs(
                guild_id=guild_id,
                user_id=user_id,
                on_post=False,
                before_meeting="",
                before_vote=False,
                weekly_behind=False,
                dms_closed_told=False,
            )
            session.add(row)
        return row

    async def change(
        self,
        guild_id: int,
        user_id: int,
        *,
        on_post: bool | None = None,
        before_meeting: str | None = None,
        before_vote: bool | None = None,
        weekly_behind: bool | None = None,
        quiet: str | None = None,
    ) -> ReminderSettings:
        """Change what the member chose; changing anything turns DMs back on after a failure."""
        offsets: tuple[int, ...] | None = None
        quiet_hours: tuple[time, time] | None = None
        try:
            if before_meeting is not None:
                offsets = parse_offsets(before_meeting)
            if quiet is not None:
                quiet_hours = parse_quiet(quiet)
        except CadenceError as exc:
            raise UserError(exc.message, quoted=exc.quoted) from None
        async with self.db.session() as session:
            row = await self._editable(session, guild_id, user_id)
            if on_post is not None:
                row.on_post = on_post
            if before_meeting is not None:
                row.before_meeting = _offsets_text(offsets or ())
            if before_vote is not None:
                row.before_vote = before_vote
            if quiet is not None:
                row.quiet_start = None if quiet_hours is None else quiet_hours[0]
                row.quiet_end = None if quiet_hours is None else quiet_hours[1]
            if weekly_behind is not None:
                row.weekly_behind = weekly_behind
            row.dms_closed_at, row.dms_closed_told = None, False
            row.updated_at = self.clock.now()
            if row.weekly_behind:
                await self._queue_behind(session, guild_id, user_id, row.tz)
            if offsets:
                await self._queue_meeting_fanouts_for(session, guild_id, user_id, offsets)
            return _settings(row)

    async def suggest(
        self,
        guild_id: int,
        schedule_id: int,
        *,
        on_post: bool,
        before_meeting: str | None,
        before_vote: bool,
        weekly_behind: bool,
    ) -> Suggestion:
        """What a facilitator suggests to a circle's members. It turns nothing on for anyone."""
        try:
            offsets = parse_offsets(before_meeting) if before_meeting else ()
        except CadenceError as exc:
            raise UserError(exc.message, quoted=exc.quoted) from None
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            row = await session.get(ReminderSuggestion, schedule.id)
            if row is None:
                row = ReminderSuggestion(schedule_id=schedule.id)
                session.add(row)
            row.on_post, row.before_vote, row.weekly_behind = on_post, before_vote, weekly_behind
            row.before_meeting = _offsets_text(offsets)
            row.updated_at = self.clock.now()
            return Suggestion(schedule.id, on_post, offsets, before_vote, weekly_behind)

    async def suggestions(self, guild_id: int, user_id: int) -> list[Suggestion]:
        """The suggestions of the circles the member is in."""
        async with self.db.read() as session:
            rows = await session.scalars(
                select(ReminderSuggestion)
                .join(Membership, Membership.schedule_id == ReminderSuggestion.schedule_id)
                .join(Schedule, Schedule.id == ReminderSuggestion.schedule_id)
                .where(Membership.user_id == user_id, Schedule.guild_id == guild_id)
                .order_by(ReminderSuggestion.schedule_id)
            )
            return [
                Suggestion(
                    r.schedule_id,
                    r.on_post,
                    _offsets(r.before_meeting),
                    r.before_vote,
                    r.weekly_behind,
                )
                for r in rows
            ]

    async def take_suggestions(self, guild_id: int, user_id: int) -> ReminderSettings:
        """The member takes their circles' suggestions (added to what they chose)."""
        found = await self.suggestions(guild_id, user_id)
        if not found:
            raise UserError("Your circles suggest no reminders. Choose them in the options.")
        current = await self.settings(guild_id, user_id)
        offsets = sorted(
            {*current.before_meeting, *(m for s in found for m in s.before_meeting)},
            reverse=True,
        )[:MAX_OFFSETS]
        return await self.change(
            guild_id,
            user_id,
            on_post=current.on_post or any(s.on_post for s in found),
            before_meeting=", ".join(f"{m}m" for m in offsets) if offsets else "off",
            before_vote=current.before_vote or any(s.before_vote for s in found),
            weekly_behind=current.weekly_behind or any(s.weekly_behind for s in found),
        )

    async def set_timezone(self, guild_id: int, user_id: int, name: str) -> str:
        """The member's own time zone, for quiet hours and the weekly nudge."""
        try:
            tz = zone(name)
        except CadenceError as exc:
            raise UserError(exc.message, quoted=exc.quoted) from None
        async with self.db.session() as session:
            row = await self._editable(session, guild_id, user_id)
            row.tz = tz.key
            row.updated_at = self.clock.now()
            if row.weekly_behind:
                await self._queue_behind(session, guild_id, user_id, tz.key)
        return tz.key

    async def untold_closed(self, guild_id: int, user_id: int) -> bool:
        """True once, when the member's DMs failed and they have not been told yet."""
        async with self.db.session() as session:
            result = await session.execute(
                update(ReminderPrefs)
                .where(
                    ReminderPrefs.guild_id == guild_id,
                    ReminderPrefs.user_id == user_id,
                    ReminderPrefs.dms_closed_at.is_not(None),
                    ReminderPrefs.dms_closed_told.is_(False),
                )
                .values(dms_closed_told=True)
            )
            return bool(rows_matched(result))

    async def closed_untold(self) -> list[tuple[int, int]]:
        """(guild, member) pairs to tell that their reminders stopped."""
        async with self.db.read() as session:
            rows = await session.execute(
                select(ReminderPrefs.guild_id, ReminderPrefs.user_id).where(
                    ReminderPrefs.dms_closed_at.is_not(None),
                    ReminderPrefs.dms_closed_told.is_(False),
                )
            )
            return [(int(g), int(u)) for g, u in rows]

    def _member_rows(self, guild_id: int, user_id: int) -> list[MemberRows]:
        """What the feature keeps about the member (`MemberData`): their reminder settings,
        which /forget-me deletes (their queued DMs then find nothing)."""
        return [
            MemberRows(
                REMINDER_SETTINGS,
                ReminderPrefs,
                ReminderPrefs.guild_id == guild_id,
                ReminderPrefs.user_id == user_id,
            )
        ]

    async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await count_rows(self.db, self._member_rows(guild_id, user_id))

    async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await forget_rows(self.db, self._member_rows(guild_id, user_id))

    # -- occasions --------------------------------------------------------------------------

    async def on_schedule_change(self, session: AsyncSession, change: ScheduleChange) -> None:
        """A post queues its reminders."""
        if change.kind != ChangeKind.POSTED or not change.posted_sections:
            return
        first = change.posted_sections[0]
        await self.scheduler.enqueue(
            FANOUT_JOB,
            {"kind": ReminderKind.POST, "schedule_id": change.schedule_id, "section_id": first},
            self.clock.now(),
            guild_id=change.guild_id,
            dedupe_key=f"remind:post:{change.schedule_id}:{first}",
            session=session,
        )

    async def on_vote_opened(
        self,
        session: AsyncSession,
        vote_id: int,
        guild_id: int,
        schedule_id: int | None,
        opened_at: datetime,
        closes_at: datetime,
    ) -> None:
        """A vote of a circle queues its "not voted yet" reminders."""
        if schedule_id is None:
            return
        lead = min(VOTE_LEAD, (closes_at - opened_at) / 4)
        await self.scheduler.enqueue(
            FANOUT_JOB,
            {"kind": ReminderKind.VOTE, "vote_id": vote_id, "schedule_id": schedule_id},
            closes_at - lead,
            guild_id=guild_id,
            dedupe_key=f"remind:vote:{vote_id}",
            session=session,
        )

    async def on_meeting_set(self, meeting_id: int) -> None:
        """A meeting was announced or moved: queue its reminders, once per offset chosen."""
        async with self.db.session() as session:
            meeting = await session.get(Meeting, meeting_id)
            if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
                return
            schedule = await session.get_one(Schedule, meeting.schedule_id)
            chosen = await session.scalars(
                select(ReminderPrefs.before_meeting)
                .join(Membership, Membership.user_id == ReminderPrefs.user_id)
                .where(
                    Membership.schedule_id == meeting.schedule_id,
                    ReminderPrefs.guild_id == meeting.guild_id,
                    ReminderPrefs.before_meeting != "",
                )
                .distinct()
            )
            offsets = {m for text in chosen for m in _offsets(text)}
            for minutes in sorted(offsets):
                await self._queue_meeting_fanout(session, meeting, schedule.tz, minutes)

    async def _queue_meeting_fanout(
        self, session: AsyncSession, meeting: Meeting, tz: str, minutes: int
    ) -> None:
        due = moment_before(meeting.starts_at, minutes, ZoneInfo(tz))
        if due <= self.clock.now():
            return
        await self.scheduler.enqueue(
            FANOUT_JOB,
            {
                "kind": ReminderKind.MEETING,
                "meeting_id": meeting.id,
                "schedule_id": meeting.schedule_id,
                "starts_at": meeting.starts_at.isoformat(),
                "minutes": minutes,
            },
            due,
            guild_id=meeting.guild_id,
            dedupe_key=f"remind:meeting:{meeting.id}:{meeting.starts_at.isoformat()}:{minutes}",
            session=session,
        )

    async def _queue_meeting_fanouts_for(
        self, session: AsyncSession, guild_id: int, user_id: int, offsets: Sequence[int]
    ) -> None:
        meetings = await session.execute(
            select(Meeting, Schedule.tz)
            .join(Schedule, Schedule.id == Meeting.schedule_id)
            .join(Membership, Membership.schedule_id == Meeting.schedule_id)
            .where(
                Membership.user_id == user_id,
                Meeting.guild_id == guild_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > self.clock.now(),
            )
        )
        for meeting, tz in meetings.all():
            for minutes in offsets:
                await self._queue_meeting_fanout(session, meeting, tz, minutes)

    async def _queue_behind(
        self, session: AsyncSession, guild_id: int, user_id: int, tz: str | None
    ) -> None:
        # Spread over an hour by member, so a server's nudges do not all fall due at once.
        due = next_behind_time(self.clock.now(), tz) + timedelta(
            seconds=user_id % WEEKLY_SPREAD_SECONDS
        )
        await self.scheduler.enqueue(
            BEHIND_JOB,
            {"guild_id": guild_id, "user_id": user_id},
            due,
            guild_id=guild_id,
            dedupe_key=f"remind:behind:{guild_id}:{user_id}:{due.date().isoformat()}",
            session=session,
        )

    # -- jobs -------------------------------------------------------------------------------

    async def handle_fanout(self, job: JobContext) -> None:
        """Queue one DM per member who asked, spread out, each at most once."""
        kind = ReminderKind(job.payload["kind"])
        schedule_id = int(job.payload["schedule_id"])
        now = self.clock.now()
        async with self.db.session() as session:
            schedule = await session.get(Schedule, schedule_id)
            if schedule is None:
                return
            moment, expires, extra = now, now + POST_VALID, dict(job.payload)
            wanted: ColumnElement[bool] = ReminderPrefs.on_post.is_(True)
            if kind == ReminderKind.MEETING:
                meeting = await session.get(Meeting, int(job.payload["meeting_id"]))
                if (
                    meeting is None
                    or meeting.status != MeetingStatus.SCHEDULED
                    or meeting.starts_at.isoformat() != job.payload["starts_at"]
                ):
                    return  # moved or cancelled since: the new time has its own reminders
                expires = meeting.starts_at
                minutes = int(job.payload["minutes"])
                wanted = (literal(",") + ReminderPrefs.before_meeting + literal(",")).contains(
                    f",{minutes},"
                )
            elif kind == ReminderKind.VOTE:
                vote = await session.get(Vote, int(job.payload["vote_id"]))
                if vote is None or vote.status != VoteStatus.OPEN:
                    return
                expires = vote.closes_at
                wanted = ReminderPrefs.before_vote.is_(True)
            rows = await session.execute(
                select(
                    ReminderPrefs.user_id,
                    ReminderPrefs.tz,
                    ReminderPrefs.quiet_start,
                    ReminderPrefs.quiet_end,
                )
                .join(Membership, Membership.user_id == ReminderPrefs.user_id)
                .where(
                    Membership.schedule_id == schedule_id,
                    ReminderPrefs.guild_id == schedule.guild_id,
                    ReminderPrefs.dms_closed_at.is_(None),
                    wanted,
                )
                .order_by(ReminderPrefs.user_id)
            )
            members = rows.all()
            if kind == ReminderKind.VOTE:
                members = await self._not_voted(session, int(job.payload["vote_id"]), members)
            key = (
                job.payload.get("meeting_id")
                or job.payload.get("vote_id")
                or job.payload.get("section_id")
            )
            at, minutes = job.payload.get("starts_at", ""), job.payload.get("minutes", "")
            occasion = f"remind:{kind}:{key}:{at}:{minutes}"
            # After the DMs already waiting to go in the next hour (not those held for quiet
            # hours further on), at the same rate.
            waiting = await session.scalar(
                select(func.count()).where(
                    Job.status == JobStatus.PENDING,
                    Job.kind == DM_JOB,
                    Job.due_at >= moment,
                    Job.due_at < moment + timedelta(hours=1),
                )
            )
            start = moment + timedelta(seconds=int(waiting or 0) / self.dm_rate)
            dms: list[tuple[dict[str, Any], datetime, str]] = []
            for index, member in enumerate(members):
                spread = timedelta(seconds=index / self.dm_rate)
                due = start + spread
                held = _after_quiet(due, member.tz, member.quiet_start, member.quiet_end)
                if held != due:
                    due = held + spread
                if due >= expires:
                    continue  # the quiet hours last past what it is about
                payload = {
                    **extra,
                    "guild_id": schedule.guild_id,
                    "user_id": int(member.user_id),
                    "expires": expires.isoformat(),
                }
                dms.append((payload, due, f"{occasion}:{member.user_id}"))
            await self.scheduler.enqueue_many(
                DM_JOB, dms, guild_id=schedule.guild_id, session=session
            )

    @staticmethod
    async def _not_voted(session: AsyncSession, vote_id: int, members: Sequence[Any]) -> list[Any]:
        vote = await session.get_one(Vote, vote_id)
        keys = set(await session.scalars(select(Ballot.voter_key).where(Ballot.vote_id == vote_id)))
        return [m for m in members if voter_key(vote, int(m.user_id)) not in keys]

    async def handle_dm(self, job: JobContext) -> None:
        """Send one reminder, unless it is late, no longer wanted, or the DMs are closed."""
        now = self.clock.now()
        if job.late > LATE_GRACE or now >= datetime.fromisoformat(job.payload["expires"]):
            log.info("A reminder (%s) was dropped: its moment has passed", job.payload["kind"])
            return
        guild_id, user_id = int(job.payload["guild_id"]), int(job.payload["user_id"])
        async with self.db.read() as session:
            prefs = await self._row(session, guild_id, user_id)
            if prefs is None or prefs.dms_closed_at is not None:
                return
            message = await self._message(session, job.payload, prefs)
        if message is None:
            return
        await self._send(guild_id, user_id, message)

    async def handle_behind(self, job: JobContext) -> None:
        """The weekly nudge: how many sections behind, if any; then next week's."""
        guild_id, user_id = int(job.payload["guild_id"]), int(job.payload["user_id"])
        async with self.db.session() as session:
            prefs = await self._row(session, guild_id, user_id)
            if prefs is None or not prefs.weekly_behind or prefs.dms_closed_at is not None:
                return
            await self._queue_behind(session, guild_id, user_id, prefs.tz)
            behind = await self._behind(session, guild_id, user_id)
        if behind > 0 and job.late <= LATE_GRACE:
            await self._send(
                guild_id, user_id, ReminderMessage(ReminderKind.BEHIND, guild_id, behind=behind)
            )

    async def _send(self, guild_id: int, user_id: int, message: ReminderMessage) -> None:
        if self.sender is None:
            raise RuntimeError("reminders have no Discord side yet")
        if await self.sender.send(user_id, message):
            return
        log.info("DMs to member %s are closed; their reminders stop", user_id)
        async with self.db.session() as session:
            await session.execute(
                update(ReminderPrefs)
                .where(ReminderPrefs.guild_id == guild_id, ReminderPrefs.user_id == user_id)
                .values(dms_closed_at=self.clock.now(), dms_closed_told=False)
            )

    async def _behind(self, session: AsyncSession, guild_id: int, user_id: int) -> int:
        posted = (
            select(func.count())
            .select_from(SectionPost)
            .join(Membership, Membership.schedule_id == SectionPost.schedule_id)
            .join(Schedule, Schedule.id == SectionPost.schedule_id)
            .where(
                Membership.user_id == user_id,
                Schedule.guild_id == guild_id,
                SectionPost.status == PostStatus.POSTED,
            )
        )
        read = (
            select(func.count())
            .select_from(SectionPost)
            .join(Membership, Membership.schedule_id == SectionPost.schedule_id)
            .join(Schedule, Schedule.id == SectionPost.schedule_id)
            .join(
                Progress,
                (Progress.section_id == SectionPost.section_id) & (Progress.user_id == user_id),
            )
            .where(
                Membership.user_id == user_id,
                Schedule.guild_id == guild_id,
                SectionPost.status == PostStatus.POSTED,
            )
        )
        return int(await session.scalar(posted) or 0) - int(await session.scalar(read) or 0)

    async def _message(
        self, session: AsyncSession, payload: dict[str, Any], prefs: ReminderPrefs
    ) -> ReminderMessage | None:
        kind = ReminderKind(payload["kind"])
        guild_id = int(payload["guild_id"])
        schedule = await session.get(Schedule, int(payload["schedule_id"]))
        if schedule is None:
            return None
        reading = await session.get_one(Reading, schedule.reading_id)
        if kind == ReminderKind.POST:
            if not prefs.on_post:
                return None
            row = (
                await session.execute(
                    select(Section, SectionPost)
                    .join(SectionPost, SectionPost.section_id == Section.id)
                    .where(
                        SectionPost.schedule_id == schedule.id,
                        Section.id == int(payload["section_id"]),
                    )
                )
            ).first()
            if row is None:
                return None
            section, post = row
            channel = post_channel(post, schedule.forum)
            return ReminderMessage(
                ReminderKind.POST,
                guild_id,
                reading.title,
                section.position,
                section.title,
                link=_link(guild_id, channel, post.message_id),
            )
        if kind == ReminderKind.MEETING:
            if int(payload["minutes"]) not in _offsets(prefs.before_meeting):
                return None
            meeting = await session.get(Meeting, int(payload["meeting_id"]))
            if meeting is None or meeting.status != MeetingStatus.SCHEDULED:
                return None
            section = await session.get_one(Section, meeting.section_id)
            return ReminderMessage(
                ReminderKind.MEETING,
                guild_id,
                reading.title,
                meeting.position,
                section.title,
                starts_at=meeting.starts_at,
                event_link=event_url(guild_id, meeting.event_id) if meeting.event_id else None,
            )
        if kind == ReminderKind.VOTE:
            if not prefs.before_vote:
                return None
            vote = await session.get(Vote, int(payload["vote_id"]))
            if vote is None or vote.status != VoteStatus.OPEN:
                return None
            if not await self._not_voted(session, vote.id, [prefs]):
                return None  # voted since the reminder was queued
            return ReminderMessage(
                ReminderKind.VOTE,
                guild_id,
                reading.title,
                question=vote.question,
                starts_at=vote.closes_at,
                link=_link(guild_id, vote.channel_id, vote.message_id),
            )
        return None


def _after_quiet(
    due: datetime, tz_name: str | None, start: time | None, end: time | None
) -> datetime:
    if start is None or end is None:
        return due
    until = quiet_until(due, ZoneInfo(tz_name or DEFAULT_ZONE), start, end)
    return due if until is None else until
