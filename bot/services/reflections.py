"""Reflections: members write what a section made them think, and choose who may read it.

Privacy is kept here, not in the Discord layer:

- a reflection's text leaves this module only for its author (`mine`, `own`, `export`), or
  once it is shared with the circle (`shared_in`: posted now, or revealed by the digest);
- a private reflection is never shared, and facilitators get no more than members do: the
  summary (`summary`) holds counts only, never text.

Every query is scoped to one guild: an id from another guild is "not found".

What the Discord side does with a `Change`: post the reflection in its section's thread when
`post` is set (then `record_post`), and re-render each of the `stale` messages from
`shared_in` (deleting a message that no longer holds any shared reflection).

Hooks other features plug into (see `bot.exts.reflections`): `ForgetHook`, run by
`/forget-me` after this module forgot the member, returns what it deleted by label.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import (
    Digest,
    MemberSettings,
    Membership,
    Progress,
    Prompt,
    Reading,
    Reflection,
    Schedule,
    Section,
    SectionPost,
)
from bot.errors import NotFound, UserError
from bot.scheduling.clock import Clock
from bot.services.members import pick_schedule
from bot.services.readings import ensure_guild

PRIVATE = "private"
AFTER_CLOSE = "after_close"
NOW = "now"
VISIBILITIES = (PRIVATE, AFTER_CLOSE, NOW)
DEFAULT_VISIBILITY = PRIVATE
MAX_TEXT_CHARS = 4000
MAX_AUTHOR_NAME = 100
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=1)

ForgetHook = Callable[[int, int], Awaitable[Mapping[str, int]]]
"""`async hook(guild_id, user_id) -> {"open ballots": 2}`: forget a member, say what went."""


@dataclass(frozen=True)
class PromptChoice:
    id: int
    position: int
    kind: str
    text: str


@dataclass(frozen=True)
class Target:
    """A posted section of a schedule that a member can reflect on."""

    guild_id: int
    schedule_id: int
    section_id: int
    position: int
    section_title: str
    reading_title: str
    thread_id: int | None
    closed: bool
    prompts: tuple[PromptChoice, ...]

    def prompt(self, prompt_id: int | None) -> PromptChoice | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)


@dataclass(frozen=True)
class PostedSection:
    """A posted section, for choosing one by name."""

    schedule_id: int
    position: int
    title: str
    reading_title: str


@dataclass(frozen=True)
class ReflectionView:
    id: int
    guild_id: int
    user_id: int
    author_name: str
    schedule_id: int | None
    section_id: int
    section_position: int
    section_title: str
    reading_title: str
    prompt_id: int | None
    prompt_text: str | None
    text: str
    visibility: str
    thread_id: int | None
    channel_id: int | None
    message_id: int | None
    created_at: datetime
    updated_at: datetime
    revealed_at: datetime | None

    @property
    def shared(self) -> bool:
        """Whether the circle may read it now."""
        return self.visibility == NOW or (
            self.visibility == AFTER_CLOSE and self.revealed_at is not None
        )

    @property
    def edited(self) -> bool:
        return self.updated_at > self.created_at


@dataclass(frozen=True)
class PostedRef:
    """A message in Discord that shows shared reflections."""

    channel_id: int
    message_id: int


@dataclass(frozen=True)
class Change:
    """What a write, edit or delete means for Discord: post it now, refresh these messages."""

    reflection: ReflectionView | None
    post: bool = False
    stale: tuple[PostedRef, ...] = ()


@dataclass(frozen=True)
class SectionCount:
    schedule_id: int
    section_id: int
    position: int
    title: str
    reflections: int
    authors: int
    shared: int
    waiting: int
    private: int


@dataclass(frozen=True)
class PromptCount:
    position: int | None
    text: str
    reflections: int


@dataclass(frozen=True)
class Summary:
    """Counts for facilitators: per section and per prompt. Never any reflection's text."""

    schedule_id: int
    reading_title: str
    sections: tuple[SectionCount, ...]
    prompts: tuple[PromptCount, ...]
    section_position: int | None


@dataclass(frozen=True)
class Forgotten:
    """What `/forget-me` deleted, and what Discord still has to change."""

    reflections: int
    progress: int
    memberships: int
    settings: int
    stale: tuple[PostedRef, ...]
    role_ids: tuple[int, ...]


def clean_text(text: str) -> str:
    """A reflection's text, trimmed; refused when empty or too long."""
    cleaned = text.replace("\r\n", "\n").strip()
    if not cleaned:
        raise UserError("Your reflection is empty: write a few words before saving it.")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise UserError(
            f"A reflection can be at most {MAX_TEXT_CHARS:,} characters "
            f"(this one has {len(cleaned):,}). Shorten it, or split it into two."
        )
    return cleaned


def check_visibility(visibility: str) -> str:
    if visibility not in VISIBILITIES:
        raise UserError("Choose who may read it: only you, the circle after the close, or now.")
    return visibility


def reflection_query() -> Select[tuple[Reflection, int, str, str, int | None]]:
    return (
        select(Reflection, Section.position, Section.title, Reading.title, SectionPost.thread_id)
        .join(Section, Section.id == Reflection.section_id)
        .join(Reading, Reading.id == Section.reading_id)
        .outerjoin(
            SectionPost,
            and_(
                SectionPost.schedule_id == Reflection.schedule_id,
                SectionPost.section_id == Reflection.section_id,
            ),
        )
    )


def reflection_view(
    row: Reflection, position: int, title: str, reading: str, thread_id: int | None
) -> ReflectionView:
    return ReflectionView(
        id=row.id,
        guild_id=row.guild_id,
        user_id=row.user_id,
        author_name=row.author_name,
        schedule_id=row.schedule_id,
        section_id=row.section_id,
        section_position=position,
        section_title=title,
        reading_title=reading,
        prompt_id=row.prompt_id,
        prompt_text=row.prompt_text,
        text=row.text,
        visibility=row.visibility,
        thread_id=thread_id,
        channel_id=row.channel_id,
        message_id=row.message_id,
        created_at=row.created_at,
        updated_at=row.updated_at,
        revealed_at=row.revealed_at,
    )


def _ref(row: Reflection) -> PostedRef | None:
    if row.channel_id is None or row.message_id is None:
        return None
    return PostedRef(row.channel_id, row.message_id)


async def section_closed(session: AsyncSession, schedule_id: int | None, section_id: int) -> bool:
    """Whether the section's digest has been posted (or is being posted)."""
    if schedule_id is None:
        return False
    found = await session.scalar(
        select(Digest.id).where(Digest.schedule_id == schedule_id, Digest.section_id == section_id)
    )
    return found is not None


async def posted_section(
    session: AsyncSession, guild_id: int, schedule_id: int, section_id: int
) -> tuple[SectionPost, Section, Reading]:
    """A section the guild's schedule has posted; anything else is "not found"."""
    row = (
        await session.execute(
            select(SectionPost, Section, Reading)
            .join(Schedule, Schedule.id == SectionPost.schedule_id)
            .join(Section, Section.id == SectionPost.section_id)
            .join(Reading, Reading.id == Section.reading_id)
            .where(
                SectionPost.schedule_id == schedule_id,
                SectionPost.section_id == section_id,
                SectionPost.status == "posted",
                Schedule.guild_id == guild_id,
                Schedule.status != "deleted",
            )
        )
    ).first()
    if row is None:
        raise NotFound("That section has not been posted in this server.")
    return row[0], row[1], row[2]


async def find_section(
    session: AsyncSession,
    guild_id: int,
    *,
    user_id: int | None = None,
    section_id: int | None = None,
    schedule_id: int | None = None,
    position: int | None = None,
    channel_id: int | None = None,
    message_id: int | None = None,
) -> SectionPost:
    """The posted section meant, in this order:

    - `section_id` (a button): the post of that section holding `message_id`/`channel_id`,
      else the latest post of it in the guild;
    - `position` (typed or chosen): that section of `schedule_id`, or of the member's circle;
    - `channel_id` being a section's thread: that thread's (first) section;
    - else the latest section posted by the member's circle (or the guild's only schedule).
    """
    posted = (
        select(SectionPost)
        .join(Schedule, Schedule.id == SectionPost.schedule_id)
        .where(
            Schedule.guild_id == guild_id,
            Schedule.status != "deleted",
            SectionPost.status == "posted",
        )
    )
    if section_id is not None:
        rows = list(
            await session.scalars(
                posted.where(SectionPost.section_id == section_id).order_by(
                    SectionPost.posted_at.desc(), SectionPost.id.desc()
                )
            )
        )
        for row in rows:
            if message_id is not None and row.message_id == message_id:
                return row
            if channel_id is not None and row.thread_id == channel_id:
                return row
        if rows:
            return rows[0]
        raise NotFound("That section has not been posted in this server.")
    if position is None and channel_id is not None:
        in_thread = await session.scalar(
            posted.where(SectionPost.thread_id == channel_id).order_by(SectionPost.position)
        )
        if in_thread is not None:
            return in_thread
    schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id)
    query = posted.where(SectionPost.schedule_id == schedule.id)
    if position is not None:
        found = await session.scalar(query.where(SectionPost.position == position))
        if found is None:
            raise NotFound(f"Section {position} of schedule #{schedule.id} has not been posted.")
        return found
    latest = await session.scalar(query.order_by(SectionPost.position.desc()).limit(1))
    if latest is None:
        raise UserError(f"Schedule #{schedule.id} has not posted a section yet.")
    return latest


class Reflections:
    """Reflection use-cases, bound to the database and the clock."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    # -- choosing what to reflect on --------------------------------------------------------

    async def target(
        self,
        guild_id: int,
        *,
        user_id: int | None = None,
        section_id: int | None = None,
        schedule_id: int | None = None,
        position: int | None = None,
        channel_id: int | None = None,
        message_id: int | None = None,
    ) -> Target:
        """The section to reflect on (see `find_section`) with its prompts."""
        async with self.db.session() as session:
            post = await find_section(
                session,
                guild_id,
                user_id=user_id,
                section_id=section_id,
                schedule_id=schedule_id,
                position=position,
                channel_id=channel_id,
                message_id=message_id,
            )
            return await self._target(session, guild_id, post)

    async def _target(self, session: AsyncSession, guild_id: int, post: SectionPost) -> Target:
        section = await session.get_one(Section, post.section_id)
        reading = await session.get_one(Reading, section.reading_id)
        prompts = await session.scalars(
            select(Prompt)
            .where(Prompt.section_id == section.id, Prompt.hidden.is_(False))
            .order_by(Prompt.position, Prompt.id)
        )
        return Target(
            guild_id=guild_id,
            schedule_id=post.schedule_id,
            section_id=section.id,
            position=section.position,
            section_title=section.title,
            reading_title=reading.title,
            thread_id=post.thread_id,
            closed=await section_closed(session, post.schedule_id, section.id),
            prompts=tuple(PromptChoice(p.id, p.position, p.kind, p.text) for p in prompts),
        )

    async def posted_sections(self, guild_id: int, needle: str = "") -> list[PostedSection]:
        """Sections posted in the guild, newest first, whose title contains `needle`."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(SectionPost.schedule_id, Section.position, Section.title, Reading.title)
                .join(Schedule, Schedule.id == SectionPost.schedule_id)
                .join(Section, Section.id == SectionPost.section_id)
                .join(Reading, Reading.id == Section.reading_id)
                .where(
                    Schedule.guild_id == guild_id,
                    Schedule.status != "deleted",
                    SectionPost.status == "posted",
                )
                .order_by(SectionPost.posted_at.desc(), SectionPost.position.desc())
            )
            found = [PostedSection(*row) for row in rows]
        words = needle.strip().lower()
        return [
            s
            for s in found
            if not words or words in f"{s.position}. {s.title} {s.reading_title}".lower()
        ]

    # -- writing ----------------------------------------------------------------------------

    async def _check_rate(self, session: AsyncSession, guild_id: int, user_id: int) -> None:
        since = self.clock.now() - RATE_WINDOW
        recent = await session.scalar(
            select(func.count())
            .select_from(Reflection)
            .where(
                Reflection.guild_id == guild_id,
                Reflection.user_id == user_id,
                Reflection.created_at > since,
            )
        )
        if int(recent or 0) >= RATE_LIMIT:
            raise UserError(
                f"You can write {RATE_LIMIT} reflections a minute, and you just have. "
                "Take a breath and try again in a minute."
            )

    async def check_rate(self, guild_id: int, user_id: int) -> None:
        """Refuse (UserError) when the member has written too many reflections just now."""
        async with self.db.session() as session:
            await self._check_rate(session, guild_id, user_id)

    async def write(
        self,
        guild_id: int,
        user_id: int,
        *,
        schedule_id: int,
        section_id: int,
        text: str,
        visibility: str,
        prompt_id: int | None = None,
        author_name: str = "",
    ) -> Change:
        """Save a new reflection. `post` says whether to post it in the thread now."""
        cleaned, visibility = clean_text(text), check_visibility(visibility)
        now = self.clock.now()
        async with self.db.session() as session:
            post, _section, _reading = await posted_section(
                session, guild_id, schedule_id, section_id
            )
            prompt_text = await self._prompt_text(session, section_id, prompt_id)
            await self._check_rate(session, guild_id, user_id)
            closed = await section_closed(session, schedule_id, section_id)
            row = Reflection(
                guild_id=guild_id,
                user_id=user_id,
                author_name=author_name[:MAX_AUTHOR_NAME],
                section_id=section_id,
                schedule_id=schedule_id,
                prompt_id=prompt_id,
                prompt_text=prompt_text,
                text=cleaned,
                visibility=visibility,
                created_at=now,
                updated_at=now,
                revealed_at=now if visibility == AFTER_CLOSE and closed else None,
            )
            session.add(row)
            await session.flush()
            view = await self._one(session, guild_id, row.id)
            return Change(view, post=view.shared and post.thread_id is not None)

    async def _prompt_text(
        self, session: AsyncSession, section_id: int, prompt_id: int | None
    ) -> str | None:
        if prompt_id is None:
            return None
        prompt = await session.scalar(
            select(Prompt).where(
                Prompt.id == prompt_id, Prompt.section_id == section_id, Prompt.hidden.is_(False)
            )
        )
        if prompt is None:
            raise NotFound("That prompt is not one of this section's prompts.")
        return prompt.text

    async def record_post(
        self, guild_id: int, reflection_id: int, channel_id: int, message_id: int
    ) -> None:
        """Remember the message a shared reflection was posted as."""
        async with self.db.session() as session:
            row = await session.scalar(
                select(Reflection).where(
                    Reflection.id == reflection_id, Reflection.guild_id == guild_id
                )
            )
            if row is not None:
                row.channel_id, row.message_id = channel_id, message_id

    async def edit(
        self,
        guild_id: int,
        user_id: int,
        reflection_id: int,
        *,
        text: str,
        visibility: str,
        prompt_id: int | None = None,
        author_name: str | None = None,
    ) -> Change:
        """Change one's own reflection: its text, prompt and who may read it."""
        cleaned, visibility = clean_text(text), check_visibility(visibility)
        now = self.clock.now()
        async with self.db.session() as session:
            row = await self._own_row(session, guild_id, user_id, reflection_id)
            if prompt_id != row.prompt_id:
                row.prompt_text = await self._prompt_text(session, row.section_id, prompt_id)
                row.prompt_id = prompt_id
            row.text, row.visibility, row.updated_at = cleaned, visibility, now
            if author_name:
                row.author_name = author_name[:MAX_AUTHOR_NAME]
            closed = await section_closed(session, row.schedule_id, row.section_id)
            if visibility != AFTER_CLOSE:
                row.revealed_at = None
            elif row.revealed_at is None and closed:
                row.revealed_at = now
            old = _ref(row)
            view = await self._one(session, guild_id, row.id)
            if view.shared and old is not None:
                return Change(view, stale=(old,))
            if old is not None:
                row.channel_id = row.message_id = None
                return Change(await self._one(session, guild_id, row.id), stale=(old,))
            return Change(view, post=view.shared and view.thread_id is not None)

    async def delete(self, guild_id: int, user_id: int, reflection_id: int) -> Change:
        """Delete one's own reflection; its posted message, if any, goes stale."""
        async with self.db.session() as session:
            row = await self._own_row(session, guild_id, user_id, reflection_id)
            old = _ref(row)
            await session.delete(row)
            return Change(None, stale=(old,) if old else ())

    # -- reading ----------------------------------------------------------------------------

    async def _own_row(
        self, session: AsyncSession, guild_id: int, user_id: int, reflection_id: int
    ) -> Reflection:
        row = await session.scalar(
            select(Reflection).where(
                Reflection.id == reflection_id,
                Reflection.guild_id == guild_id,
                Reflection.user_id == user_id,
            )
        )
        if row is None:
            raise NotFound(f"You have no reflection #{reflection_id} in this server.")
        return row

    async def _one(
        self, session: AsyncSession, guild_id: int, reflection_id: int
    ) -> ReflectionView:
        await session.flush()
        row = (
            await session.execute(
                reflection_query().where(
                    Reflection.id == reflection_id, Reflection.guild_id == guild_id
                )
            )
        ).one()
        return reflection_view(*row)

    async def own(self, guild_id: int, user_id: int, reflection_id: int) -> ReflectionView:
        """One of the member's own reflections (another's is "not found", whoever asks)."""
        async with self.db.session() as session:
            row = await self._own_row(session, guild_id, user_id, reflection_id)
            return await self._one(session, guild_id, row.id)

    async def for_edit(
        self, guild_id: int, user_id: int, reflection_id: int
    ) -> tuple[ReflectionView, tuple[PromptChoice, ...]]:
        """One's own reflection with the prompts it may answer (its section's)."""
        async with self.db.session() as session:
            row = await self._own_row(session, guild_id, user_id, reflection_id)
            prompts = await session.scalars(
                select(Prompt)
                .where(Prompt.section_id == row.section_id, Prompt.hidden.is_(False))
                .order_by(Prompt.position, Prompt.id)
            )
            choices = tuple(PromptChoice(p.id, p.position, p.kind, p.text) for p in prompts)
            return await self._one(session, guild_id, row.id), choices

    async def mine(self, guild_id: int, user_id: int) -> list[ReflectionView]:
        """The member's reflections in the guild, newest first."""
        async with self.db.session() as session:
            rows = await session.execute(
                reflection_query()
                .where(Reflection.guild_id == guild_id, Reflection.user_id == user_id)
                .order_by(Reflection.created_at.desc(), Reflection.id.desc())
            )
            return [reflection_view(*row) for row in rows]

    async def export(self, guild_id: int, user_id: int) -> list[ReflectionView]:
        """The member's reflections in reading order, for their own keeping."""
        found = await self.mine(guild_id, user_id)
        return sorted(
            found, key=lambda r: (r.reading_title, r.section_position, r.created_at, r.id)
        )

    async def shared_in(
        self, guild_id: int, channel_id: int, message_id: int
    ) -> list[ReflectionView]:
        """The shared reflections a message shows, oldest first. Private ones never."""
        async with self.db.session() as session:
            rows = await session.execute(
                reflection_query()
                .where(
                    Reflection.guild_id == guild_id,
                    Reflection.channel_id == channel_id,
                    Reflection.message_id == message_id,
                )
                .order_by(Reflection.id)
            )
            return [view for view in (reflection_view(*row) for row in rows) if view.shared]

    async def summary(
        self,
        guild_id: int,
        *,
        user_id: int | None = None,
        schedule_id: int | None = None,
        position: int | None = None,
    ) -> Summary:
        """Counts per posted section (or for one section) and per prompt. No text at all."""
        async with self.db.session() as session:
            schedule = await pick_schedule(session, guild_id, schedule_id, user_id=user_id)
            reading = await session.get_one(Reading, schedule.reading_id)
            posted = list(
                await session.execute(
                    select(SectionPost.section_id, Section.position, Section.title)
                    .join(Section, Section.id == SectionPost.section_id)
                    .where(SectionPost.schedule_id == schedule.id, SectionPost.status == "posted")
                    .order_by(Section.position)
                )
            )
            if position is not None:
                posted = [row for row in posted if row[1] == position]
                if not posted:
                    raise NotFound(f"Section {position} of schedule #{schedule.id} isn't posted.")
            section_ids = [row[0] for row in posted]
            rows = list(
                await session.execute(
                    select(
                        Reflection.section_id,
                        Reflection.user_id,
                        Reflection.visibility,
                        Reflection.revealed_at,
                        Reflection.prompt_id,
                    ).where(
                        Reflection.guild_id == guild_id,
                        Reflection.schedule_id == schedule.id,
                        Reflection.section_id.in_(section_ids),
                    )
                )
            )
            counts = []
            for section_id, pos, title in posted:
                mine = [r for r in rows if r[0] == section_id]
                counts.append(
                    SectionCount(
                        schedule_id=schedule.id,
                        section_id=section_id,
                        position=pos,
                        title=title,
                        reflections=len(mine),
                        authors=len({r[1] for r in mine}),
                        shared=sum(
                            1 for r in mine if r[2] == NOW or (r[2] == AFTER_CLOSE and r[3])
                        ),
                        waiting=sum(1 for r in mine if r[2] == AFTER_CLOSE and not r[3]),
                        private=sum(1 for r in mine if r[2] == PRIVATE),
                    )
                )
            per_prompt: dict[int | None, int] = {}
            for row in rows:
                per_prompt[row[4]] = per_prompt.get(row[4], 0) + 1
            prompts = await self._prompt_counts(session, per_prompt)
            return Summary(schedule.id, reading.title, tuple(counts), prompts, position)

    async def _prompt_counts(
        self, session: AsyncSession, per_prompt: dict[int | None, int]
    ) -> tuple[PromptCount, ...]:
        ids = [prompt_id for prompt_id in per_prompt if prompt_id is not None]
        known = {p.id: p for p in await session.scalars(select(Prompt).where(Prompt.id.in_(ids)))}
        counts = [
            PromptCount(known[pid].position, known[pid].text, n)
            for pid, n in per_prompt.items()
            if pid is not None and pid in known
        ]
        counts.sort(key=lambda c: (-c.reflections, c.position or 0))
        if per_prompt.get(None):
            counts.append(PromptCount(None, "No particular prompt", per_prompt[None]))
        return tuple(counts)

    # -- settings ---------------------------------------------------------------------------

    async def default_visibility(self, guild_id: int, user_id: int) -> str:
        async with self.db.session() as session:
            found = await session.get(MemberSettings, (guild_id, user_id))
            return found.default_visibility if found else DEFAULT_VISIBILITY

    async def set_default_visibility(self, guild_id: int, user_id: int, visibility: str) -> str:
        visibility = check_visibility(visibility)
        async with self.db.session() as session:
            found = await session.get(MemberSettings, (guild_id, user_id))
            if found is None:
                await ensure_guild(session, guild_id)
                session.add(
                    MemberSettings(
                        guild_id=guild_id,
                        user_id=user_id,
                        default_visibility=visibility,
                        updated_at=self.clock.now(),
                    )
                )
            else:
                found.default_visibility = visibility
            return visibility

    # -- forgetting -------------------------------------------------------------------------

    async def forget(self, guild_id: int, user_id: int) -> Forgotten:
        """Delete everything kept about the member in this guild (this feature's part, with
        their progress and memberships). Messages showing their shared reflections go stale."""
        async with self.db.session() as session:
            rows = list(
                await session.scalars(
                    select(Reflection).where(
                        Reflection.guild_id == guild_id, Reflection.user_id == user_id
                    )
                )
            )
            stale = {ref for ref in (_ref(row) for row in rows) if ref is not None}
            for row in rows:
                await session.delete(row)
            progress = await session.execute(
                delete(Progress).where(Progress.guild_id == guild_id, Progress.user_id == user_id)
            )
            joined = list(
                await session.execute(
                    select(Membership.id, Schedule.role_id)
                    .join(Schedule, Schedule.id == Membership.schedule_id)
                    .where(Schedule.guild_id == guild_id, Membership.user_id == user_id)
                )
            )
            if joined:
                await session.execute(
                    delete(Membership).where(Membership.id.in_([row[0] for row in joined]))
                )
            settings = await session.execute(
                delete(MemberSettings).where(
                    MemberSettings.guild_id == guild_id, MemberSettings.user_id == user_id
                )
            )
            return Forgotten(
                reflections=len(rows),
                progress=int(progress.rowcount or 0),
                memberships=len(joined),
                settings=int(settings.rowcount or 0),
                stale=tuple(sorted(stale, key=lambda r: r.message_id)),
                role_ids=tuple(sorted({role for _, role in joined if role is not None})),
            )

    async def holdings(self, guild_id: int, user_id: int) -> tuple[int, int, int]:
        """(reflections, sections marked read, memberships) kept about the member here."""
        async with self.db.session() as session:
            reflections = await session.scalar(
                select(func.count())
                .select_from(Reflection)
                .where(Reflection.guild_id == guild_id, Reflection.user_id == user_id)
            )
            progress = await session.scalar(
                select(func.count())
                .select_from(Progress)
                .where(Progress.guild_id == guild_id, Progress.user_id == user_id)
            )
            memberships = await session.scalar(
                select(func.count())
                .select_from(Membership)
                .join(Schedule, Schedule.id == Membership.schedule_id)
                .where(Schedule.guild_id == guild_id, Membership.user_id == user_id)
            )
            return int(reflections or 0), int(progress or 0), int(memberships or 0)
