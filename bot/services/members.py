"""Members of a circle: join, leave, mark sections read, see progress and what to catch up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Executable, Select, bindparam, delete, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db import Database
from bot.db.batching import Coalescer
from bot.db.models import Membership, Progress, Schedule, Section, SectionPost
from bot.db.models.schedules import PostStatus, ScheduleStatus
from bot.errors import NotFound, UserError
from bot.scheduling.clock import Clock
from bot.services.schedules import guild_schedule


@dataclass(frozen=True)
class PostedSection:
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
    sections: tuple[PostedSection, ...]  # posted so far, in order

    @property
    def behind(self) -> int:
        return sum(1 for s in self.sections if not s.read)

    @property
    def unread(self) -> list[PostedSection]:
        return [s for s in self.sections if not s.read]


# The statements of Done clicks, /done and /progress, built once: SQLAlchemy keys and compiles
# each once, where a statement built per call cost more Python than the database took to run it.
_LIVE_SCHEDULES = (
    select(Schedule)
    .where(Schedule.guild_id == bindparam("guild"), Schedule.status != ScheduleStatus.DELETED)
    .order_by(Schedule.id)
)
_CIRCLES_OF = select(Membership.schedule_id).where(Membership.user_id == bindparam("user"))
_CIRCLES_OF_MEMBERS = select(Membership.user_id, Membership.schedule_id).where(
    Membership.user_id.in_(bindparam("users", expanding=True))
)
_READ_MARKS = select(Progress.user_id, Progress.section_id).where(
    Progress.user_id.in_(bindparam("users", expanding=True)),
    Progress.section_id.in_(bindparam("sections", expanding=True)),
)
# The schedule that posted :section, if it is :guild's.
_OWNER = (
    select(SectionPost.schedule_id)
    .join(Schedule, Schedule.id == SectionPost.schedule_id)
    .where(SectionPost.section_id == bindparam("section"), Schedule.guild_id == bindparam("guild"))
    .limit(1)
)


def _posted_query(schedule: ColumnElement[int], *, read_by_user: bool) -> Select[Any]:
    """The posted sections of `schedule` in order, with the schedule's id and its reading's
    section count on each row, and (`read_by_user`) whether :user marked each read."""
    other = aliased(Section)
    total = (
        select(func.count())
        .select_from(other)
        .where(other.reading_id == Schedule.reading_id)
        .scalar_subquery()
    )
    read = Progress.id if read_by_user else literal(None)
    query = (
        select(
            Section.id,
            Section.position,
            Section.title,
            Section.word_count,
            SectionPost.channel_id,
            SectionPost.message_id,
            SectionPost.thread_id,
            read,
            Schedule.id,
            total,
        )
        .select_from(SectionPost)
        .join(Schedule, Schedule.id == SectionPost.schedule_id)
        .join(Section, Section.id == SectionPost.section_id)
        .where(SectionPost.schedule_id == schedule, SectionPost.status == PostStatus.POSTED)
        .order_by(SectionPost.position)
    )
    if read_by_user:
        query = query.outerjoin(
            Progress,
            (Progress.section_id == Section.id) & (Progress.user_id == bindparam("user")),
        )
    return query


_POSTED = _posted_query(bindparam("schedule"), read_by_user=False)
_POSTED_READ_BY = _posted_query(bindparam("schedule"), read_by_user=True)
_POSTED_BY_SECTION = _posted_query(_OWNER.scalar_subquery(), read_by_user=False)
_POSTED_BY_SECTION_READ_BY = _posted_query(_OWNER.scalar_subquery(), read_by_user=True)


async def pick_schedule(
    session: AsyncSession, guild_id: int, schedule_id: int | None, *, user_id: int | None = None
) -> Schedule:
    """The schedule meant: the one given, the member's only circle, or the guild's only one."""
    if schedule_id is not None:
        return await guild_schedule(session, guild_id, schedule_id)
    live = list(await session.scalars(_LIVE_SCHEDULES, {"guild": guild_id}))
    circles = None
    if user_id is not None and len(live) > 1:
        circles = set(await session.scalars(_CIRCLES_OF, {"user": user_id}))
    return _choose(live, circles)


def _choose(live: list[Schedule], circles: set[int] | None) -> Schedule:
    """Of a guild's live schedules, the member's only circle (`circles`: the schedules they
    joined, when asked), or else the only one."""
    if circles is not None and len(live) > 1:
        joined = [s for s in live if s.id in circles]
        if len(joined) == 1:
            return joined[0]
    if not live:
        raise NotFound("This server has no reading schedule yet.")
    if len(live) > 1:
        numbers = ", ".join(f"#{s.id}" for s in live)
        raise UserError(f"This server has several schedules ({numbers}): please choose one.")
    return live[0]


async def pick_schedules(
    session: AsyncSession, wanted: list[tuple[int, int, int | None]]
) -> list[Schedule | UserError]:
    """`pick_schedule` for each (guild, member, schedule or None), with one query a guild
    and one for the circles of the members whose guild has several schedules."""
    given: dict[tuple[int, int], Schedule | UserError] = {}
    live: dict[int, list[Schedule]] = {}
    for guild_id, _, schedule_id in wanted:
        if schedule_id is not None:
            if (guild_id, schedule_id) not in given:
                try:
                    given[guild_id, schedule_id] = await guild_schedule(
                        session, guild_id, schedule_id
                    )
                except UserError as exc:
                    given[guild_id, schedule_id] = exc
        elif guild_id not in live:
            live[guild_id] = list(await session.scalars(_LIVE_SCHEDULES, {"guild": guild_id}))
    asking = {
        user_id
        for guild_id, user_id, schedule_id in wanted
        if schedule_id is None and len(live[guild_id]) > 1
    }
    circles: defaultdict[int, set[int]] = defaultdict(set)
    if asking:
        for user_id, schedule_id in await session.execute(_CIRCLES_OF_MEMBERS, {"users": asking}):
            circles[user_id].add(schedule_id)
    chosen: list[Schedule | UserError] = []
    for guild_id, user_id, schedule_id in wanted:
        if schedule_id is not None:
            chosen.append(given[guild_id, schedule_id])
            continue
        try:
            chosen.append(_choose(live[guild_id], circles[user_id] if user_id in asking else None))
        except UserError as exc:
            chosen.append(exc)
    return chosen


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
class _Click:
    guild_id: int
    user_id: int
    section_id: int


class Members:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self._clicks: Coalescer[_Click, tuple[PostedSection, bool, ProgressReport]] = Coalescer(
            self._mark_clicks
        )
        self._joins: Coalescer[_Join, JoinResult] = Coalescer(self._join_together)
        self._looks: Coalescer[_Look, ProgressReport] = Coalescer(self._progress_together)

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
                    insert = sqlite.insert if self.db.is_sqlite else postgresql.insert
                    now = self.clock.now()
                    await session.execute(
                        insert(Membership).on_conflict_do_nothing(
                            index_elements=[Membership.schedule_id, Membership.user_id]
                        ),
                        [
                            {"schedule_id": schedule.id, "user_id": user, "joined_at": now}
                            for user in sorted(users - already)
                        ],
                    )
                current = await session.scalar(
                    select(SectionPost.thread_id)
                    .where(
                        SectionPost.schedule_id == schedule.id,
                        SectionPost.status == PostStatus.POSTED,
                    )
                    .order_by(SectionPost.position.desc())
                    .limit(1)
                )
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
            if not result.rowcount:
                raise UserError(f"You are not in schedule #{schedule.id}'s circle.")
            return JoinResult(schedule.id, schedule.reading_id, schedule.role_id, None, True)

    async def set_role(self, guild_id: int, schedule_id: int, role_id: int) -> None:
        async with self.db.session() as session:
            schedule = await guild_schedule(session, guild_id, schedule_id)
            schedule.role_id = role_id

    async def _posted(
        self, session: AsyncSession, query: Select[Any], params: dict[str, int]
    ) -> tuple[int | None, list[PostedSection], int]:
        """(schedule id, its posted sections each with whether the member read it, how many
        sections its reading has), by one of the `_POSTED_*` queries: it runs on every Done
        click. With nothing posted the id is None and the total 0."""
        rows = (await session.execute(query, params)).all()
        if not rows:
            return None, [], 0
        schedule_id, sections = rows[0][8], int(rows[0][9] or 0)
        posted = [PostedSection(schedule_id, *row[:7], read=row[7] is not None) for row in rows]
        return schedule_id, posted, sections

    async def click_done(
        self, guild_id: int, user_id: int, section_id: int
    ) -> tuple[PostedSection, bool, ProgressReport]:
        """The Done button under a post: `mark_done_with_progress` by section. Clicks that
        come while others are being written are written together, in one transaction."""
        return await self._clicks.submit(_Click(guild_id, user_id, section_id))

    async def _mark_clicks(
        self, clicks: list[_Click]
    ) -> list[tuple[PostedSection, bool, ProgressReport] | Exception]:
        async with self.db.session() as session:
            posts = await self._posts_clicked(session, clicks)
            section_ids = {
                s.section_id
                for entry in posts.values()
                if isinstance(entry, tuple)
                for s in entry[1]
            }
            read = await self._read_marks(session, {c.user_id for c in clicks}, section_ids)
            now = self.clock.now()
            new_rows: list[dict[str, object]] = []
            results: list[tuple[PostedSection, bool, ProgressReport] | Exception] = []
            for click in clicks:
                entry = posts[click.guild_id, click.section_id]
                if isinstance(entry, Exception):
                    results.append(entry)
                    continue
                result, unread = _click_result(click, entry, read)
                results.append(result)
                for section_id in unread:
                    read.add((click.user_id, section_id))
                    new_rows.append(
                        {
                            "guild_id": click.guild_id,
                            "user_id": click.user_id,
                            "section_id": section_id,
                            "done_at": now,
                        }
                    )
            if new_rows:
                await session.execute(self._insert_progress(new_rows))
            return results

    async def _posts_clicked(
        self, session: AsyncSession, clicks: list[_Click]
    ) -> dict[tuple[int, int], tuple[int, list[PostedSection], int] | Exception]:
        """By (guild, section) clicked: the schedule's posted sections (as `_posted`), or the
        error to answer the click with."""
        posts: dict[tuple[int, int], tuple[int, list[PostedSection], int] | Exception] = {}
        for guild_id, section_id in {(c.guild_id, c.section_id) for c in clicks}:
            where = {"guild": guild_id, "section": section_id}
            found_id, posted, total = await self._posted(session, _POSTED_BY_SECTION, where)
            if found_id is not None:
                posts[guild_id, section_id] = (found_id, posted, total)
            elif await session.scalar(_OWNER, where) is None:
                posts[guild_id, section_id] = NotFound(
                    "That section has not been posted in this server."
                )
            else:
                posts[guild_id, section_id] = UserError(
                    "No section of this schedule has been posted yet."
                )
        return posts

    def _insert_progress(self, rows: list[dict[str, object]]) -> Executable:
        """Progress rows; one already there (a click racing another) is left as it is."""
        insert = sqlite.insert if self.db.is_sqlite else postgresql.insert
        return (
            insert(Progress)
            .values(rows)
            .on_conflict_do_nothing(index_elements=[Progress.user_id, Progress.section_id])
        )

    async def _total(self, session: AsyncSession, schedule: Schedule) -> int:
        total = await session.scalar(
            select(func.count())
            .select_from(Section)
            .where(Section.reading_id == schedule.reading_id)
        )
        return int(total or 0)

    async def mark_done_with_progress(
        self,
        guild_id: int,
        user_id: int,
        *,
        schedule_id: int | None = None,
        position: int | None = None,
        section_id: int | None = None,
    ) -> tuple[PostedSection, bool, ProgressReport]:
        """Mark a posted section read (default: the latest; by `section_id`, every section of
        that post). Returns the section, whether anything was newly marked, and the member's
        progress after it, in one transaction."""
        async with self.db.session() as session:
            if section_id is not None:
                where = {"guild": guild_id, "section": section_id}
                found_id, posted, total = await self._posted(
                    session, _POSTED_BY_SECTION_READ_BY, {**where, "user": user_id}
                )
                if found_id is None and await session.scalar(_OWNER, where) is None:
                    raise NotFound("That section has not been posted in this server.")
            else:
                schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id)
                found_id, posted, total = await self._posted(
                    session, _POSTED_READ_BY, {"schedule": schedule.id, "user": user_id}
                )
            if not posted:
                raise UserError("No section of this schedule has been posted yet.")
            if section_id is not None:
                found_post = next((s for s in posted if s.section_id == section_id), None)
                if found_post is None:
                    raise UserError("That section is still being posted; try again in a moment.")
                batch = [s for s in posted if s.message_id == found_post.message_id]
                chosen = batch[-1]
            elif position is not None:
                found = [s for s in posted if s.position == position]
                if not found:
                    raise UserError(
                        f"Section {position} has not been posted yet; "
                        f"sections 1–{posted[-1].position} have."
                    )
                chosen, batch = found[0], found[:1]
            else:
                chosen, batch = posted[-1], posted[-1:]
            marked = await self._mark(session, guild_id, user_id, batch)
            sections = tuple(replace(s, read=True) if s.section_id in marked else s for s in posted)
            return chosen, bool(marked), ProgressReport(chosen.schedule_id, total, sections)

    async def _mark(
        self, session: AsyncSession, guild_id: int, user_id: int, sections: list[PostedSection]
    ) -> set[int]:
        """Add progress rows for the unread ones; returns their section ids. A second click
        racing the first (a double click) finds the row there and adds nothing."""
        unread = [s.section_id for s in sections if not s.read]
        if unread:
            now = self.clock.now()
            await session.execute(
                self._insert_progress(
                    [
                        {"guild_id": guild_id, "user_id": user_id, "section_id": s, "done_at": now}
                        for s in unread
                    ]
                )
            )
        return set(unread)

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
            posted: dict[int, tuple[list[PostedSection], int]] = {}
            for schedule in chosen:
                if isinstance(schedule, Exception) or schedule.id in posted:
                    continue
                _, sections, total = await self._posted(session, _POSTED, {"schedule": schedule.id})
                if not sections:
                    total = await self._total(session, schedule)
                posted[schedule.id] = (sections, total)
            section_ids = {s.section_id for sections, _ in posted.values() for s in sections}
            read = await self._read_marks(session, {look.user_id for look in looks}, section_ids)
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

    @staticmethod
    async def _read_marks(
        session: AsyncSession, users: set[int], section_ids: set[int]
    ) -> set[tuple[int, int]]:
        """(member, section) for each of these sections these members marked read."""
        if not users or not section_ids:
            return set()
        rows = await session.execute(_READ_MARKS, {"users": users, "sections": section_ids})
        return {(user_id, section_id) for user_id, section_id in rows}


def _click_result(
    click: _Click, entry: tuple[int, list[PostedSection], int], read: set[tuple[int, int]]
) -> tuple[tuple[PostedSection, bool, ProgressReport] | Exception, list[int]]:
    """A Done click's answer, given the sections posted and who read what, and the sections
    it newly marks read (every unread section of the clicked post), in order."""
    schedule_id, posted, total = entry
    mine = [replace(s, read=(click.user_id, s.section_id) in read) for s in posted]
    found = next((s for s in mine if s.section_id == click.section_id), None)
    if found is None:
        return UserError("That section is still being posted; try again in a moment."), []
    batch = [s for s in mine if s.message_id == found.message_id]
    unread = sorted(s.section_id for s in batch if not s.read)
    marked = set(unread)
    sections = tuple(replace(s, read=True) if s.section_id in marked else s for s in mine)
    return (batch[-1], bool(unread), ProgressReport(schedule_id, total, sections)), unread
