"""Members of a circle: join, leave, mark sections read, see progress and what to catch up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Executable, Select, and_, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Coalescer, Database, rows_matched
from bot.db.models import Membership, Progress, Schedule, Section, SectionPost
from bot.db.models.schedules import PostStatus
from bot.errors import UserError
from bot.scheduling.clock import Clock
from bot.services.features import Kept
from bot.services.member_rows import MemberRows, count_rows, forget_rows
from bot.services.readings import count_sections, section_count
from bot.services.schedules import guild_schedule, pick_schedule, pick_schedules
from bot.services.section_posts import latest_posted, not_posted, nothing_posted

# What /forget-me deletes of the feature's (`MemberData`).
SECTIONS_READ = Kept("section marked read", "sections marked read")
MEMBERSHIPS = Kept("circle membership", "circle memberships")


@dataclass(frozen=True)
class SectionProgress:
    """A posted section as one member stands with it: where it was posted and whether they
    have marked it read."""

    schedule_id: int
    section_id: int
    position: int
    title: str
    words: int
    channel_id: int | None
    message_id: int | None
    thread_id: int | None
    read: bool


@dataclass(frozen=True)
class JoinResult:
    schedule_id: int
    reading_id: int
    role_id: int | None
    current_thread_id: int | None
    already_member: bool


@dataclass(frozen=True)
class ProgressReport:
    schedule_id: int
    total_sections: int
    sections: tuple[SectionProgress, ...]  # posted so far, in order

    @property
    def behind(self) -> int:
        return sum(1 for s in self.sections if not s.read)

    @property
    def unread(self) -> list[SectionProgress]:
        return [s for s in self.sections if not s.read]


# The statements of Done clicks, /done and /progress, built once: SQLAlchemy keys and compiles
# each once, where a statement built per call cost more Python than the database took to run it.

# The schedule that posted :section, if it is :guild's.
_OWNER = (
    select(SectionPost.schedule_id)
    .join(Schedule, Schedule.id == SectionPost.schedule_id)
    .where(SectionPost.section_id == bindparam("section"), Schedule.guild_id == bindparam("guild"))
    .limit(1)
)


def _posted_query(schedule: ColumnElement[int]) -> Select[*tuple[Any, ...]]:
    """The posted sections of `schedule` in order, with the schedule's id and its reading's
    section count on each row, and who among :users read each: a row for each of them
    (`reader`), or one row with no reader. One statement for both: on SQLite each
    statement is four trips to the database's thread, which a burst's busy event loop
    makes long."""
    return (
        select(
            Section.id.label("section_id"),
            Section.position,
            Section.title,
            Section.word_count.label("words"),
            SectionPost.channel_id,
            SectionPost.message_id,
            SectionPost.thread_id,
            Schedule.id.label("schedule_id"),
            section_count(Schedule.reading_id).label("total"),
            Progress.user_id.label("reader"),
        )
        .select_from(SectionPost)
        .join(Schedule, Schedule.id == SectionPost.schedule_id)
        .join(Section, Section.id == SectionPost.section_id)
        .outerjoin(
            Progress,
            and_(
                Progress.section_id == SectionPost.section_id,
                Progress.user_id.in_(bindparam("users", expanding=True)),
            ),
        )
        .where(SectionPost.schedule_id == schedule, SectionPost.status == PostStatus.POSTED)
        .order_by(SectionPost.position)
    )


_POSTED = _posted_query(bindparam("schedule"))
_POSTED_BY_SECTION = _posted_query(_OWNER.scalar_subquery())


@dataclass(frozen=True)
class _Join:
    guild_id: int
    user_id: int
    schedule_id: int | None


@dataclass(frozen=True)
class _Look:
    guild_id: int
    user_id: int
    schedule_id: int | None


@dataclass(frozen=True)
class _Mark:
    """A Done click (`section_id`: every section of that post) or a /done (the latest
    section, or the one at `position`, of the schedule meant)."""

    guild_id: int
    user_id: int
    section_id: int | None = None
    schedule_id: int | None = None
    position: int | None = None


@dataclass(frozen=True)
class Marked:
    """The answer to a Done click or a /done: the section, whether anything was newly marked
    read, and the member's progress after it."""

    section: SectionProgress
    new: bool
    progress: ProgressReport


# A schedule's posted sections as `_posted` reads them: (schedule id, sections, total).
_Posted = tuple[int, list[SectionProgress], int]


class Members:
    """Members of each guild's circles: joining and leaving, marking sections read, and their
    progress. Clicks that come together are written together (see each method)."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._marks: Coalescer[_Mark, Marked] = Coalescer(self._mark_together)
        self._joins: Coalescer[_Join, JoinResult] = Coalescer(self._join_together)
        self._looks: Coalescer[_Look, ProgressReport] = Coalescer(self._progress_together)
        # Progress rows, executed with a row each: one already there (a click racing another)
        # is left as it is. Built once and run as an executemany: a VALUES clause of a batch's
        # rows would be compiled anew for each batch, on the event loop.
        self._insert_progress: Executable = db.insert(Progress).on_conflict_do_nothing(
            index_elements=[Progress.user_id, Progress.section_id]
        )

    async def join(self, guild_id: int, user_id: int, schedule_id: int | None) -> JoinResult:
        """Join the circle of the schedule meant (see `pick_schedule`); joining twice is fine.

        Joins that arrive together are written together, one transaction a batch."""
        return await self._joins.submit(_Join(guild_id, user_id, schedule_id))

    async def _join_together(self, joins: list[_Join]) -> list[JoinResult | Exception]:
        results: dict[int, JoinResult | Exception] = {}
        groups: defaultdict[tuple[int, int | None], list[int]] = defaultdict(list)
        for index, join in enumerate(joins):
            groups[join.guild_id, join.schedule_id].append(index)
        async with self.db.session() as session:
            for (guild_id, schedule_id), indices in groups.items():
                try:
                    schedule = await pick_schedule(session, guild_id, schedule_id)
                except UserError as exc:
                    results.update((index, exc) for index in indices)
                    continue
                users = {joins[index].user_id for index in indices}
                already = set(
                    await session.scalars(
                        select(Membership.user_id).where(
                            Membership.schedule_id == schedule.id, Membership.user_id.in_(users)
                        )
                    )
                )
                if users - already:
                    # A /join racing this batch finds the rows there and does nothing.
                    now = self.clock.now()
                    await session.execute(
                        self.db.insert(Membership).on_conflict_do_nothing(
                            index_elements=[Membership.schedule_id, Membership.user_id]
                        ),
                        [
                            {"schedule_id": schedule.id, "user_id": user, "joined_at": now}
                            for user in sorted(users - already)
                        ],
                    )
                latest = await latest_posted(session, schedule.id)
                current = latest.thread_id if latest is not None else None
                seen: set[int] = set()
                for index in indices:
                    user = joins[index].user_id
                    results[index] = JoinResult(
                        schedule.id,
                        schedule.reading_id,
                        schedule.role_id,
                        current,
                        user in already or user in seen,
                    )
                    seen.add(user)
        return [results[index] for index in range(len(joins))]

    async def leave(self, guild_id: int, user_id: int, schedule_id: int | None) -> JoinResult:
        async with self.db.session() as session:
            schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id)
            result = await session.execute(
                delete(Membership).where(
                    Membership.schedule_id == schedule.id, Membership.user_id == user_id
                )
            )
            if not rows_matched(result):
                raise UserError(f"You are not in schedule #{schedule.id}'s circle.")
            return JoinResult(schedule.id, schedule.reading_id, schedule.role_id, None, True)

    async def set_role(self, guild_id: int, schedule_id: int, role_id: int) -> None:
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            schedule.role_id = role_id

    async def circle_roles(self, guild_id: int, user_id: int) -> tuple[int, ...]:
        """The roles of the guild's circles the member is in, for /forget-me to take back
        before `forget_member` deletes the memberships."""
        async with self.db.read() as session:
            roles = await session.scalars(
                select(Schedule.role_id)
                .join(Membership, Membership.schedule_id == Schedule.id)
                .where(
                    Schedule.guild_id == guild_id,
                    Membership.user_id == user_id,
                    Schedule.role_id.is_not(None),
                )
            )
            return tuple(sorted({role for role in roles if role is not None}))

    def _member_rows(self, guild_id: int, user_id: int) -> list[MemberRows]:
        """What the feature keeps about the member in the guild (`MemberData`): the sections
        they marked read and their memberships of its circles, deleted by /forget-me."""
        circles = select(Schedule.id).where(Schedule.guild_id == guild_id)
        return [
            MemberRows(
                SECTIONS_READ, Progress, Progress.guild_id == guild_id, Progress.user_id == user_id
            ),
            MemberRows(
                MEMBERSHIPS,
                Membership,
                Membership.user_id == user_id,
                Membership.schedule_id.in_(circles),
            ),
        ]

    async def held_about_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await count_rows(self.db, self._member_rows(guild_id, user_id))

    async def forget_member(self, guild_id: int, user_id: int) -> dict[Kept, int]:
        return await forget_rows(self.db, self._member_rows(guild_id, user_id))

    async def _posted(
        self, session: AsyncSession, query: Select[*tuple[Any, ...]], params: dict[str, Any]
    ) -> tuple[_Posted, set[tuple[int, int]]] | None:
        """(schedule id, its posted sections, how many sections its reading has), and
        (member, section) for each of them `params["users"]` read, by `_POSTED` or
        `_POSTED_BY_SECTION`: it runs on every Done click. None when nothing is posted. The
        sections are not `read`: the answer sets that for each member."""
        rows = (await session.execute(query, params)).all()
        if not rows:
            return None
        posted: dict[int, SectionProgress] = {}
        read: set[tuple[int, int]] = set()
        for row in rows:
            if row.section_id not in posted:
                posted[row.section_id] = SectionProgress(
                    row.schedule_id,
                    row.section_id,
                    row.position,
                    row.title,
                    row.words,
                    row.channel_id,
                    row.message_id,
                    row.thread_id,
                    read=False,
                )
            if row.reader is not None:
                read.add((row.reader, row.section_id))
        return (rows[0].schedule_id, list(posted.values()), int(rows[0].total or 0)), read

    async def mark_read(
        self,
        guild_id: int,
        user_id: int,
        *,
        schedule_id: int | None = None,
        position: int | None = None,
        section_id: int | None = None,
    ) -> Marked:
        """Mark a posted section read (default: the latest; by `section_id`, as the Done button
        under a post does, every section of that post). Returns the section, whether anything
        was newly marked, and the member's progress after it.

        Marks that come while others are being written (a burst of Done clicks under a new
        post) are written together, in one transaction."""
        return await self._marks.submit(_Mark(guild_id, user_id, section_id, schedule_id, position))

    async def _mark_together(self, marks: list[_Mark]) -> list[Marked | Exception]:
        async with self.db.session() as session:
            posts, read = await self._posts_marked(session, marks)
            now = self.clock.now()
            new_rows: list[dict[str, object]] = []
            results: list[Marked | Exception] = []
            for mark in marks:
                entry = posts[_key(mark)]
                if isinstance(entry, Exception):
                    results.append(entry)
                    continue
                try:
                    result, unread = _marking(mark, entry, read)
                except UserError as exc:
                    results.append(exc)
                    continue
                results.append(result)
                for section_id in unread:
                    read.add((mark.user_id, section_id))
                    new_rows.append(
                        {
                            "guild_id": mark.guild_id,
                            "user_id": mark.user_id,
                            "section_id": section_id,
                            "done_at": now,
                        }
                    )
            if new_rows:
                await session.execute(self._insert_progress, new_rows)
            return results

    async def _posts_marked(
        self, session: AsyncSession, marks: list[_Mark]
    ) -> tuple[dict[tuple[object, ...], _Posted | Exception], set[tuple[int, int]]]:
        """By `_key` of each mark: the schedule's posted sections (as `_posted`), or the
        error to answer the mark with; and (member, section) for each of those sections
        the marks' members read."""
        posts: dict[tuple[object, ...], _Posted | Exception] = {}
        read: set[tuple[int, int]] = set()
        users = {m.user_id for m in marks}
        by_schedule = [m for m in marks if m.section_id is None]
        chosen = await pick_schedules(
            session, [(m.guild_id, m.user_id, m.schedule_id) for m in by_schedule]
        )
        schedules: dict[int, _Posted | None] = {}
        for mark, schedule in zip(by_schedule, chosen, strict=True):
            key = _key(mark)
            if isinstance(schedule, Exception):
                posts[key] = schedule
                continue
            if schedule.id not in schedules:
                where = {"schedule": schedule.id, "users": users}
                found = await self._posted(session, _POSTED, where)
                schedules[schedule.id] = None if found is None else found[0]
                if found is not None:
                    read |= found[1]
            posts[key] = schedules[schedule.id] or nothing_posted()
        for guild_id, section_id in {
            (m.guild_id, m.section_id) for m in marks if m.section_id is not None
        }:
            where = {"guild": guild_id, "section": section_id}
            found = await self._posted(session, _POSTED_BY_SECTION, {**where, "users": users})
            key = ("section", guild_id, section_id)
            if found is not None:
                posts[key], readers = found
                read |= readers
            elif await session.scalar(_OWNER, where) is None:
                posts[key] = not_posted()
            else:
                posts[key] = nothing_posted()
        return posts, read

    async def progress(
        self, guild_id: int, user_id: int, schedule_id: int | None = None
    ) -> ProgressReport:
        """The member's progress in the schedule meant (see `pick_schedule`). Requests that
        arrive together are read together, one session a batch."""
        return await self._looks.submit(_Look(guild_id, user_id, schedule_id))

    async def _progress_together(self, looks: list[_Look]) -> list[ProgressReport | Exception]:
        async with self.db.read() as session:
            chosen = await pick_schedules(
                session, [(look.guild_id, look.user_id, look.schedule_id) for look in looks]
            )
            users = {look.user_id for look in looks}
            posted: dict[int, tuple[list[SectionProgress], int]] = {}
            read: set[tuple[int, int]] = set()
            for schedule in chosen:
                if isinstance(schedule, Exception) or schedule.id in posted:
                    continue
                where = {"schedule": schedule.id, "users": users}
                if (found := await self._posted(session, _POSTED, where)) is not None:
                    (_, sections, total), readers = found
                    posted[schedule.id] = (sections, total)
                    read |= readers
                else:
                    posted[schedule.id] = ([], await count_sections(session, schedule.reading_id))
            results: list[ProgressReport | Exception] = []
            for look, schedule in zip(looks, chosen, strict=True):
                if isinstance(schedule, Exception):
                    results.append(schedule)
                    continue
                sections, total = posted[schedule.id]
                mine = tuple(
                    replace(s, read=(look.user_id, s.section_id) in read) for s in sections
                )
                results.append(ProgressReport(schedule.id, total, mine))
            return results


def _key(mark: _Mark) -> tuple[object, ...]:
    """Marks with the same key read the same posted sections."""
    if mark.section_id is not None:
        return ("section", mark.guild_id, mark.section_id)
    return ("schedule", mark.guild_id, mark.user_id, mark.schedule_id)


def _marking(mark: _Mark, entry: _Posted, read: set[tuple[int, int]]) -> tuple[Marked, list[int]]:
    """The answer to a mark, given the sections posted and who read what, and the sections
    it newly marks read, in order. The rules of Done clicks and /done, in one place. `read`
    is the batch's, with the marks before this one: the same member twice in one batch is
    told the truth the second time."""
    schedule_id, posted, total = entry
    mine = [replace(s, read=(mark.user_id, s.section_id) in read) for s in posted]
    if mark.section_id is not None:
        found = next((s for s in mine if s.section_id == mark.section_id), None)
        if found is None:
            raise UserError("That section is still being posted; try again in a moment.")
        batch = [s for s in mine if s.message_id == found.message_id]
        chosen = batch[-1]
    elif mark.position is not None:
        batch = [s for s in mine if s.position == mark.position][:1]
        if not batch:
            raise UserError(
                f"Section {mark.position} has not been posted yet; "
                f"sections 1–{mine[-1].position} have."
            )
        chosen = batch[0]
    else:
        chosen, batch = mine[-1], mine[-1:]
    unread = sorted(s.section_id for s in batch if not s.read)
    marked = set(unread)
    sections = tuple(replace(s, read=True) if s.section_id in marked else s for s in mine)
    return Marked(chosen, bool(unread), ProgressReport(schedule_id, total, sections)), unread
