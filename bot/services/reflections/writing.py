"""Writing, editing and deleting one's own reflections, within the limits on length and rate."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Coalescer, Database
from bot.db.models import Prompt, Reflection
from bot.db.models.reflections import Visibility
from bot.errors import NotFound, UserError
from bot.reading.text import has_visible_text
from bot.scheduler import Scheduler
from bot.scheduling.clock import Clock
from bot.services.reflections._common import check_visibility
from bot.services.reflections.info import (
    PostedRef,
    ReflectionInfo,
    one_reflection,
    own_row,
    posted_ref,
    reflection_info,
)
from bot.services.reflections.sections import posted_section, section_closed
from bot.services.reflections.settling import queue_settle

MAX_TEXT_CHARS = 4000
MAX_AUTHOR_NAME = 100
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Change:
    """What a write, edit or delete means for Discord: post it now, refresh these messages."""

    reflection: ReflectionInfo | None
    post: bool = False
    stale: tuple[PostedRef, ...] = ()
    # Nothing was changed: the reflection's own message may be in Discord with its id not
    # recorded yet. Settle it (find it), then try again.
    unsettled: bool = False


@dataclass(frozen=True)
class _Write:
    guild_id: int
    user_id: int
    schedule_id: int
    section_id: int
    text: str
    visibility: Visibility
    prompt_id: int | None
    author_name: str


@dataclass(frozen=True)
class _Section:
    """What a new reflection's info shows of its posted section."""

    position: int
    title: str
    reading: str
    thread_id: int | None
    closed: bool


# What tells one new reflection from another in a batch (the times are the batch's own).
_MATCHED = (
    "guild_id",
    "user_id",
    "author_name",
    "section_id",
    "schedule_id",
    "prompt_id",
    "prompt_text",
    "text",
    "visibility",
)


async def _insert_all(session: AsyncSession, rows: list[dict[str, Any]]) -> list[Reflection]:
    """Insert reflections in one statement; the rows come back in the order given.

    Asking the database to keep the order makes SQLite insert one row a statement (it has
    no way to tie new ids to parameter sets), so the rows come back unordered and are
    matched to the values given: rows with the same values are interchangeable.
    """
    if not rows:
        return []
    inserted = await session.scalars(insert(Reflection).returning(Reflection), rows)
    by_values: defaultdict[tuple[Any, ...], list[Reflection]] = defaultdict(list)
    for row in inserted:
        by_values[tuple(getattr(row, column) for column in _MATCHED)].append(row)
    return [by_values[tuple(values[column] for column in _MATCHED)].pop() for values in rows]


def _within_rate(recent: Counter[tuple[int, int]], who: tuple[int, int]) -> None:
    """Refuse (UserError) when the member (guild, user) has written `RATE_LIMIT` reflections
    in the last `RATE_WINDOW`, as `_recent_counts` counted them."""
    if recent[who] >= RATE_LIMIT:
        raise UserError(
            f"You can write {RATE_LIMIT} reflections a minute, and you just have. "
            "Take a breath and try again in a minute."
        )


async def check_rate(session: AsyncSession, guild_id: int, user_id: int, now: datetime) -> None:
    """Refuse (UserError) when the member has written too many reflections just now: the
    rule of a batch of writes, for one member."""
    who = (guild_id, user_id)
    _within_rate(await _recent_counts(session, [who], now), who)


def _prompt_of(
    prompts: dict[tuple[int, int], str], section_id: int, prompt_id: int | None
) -> str | None:
    """The text of the prompt answered (None for none), from what `_prompts_of` found;
    NotFound when it is not one of the section's visible prompts."""
    if prompt_id is None:
        return None
    text = prompts.get((section_id, prompt_id))
    if text is None:
        raise NotFound("That prompt is not one of this section's prompts.")
    return text


def clean_text(text: str) -> str:
    """A reflection's text, trimmed; refused when empty or too long."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not has_visible_text(cleaned):
        raise UserError("Your reflection is empty: write a few words before saving it.")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise UserError(
            f"A reflection can be at most {MAX_TEXT_CHARS:,} characters "
            f"(this one has {len(cleaned):,}). Shorten it, or split it into two."
        )
    return cleaned


class Writing:
    """Saving, editing and deleting a member's reflections; queueing the job that settles
    the message of one shared now."""

    def __init__(self, db: Database, *, scheduler: Scheduler, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.scheduler = scheduler
        # Reflections submitted while a batch is being saved go in the next batch, together.
        self._writes = Coalescer(self._write_together)

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
        """Save a new reflection. `post` says whether to post it in the thread now.

        Reflections submitted while others are being saved are saved together, one
        transaction a batch (`bot.db.engine.Coalescer`); each is still checked on its own.
        """
        cleaned, visibility = clean_text(text), check_visibility(visibility)
        write = _Write(
            guild_id,
            user_id,
            schedule_id,
            section_id,
            cleaned,
            visibility,
            prompt_id,
            author_name[:MAX_AUTHOR_NAME],
        )
        return await self._writes.submit(write)

    async def _write_together(self, writes: list[_Write]) -> list[Change | Exception]:
        now = self.clock.now()
        # None marks a reflection saved whose info waits for the row's id.
        results: list[Change | Exception | None] = []
        async with self.db.session() as session:
            sections = await _sections_of(session, writes)
            prompts = await _prompts_of(session, [(w.section_id, w.prompt_id) for w in writes])
            recent = await _recent_counts(session, [(w.guild_id, w.user_id) for w in writes], now)
            pending: list[tuple[int, dict[str, Any], _Section]] = []
            for write in writes:
                section = sections[write.guild_id, write.schedule_id, write.section_id]
                try:
                    if isinstance(section, Exception):
                        raise section
                    prompt_text = _prompt_of(prompts, write.section_id, write.prompt_id)
                    who = (write.guild_id, write.user_id)
                    _within_rate(recent, who)
                except UserError as exc:
                    results.append(exc)
                    continue
                recent[who] += 1
                revealed = write.visibility == Visibility.AFTER_CLOSE and section.closed
                posted_now = (
                    write.visibility == Visibility.NOW or revealed
                ) and section.thread_id is not None
                values = {
                    "guild_id": write.guild_id,
                    "user_id": write.user_id,
                    "author_name": write.author_name,
                    "section_id": write.section_id,
                    "schedule_id": write.schedule_id,
                    "prompt_id": write.prompt_id,
                    "prompt_text": prompt_text,
                    "text": write.text,
                    "visibility": write.visibility,
                    "created_at": now,
                    "updated_at": now,
                    "revealed_at": now if revealed else None,
                    "post_started_at": now if posted_now else None,
                }
                pending.append((len(results), values, section))
                results.append(None)
            rows = await _insert_all(session, [values for _, values, _ in pending])
            posting: defaultdict[int, list[int]] = defaultdict(list)
            for row in rows:
                if row.post_started_at is not None:
                    posting[row.guild_id].append(row.id)
            for guild_id, ids in posting.items():
                await queue_settle(self.scheduler, session, guild_id, ids, now)
        for (index, _, section), row in zip(pending, rows, strict=True):
            reflection = reflection_info(
                row,
                position=section.position,
                section_title=section.title,
                reading_title=section.reading,
                thread_id=section.thread_id,
            )
            results[index] = Change(reflection, post=row.post_started_at is not None)
        return [result for result in results if result is not None]

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
            row = await own_row(session, guild_id, user_id, reflection_id)
            if row.post_started_at is not None:
                return Change(await one_reflection(session, guild_id, row.id), unsettled=True)
            if prompt_id != row.prompt_id:
                prompts = await _prompts_of(session, [(row.section_id, prompt_id)])
                row.prompt_text = _prompt_of(prompts, row.section_id, prompt_id)
                row.prompt_id = prompt_id
            row.text, row.visibility, row.updated_at = cleaned, visibility, now
            if author_name:
                row.author_name = author_name[:MAX_AUTHOR_NAME]
            closed = await section_closed(session, row.schedule_id, row.section_id)
            if visibility != Visibility.AFTER_CLOSE:
                row.revealed_at = None
            elif row.revealed_at is None and closed:
                row.revealed_at = now
            old = posted_ref(row)
            reflection = await one_reflection(session, guild_id, row.id)
            if reflection.shared and old is not None:
                return Change(reflection, stale=(old,))
            if old is not None:
                row.channel_id = row.message_id = None
                return Change(await one_reflection(session, guild_id, row.id), stale=(old,))
            if not (reflection.shared and reflection.thread_id is not None):
                return Change(reflection)
            row.post_started_at = now
            await queue_settle(self.scheduler, session, guild_id, [row.id], now)
            return Change(await one_reflection(session, guild_id, row.id), post=True)

    async def delete(self, guild_id: int, user_id: int, reflection_id: int) -> Change:
        """Delete one's own reflection; its posted message, if any, goes stale. A reflection
        whose message is still to be settled is left as it is (`unsettled`)."""
        async with self.db.session() as session:
            row = await own_row(session, guild_id, user_id, reflection_id)
            if row.post_started_at is not None:
                return Change(await one_reflection(session, guild_id, row.id), unsettled=True)
            old = posted_ref(row)
            await session.delete(row)
            return Change(None, stale=(old,) if old else ())


async def _sections_of(
    session: AsyncSession, writes: list[_Write]
) -> dict[tuple[int, int, int], _Section | Exception]:
    """The posted sections written about, each looked up once."""
    found: dict[tuple[int, int, int], _Section | Exception] = {}
    for key in dict.fromkeys((w.guild_id, w.schedule_id, w.section_id) for w in writes):
        guild_id, schedule_id, section_id = key
        try:
            post, section, reading = await posted_section(
                session, guild_id, schedule_id, section_id
            )
        except NotFound as exc:
            found[key] = exc
            continue
        closed = await section_closed(session, schedule_id, section_id)
        found[key] = _Section(
            section.position, section.title, reading.title, post.thread_id, closed
        )
    return found


async def _prompts_of(
    session: AsyncSession, answered: Iterable[tuple[int, int | None]]
) -> dict[tuple[int, int], str]:
    """The text of each prompt answered (section, prompt or None), by (section, prompt), if it
    is that section's and not hidden."""
    wanted = {prompt_id for _, prompt_id in answered if prompt_id is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Prompt.section_id, Prompt.id, Prompt.text).where(
            Prompt.id.in_(wanted), Prompt.hidden.is_(False)
        )
    )
    return {(section_id, prompt_id): text for section_id, prompt_id, text in rows}


async def _recent_counts(
    session: AsyncSession, writers: Iterable[tuple[int, int]], now: datetime
) -> Counter[tuple[int, int]]:
    """How many reflections each writer (guild, user) saved in the last `RATE_WINDOW`."""
    counts: Counter[tuple[int, int]] = Counter()
    by_guild: defaultdict[int, set[int]] = defaultdict(set)
    for guild_id, user_id in writers:
        by_guild[guild_id].add(user_id)
    for guild_id, users in by_guild.items():
        rows = await session.execute(
            select(Reflection.user_id, func.count())
            .where(
                Reflection.guild_id == guild_id,
                Reflection.user_id.in_(users),
                Reflection.created_at > now - RATE_WINDOW,
            )
            .group_by(Reflection.user_id)
        )
        for user_id, count in rows:
            counts[guild_id, user_id] = int(count)
    return counts
