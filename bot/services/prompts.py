"""A section's discussion prompts: generated at import, then in the facilitators' hands.

Generated prompts that a facilitator edits are marked `edited`; removed ones are kept hidden.
Regenerating replaces only untouched generated prompts, never brings a removed one back, and
keeps every prompt a facilitator wrote or edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database
from bot.db.models import Prompt, Reading, Section
from bot.errors import NotFound, UserError
from bot.reading.prompts import (
    PromptKind,
    PromptSet,
    TextKind,
    generate_prompts,
    parse_kind,
    prompt_kind,
    reading_kind,
)
from bot.reading.prompts.checked import is_model_written
from bot.reading.prompts.model import MAX_CHARS
from bot.reading.text import is_visible
from bot.services.member_text import clean_line

# Opening → core → closing, as Shared Inquiry orders a discussion (the kinds' own order).
# Keyed by the stored value: a prompt row's `kind` is a str.
_KIND_ORDER: dict[str, int] = {kind: order for order, kind in enumerate(PromptKind)}
MIN_PROMPT_CHARS = 10
MAX_PROMPT_CHARS = MAX_CHARS  # a facilitator's prompt fits where the engine's do
MAX_PROMPTS = 8


@dataclass(frozen=True)
class PromptInfo:
    id: int
    position: int
    kind: PromptKind
    text: str
    quote: str | None
    paragraph: int | None
    key_phrase: str | None
    by_facilitator: bool
    edited: bool
    by_model: bool = False


@dataclass(frozen=True)
class ListedPrompt:
    """A prompt as a list to pick from shows it: its id, its section, its words."""

    id: int
    section: str  # "n. Section title"
    text: str


def _info(prompt: Prompt) -> PromptInfo:
    return PromptInfo(
        id=prompt.id,
        position=prompt.position,
        kind=PromptKind(prompt.kind),
        text=prompt.text,
        quote=prompt.quote,
        paragraph=prompt.paragraph,
        key_phrase=prompt.key_phrase,
        by_facilitator=prompt.by_facilitator,
        edited=prompt.edited,
        by_model=prompt.by_model,
    )


def generated_rows(prompt_set: PromptSet) -> list[Prompt]:
    """Unsaved rows for a freshly generated set, positions 1…n."""
    return [
        Prompt(
            position=position,
            kind=p.kind,
            text=p.text,
            quote=p.quote,
            paragraph=p.paragraph,
            key_phrase=p.key_phrase,
            template=p.template,
            move=p.move,
            generated_text=p.text,
            by_facilitator=False,
            by_model=is_model_written(p),
            edited=False,
            hidden=False,
        )
        for position, p in enumerate(prompt_set.prompts, 1)
    ]


def clean_prompt_text(text: str) -> str:
    """Check a facilitator's prompt: one line (`clean_line`), at least `MIN_PROMPT_CHARS`
    visible characters with a letter or digit among them, and no longer than a prompt may be.

    Only visible characters count towards the minimum: zero-width spaces and direction marks
    (Unicode format characters) make no prompt on their own. White space is never visible,
    so `text` counts as the line `clean_line` makes of it.
    """
    visible = [ch for ch in text if is_visible(ch)]
    if len(visible) < MIN_PROMPT_CHARS or not any(ch.isalnum() for ch in visible):
        raise UserError(f"A prompt needs at least {MIN_PROMPT_CHARS} characters.")
    return clean_line(text, what="prompt", limit=MAX_PROMPT_CHARS)


def _check_kind(name: str) -> PromptKind:
    kind = prompt_kind(name)
    if kind is None:
        raise UserError(f"A prompt's kind is one of: {', '.join(PromptKind)}.")
    return kind


def _facilitator_prompt(section_id: int, position: int, kind: PromptKind, text: str) -> Prompt:
    return Prompt(
        section_id=section_id,
        position=position,
        kind=kind,
        text=text,
        template="facilitator",
        move="facilitator",
        by_facilitator=True,
        edited=False,
        hidden=False,
    )


async def _drop(session: AsyncSession, prompt: Prompt) -> None:
    """A facilitator's prompt goes; a generated one stays hidden, so it never comes back."""
    if prompt.by_facilitator:
        await session.delete(prompt)
    else:
        prompt.hidden = True


async def _guild_section(session: AsyncSession, guild_id: int, section_id: int) -> Section:
    section = await session.scalar(
        select(Section)
        .join(Reading, Reading.id == Section.reading_id)
        .where(Section.id == section_id, Reading.guild_id == guild_id)
    )
    if section is None:
        raise NotFound(f"There is no section #{section_id} in this server.")
    return section


async def _guild_prompt(session: AsyncSession, guild_id: int, prompt_id: int) -> Prompt:
    prompt = await session.scalar(
        select(Prompt)
        .join(Section, Section.id == Prompt.section_id)
        .join(Reading, Reading.id == Section.reading_id)
        .where(Prompt.id == prompt_id, Reading.guild_id == guild_id, Prompt.hidden.is_(False))
    )
    if prompt is None:
        raise NotFound(f"There is no prompt #{prompt_id} in this server.")
    return prompt


async def _visible(session: AsyncSession, section_id: int) -> list[Prompt]:
    rows = await session.scalars(
        select(Prompt)
        .where(Prompt.section_id == section_id, Prompt.hidden.is_(False))
        .order_by(Prompt.position, Prompt.id)
    )
    return list(rows)


async def _renumber(session: AsyncSession, section_id: int) -> list[PromptInfo]:
    prompts = await _visible(session, section_id)
    for position, prompt in enumerate(prompts, 1):
        prompt.position = position
    await session.flush()
    return [_info(p) for p in prompts]


async def stored_kind(session: AsyncSession, reading: Reading) -> TextKind:
    """The reading's kind of text as stored; a reading stored before kinds were kept has its
    kind read from all its sections once, and kept."""
    kind = parse_kind(reading.kind)
    if kind is None:
        texts = await session.scalars(
            select(Section.text).where(Section.reading_id == reading.id).order_by(Section.position)
        )
        kind = reading_kind(list(texts), reading.language)
        reading.kind = kind
    return kind


async def apply_generated(
    session: AsyncSession, section_id: int, fresh: Sequence[Prompt]
) -> list[PromptInfo]:
    """Put freshly generated rows in place of the section's untouched generated prompts.

    A facilitator's prompts and edits stay, and a prompt they removed does not come back.
    """
    all_rows = list(await session.scalars(select(Prompt).where(Prompt.section_id == section_id)))
    removed = {p.generated_text for p in all_rows if p.hidden and not p.by_facilitator}
    kept = [p for p in all_rows if not p.hidden and (p.by_facilitator or p.edited)]
    kept_sources = {p.generated_text for p in kept}
    await session.execute(
        delete(Prompt).where(
            Prompt.section_id == section_id,
            Prompt.by_facilitator.is_(False),
            Prompt.edited.is_(False),
            Prompt.hidden.is_(False),
        )
    )
    new = [p for p in fresh if p.text not in removed and p.text not in kept_sources]
    merged = sorted([*kept, *new], key=lambda p: (_KIND_ORDER.get(p.kind, 1), p in new, p.position))
    for position, prompt in enumerate(merged, 1):
        prompt.section_id = section_id
        prompt.position = position
        if prompt in new:
            session.add(prompt)
    await session.flush()
    return [_info(p) for p in merged]


class Prompts:
    """The prompts of each guild's sections, in the facilitators' hands."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def of_section(self, guild_id: int, section_id: int) -> list[PromptInfo]:
        """The prompts members see for a section, in discussion order."""
        async with self.db.read() as session:
            await _guild_section(session, guild_id, section_id)
            return [_info(p) for p in await _visible(session, section_id)]

    async def section_title(self, guild_id: int, section_id: int) -> str:
        """ "Reading title · n. Section title", for headings."""
        async with self.db.read() as session:
            section = await _guild_section(session, guild_id, section_id)
            reading = await session.get_one(Reading, section.reading_id)
            return f"{reading.title} · {section.position}. {section.title}"

    async def get(self, guild_id: int, prompt_id: int) -> PromptInfo:
        """One of the guild's visible prompts."""
        async with self.db.read() as session:
            return _info(await _guild_prompt(session, guild_id, prompt_id))

    async def listed(
        self, guild_id: int, words: str, prompt_id: int | None, limit: int
    ) -> list[ListedPrompt]:
        """The guild's visible prompts whose text or section title hold `words`, or whose id
        is `prompt_id`, by reading, section and position: at most `limit`."""
        found = Prompt.text.icontains(words, autoescape=True) | Section.title.icontains(
            words, autoescape=True
        )
        if prompt_id is not None:
            found |= Prompt.id == prompt_id
        async with self.db.read() as session:
            rows = await session.execute(
                select(Prompt.id, Prompt.text, Section.position, Section.title)
                .join(Section, Section.id == Prompt.section_id)
                .join(Reading, Reading.id == Section.reading_id)
                .where(Reading.guild_id == guild_id, Prompt.hidden.is_(False), found)
                .order_by(Reading.id, Section.position, Prompt.position)
                .limit(limit)
            )
            return [ListedPrompt(r.id, f"{r.position}. {r.title}", r.text) for r in rows]

    async def edit(self, guild_id: int, prompt_id: int, text: str) -> PromptInfo:
        """Change a prompt's wording; a generated prompt becomes the facilitator's own."""
        cleaned = clean_prompt_text(text)
        async with self.db.session() as session:
            prompt = await _guild_prompt(session, guild_id, prompt_id)
            if prompt.text != cleaned:
                prompt.text = cleaned
                prompt.edited = True
            await session.flush()
            return _info(prompt)

    async def add(
        self, guild_id: int, section_id: int, text: str, kind: str = PromptKind.INTERPRETIVE
    ) -> PromptInfo:
        """Add a facilitator's prompt, placed with the others of its kind."""
        cleaned, kind = clean_prompt_text(text), _check_kind(kind)
        async with self.db.session() as session:
            await _guild_section(session, guild_id, section_id)
            existing = await _visible(session, section_id)
            if len(existing) >= MAX_PROMPTS:
                raise UserError(
                    f"A section can hold {MAX_PROMPTS} prompts; remove one before adding another."
                )
            after = [p for p in existing if _KIND_ORDER.get(p.kind, 1) <= _KIND_ORDER[kind]]
            position = (after[-1].position if after else 0) + 1
            for p in existing:
                if p.position >= position:
                    p.position += 1
            prompt = _facilitator_prompt(section_id, position, kind, cleaned)
            session.add(prompt)
            await session.flush()
            await _renumber(session, section_id)
            return _info(prompt)

    async def remove(self, guild_id: int, prompt_id: int) -> PromptInfo:
        """Remove a prompt. A generated one is kept hidden so regenerating won't restore it."""
        async with self.db.session() as session:
            prompt = await _guild_prompt(session, guild_id, prompt_id)
            info = _info(prompt)
            await _drop(session, prompt)
            await session.flush()
            await _renumber(session, prompt.section_id)
            return info

    async def regenerate(self, guild_id: int, section_id: int) -> list[PromptInfo]:
        """Generate the section's prompts again, keeping every facilitator's prompt and edit.

        The reading's kind of text is the one stored with it, not one guessed from this section.
        """
        async with self.db.session() as session:
            section = await _guild_section(session, guild_id, section_id)
            reading = await session.get_one(Reading, section.reading_id)
            kind = await stored_kind(session, reading)
            fresh = generated_rows(
                generate_prompts(section.text, language=reading.language, kind=kind)
            )
            return await apply_generated(session, section_id, fresh)
