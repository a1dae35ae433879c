"""Facilitators stay in charge of prompts: edits, additions and removals survive regeneration."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.db.models import Reading, Section
from bot.errors import NotFound, UserError
from bot.parsing import parse_reading
from bot.reading.prompts import TextKind, generate_prompts, reading_kind
from bot.services.root import Services
from tests.reading.prompts import guard_texts
from tests.services.worlds import GUILD, OTHER_GUILD, bundled_reading_id


async def _seed_section(services: Services, guild: int = GUILD, position: int = 2) -> int:
    _, sections = await services.readings.sections(guild, await bundled_reading_id(services, guild))
    return sections[position - 1].id


async def test_imported_sections_come_with_grounded_prompts(services: Services) -> None:
    section_id = await _seed_section(services)
    shown = await services.prompts.of_section(GUILD, section_id)
    assert 3 <= len(shown) <= 5
    assert [p.position for p in shown] == list(range(1, len(shown) + 1))
    assert {"factual", "interpretive", "evaluative"} <= {p.kind for p in shown}
    for p in shown:
        assert p.text.endswith("?")
        assert p.quote or p.key_phrase
        assert not p.by_facilitator
        assert not p.edited


async def test_regenerating_keeps_an_edited_prompt(services: Services) -> None:
    section_id = await _seed_section(services)
    first = (await services.prompts.of_section(GUILD, section_id))[0]
    edited = await services.prompts.edit(
        GUILD, first.id, "What does the text ask of a union that only makes demands?"
    )
    assert edited.edited
    after = await services.prompts.regenerate(GUILD, section_id)
    assert "What does the text ask of a union that only makes demands?" in [p.text for p in after]
    assert [p.position for p in after] == list(range(1, len(after) + 1))


async def test_a_removed_prompt_does_not_come_back_on_regeneration(services: Services) -> None:
    section_id = await _seed_section(services)
    before = await services.prompts.of_section(GUILD, section_id)
    gone = await services.prompts.remove(GUILD, before[1].id)
    after_removal = await services.prompts.of_section(GUILD, section_id)
    assert gone.text not in [p.text for p in after_removal]
    assert len(after_removal) == len(before) - 1
    regenerated = await services.prompts.regenerate(GUILD, section_id)
    assert gone.text not in [p.text for p in regenerated]
    with pytest.raises(NotFound):
        await services.prompts.edit(GUILD, gone.id, "Trying to edit a removed prompt here?")


async def test_a_facilitators_prompt_is_placed_by_kind_and_kept(services: Services) -> None:
    section_id = await _seed_section(services)
    added = await services.prompts.add(
        GUILD,
        section_id,
        "Which of these ideas would you bring to our next assembly?",
        kind="evaluative",
    )
    shown = await services.prompts.of_section(GUILD, section_id)
    assert shown[-1].id == added.id
    assert added.by_facilitator
    regenerated = await services.prompts.regenerate(GUILD, section_id)
    assert added.text in [p.text for p in regenerated]
    kinds = [p.kind for p in regenerated]
    order = {"factual": 0, "interpretive": 1, "evaluative": 2}
    assert kinds == sorted(kinds, key=order.__getitem__)


async def test_prompt_text_is_checked_kindly(services: Services) -> None:
    section_id = await _seed_section(services)
    with pytest.raises(UserError, match="at least"):
        await services.prompts.add(GUILD, section_id, "   ")
    with pytest.raises(UserError, match="at most 350"):
        await services.prompts.add(GUILD, section_id, "Why? " * 100)
    with pytest.raises(UserError, match="kind is one of"):
        await services.prompts.add(
            GUILD, section_id, "A perfectly fine question?", kind="rhetorical"
        )


async def test_another_guilds_sections_and_prompts_are_not_found(services: Services) -> None:
    section_id = await _seed_section(services)
    prompt_id = (await services.prompts.of_section(GUILD, section_id))[0].id
    with pytest.raises(NotFound):
        await services.prompts.of_section(OTHER_GUILD, section_id)
    with pytest.raises(NotFound):
        await services.prompts.edit(OTHER_GUILD, prompt_id, "Is this mine to change at all?")
    with pytest.raises(NotFound):
        await services.prompts.remove(OTHER_GUILD, prompt_id)


async def _play(services: Services, kind: TextKind | None = None) -> tuple[int, int]:
    """A play imported with `kind` (detected when None): its reading's and section's ids."""
    parsed = parse_reading(guard_texts.PLAY.encode(), "earnest.txt", title="Earnest", kind=kind)
    summary = await services.readings.add(GUILD, parsed)
    _, [section, *_] = await services.readings.sections(GUILD, summary.id)
    return summary.id, section.id


async def test_an_imported_reading_keeps_the_kind_it_was_read_as(services: Services) -> None:
    reading_id, _ = await _play(services)
    [stored] = [r for r in await services.readings.available(GUILD) if r.id == reading_id]
    assert stored.kind == "drama"


async def test_regenerating_asks_as_the_stored_kind_not_as_the_section_reads(
    db: Database,
    services: Services,
) -> None:
    reading_id, section_id = await _play(services, kind=TextKind.STORY)
    [stored] = [r for r in await services.readings.available(GUILD) if r.id == reading_id]
    assert stored.kind == "story"
    async with db.session() as session:
        text = (await session.get_one(Section, section_id)).text
    as_story = [p.text for p in generate_prompts(text, kind=TextKind.STORY).prompts]
    as_read = [p.text for p in generate_prompts(text).prompts]
    assert as_story != as_read  # on its own, the section reads as a play

    regenerated = await services.prompts.regenerate(GUILD, section_id)
    assert [p.text for p in regenerated] == as_story


async def test_a_reading_stored_without_a_kind_gets_the_kind_of_all_its_sections(
    db: Database,
    services: Services,
) -> None:
    reading_id, section_id = await _play(services)
    async with db.session() as session:
        (await session.get_one(Reading, reading_id)).kind = None
    await services.prompts.regenerate(GUILD, section_id)
    async with db.session() as session:
        reading = await session.get_one(Reading, reading_id)
        texts = [s.text for s in await reading.awaitable_attrs.sections]
        assert reading.kind == reading_kind(texts) == "drama"
