"""Writing, editing and deleting one's own reflections, within the limits on length and rate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Prompt, Reflection
from bot.errors import NotFound, UserError
from bot.services.reflections._common import AFTER_CLOSE, ReflectionsBase, check_visibility
from bot.services.reflections.sections import posted_section, section_closed
from bot.services.reflections.views import PostedRef, ReflectionView, _one, _own_row, _ref

MAX_TEXT_CHARS = 4000
MAX_AUTHOR_NAME = 100
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class Change:
    """What a write, edit or delete means for Discord: post it now, refresh these messages."""

    reflection: ReflectionView | None
    post: bool = False
    stale: tuple[PostedRef, ...] = ()


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


class WritingUseCases(ReflectionsBase):
    """Saving a member's reflections, and where they were posted."""

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
            view = await _one(session, guild_id, row.id)
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
            row = await _own_row(session, guild_id, user_id, reflection_id)
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
            view = await _one(session, guild_id, row.id)
            if view.shared and old is not None:
                return Change(view, stale=(old,))
            if old is not None:
                row.channel_id = row.message_id = None
                return Change(await _one(session, guild_id, row.id), stale=(old,))
            return Change(view, post=view.shared and view.thread_id is not None)

    async def delete(self, guild_id: int, user_id: int, reflection_id: int) -> Change:
        """Delete one's own reflection; its posted message, if any, goes stale."""
        async with self.db.session() as session:
            row = await _own_row(session, guild_id, user_id, reflection_id)
            old = _ref(row)
            await session.delete(row)
            return Change(None, stale=(old,) if old else ())
