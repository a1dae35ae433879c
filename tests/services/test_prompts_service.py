"""Facilitators stay in charge of prompts: edits, additions and removals survive regeneration."""

from __future__ import annotations

import pytest

from bot.db import Database
from bot.db.models import Reading, Section
from bot.errors import NotFound, UserError
from bot.reading.importer import parse_reading
from bot.reading.prompts import TextKind, generate_prompts, reading_kind
from bot.services import prompts, readings
from tests.reading.prompts import guard_texts

GUILD, OTHER_GUILD = 1001, 2002


async def _seed_section(db: Database, guild: int = GUILD, position: int = 2) -> int:
    [seed] = [r for r in await readings.list_readings(db, guild) if r.bundled]
    _, sections = await readings.reading_sections(db, guild, seed.id)
    return sections[position - 1].id


async def test_imported_sections_come_with_grounded_prompts(db: Database) -> None:
    section_id = await _seed_section(db)
    shown = await prompts.section_prompts(db, GUILD, section_id)
    assert 3 <= len(shown) <= 5
    assert [p.position for p in shown] == list(range(1, len(shown) + 1))
    assert {"factual", "interpretive", "evaluative"} <= {p.kind for p in shown}
    for p in shown:
        assert p.text.endswith("?")
        assert p.quote or p.key_phrase
        assert not p.by_facilitator
        assert not p.edited


async def test_regenerating_keeps_an_edited_prompt(db: Database) -> None:
    section_id = await _seed_section(db)
    first = (await prompts.section_prompts(db, GUILD, section_id))[0]
    edited = await prompts.edit_prompt(
        db, GUILD, first.id, "What does the text ask of a union that only makes demands?"
    )
    assert edited.edited
    after = await prompts.regenerate_prompts(db, GUILD, section_id)
    assert "What does the text ask of a union that only makes demands?" in [p.text for p in after]
    assert [p.position for p in after] == list(range(1, len(after) + 1))


async def test_a_removed_prompt_does_not_come_back_on_regeneration(db: Database) -> None:
    section_id = await _seed_section(db)
    before = await prompts.section_prompts(db, GUILD, section_id)
    gone = await prompts.remove_prompt(db, GUILD, before[1].id)
    after_removal = await prompts.section_prompts(db, GUILD, section_id)
    assert gone.text not in [p.text for p in after_removal]
    assert len(after_removal) == len(before) - 1
    regenerated = await prompts.regenerate_prompts(db, GUILD, section_id)
    assert gone.text not in [p.text for p in regenerated]
    with pytest.raises(NotFound):
        await prompts.edit_prompt(db, GUILD, gone.id, "Trying to edit a removed prompt here?")


async def test_a_facilitators_prompt_is_placed_by_kind_and_kept(db: Database) -> None:
    section_id = await _seed_section(db)
    added = await prompts.add_prompt(
        db,
        GUILD,
        section_id,
        "Which of these ideas would you bring to our next assembly?",
        kind="evaluative",
    )
    shown = await prompts.section_prompts(db, GUILD, section_id)
    assert shown[-1].id == added.id
    assert added.by_facilitator
    regenerated = await prompts.regenerate_prompts(db, GUILD, section_id)
    assert added.text in [p.text for p in regenerated]
    kinds = [p.kind for p in regenerated]
    order = {"factual": 0, "interpretive": 1, "evaluative": 2}
    assert kinds == sorted(kinds, key=order.__getitem__)


async def test_replacing_all_prompts_of_a_section(db: Database) -> None:
    section_id = await _seed_section(db)
    replaced = await prompts.replace_prompts(
        db,
        GUILD,
        section_id,
        [
            ("factual", "What are the two forms the obstacle takes?"),
            ("interpretive", "Why does the text call both forms an obstacle?"),
        ],
    )
    assert [p.text for p in replaced] == [
        "What are the two forms the obstacle takes?",
        "Why does the text call both forms an obstacle?",
    ]
    assert [p.text for p in await prompts.section_prompts(db, GUILD, section_id)] == [
        p.text for p in replaced
    ]


async def test_prompt_text_is_checked_kindly(db: Database) -> None:
    section_id = await _seed_section(db)
    with pytest.raises(UserError, match="at least"):
        await prompts.add_prompt(db, GUILD, section_id, "   ")
    with pytest.raises(UserError, match="at most 350"):
        await prompts.add_prompt(db, GUILD, section_id, "Why? " * 100)
    with pytest.raises(UserError, match="kind is one of"):
        await prompts.add_prompt(
            db, GUILD, section_id, "A perfectly fine question?", kind="rhetorical"
        )


async def test_another_guilds_sections_and_prompts_are_not_found(db: Database) -> None:
    section_id = await _seed_section(db)
    prompt_id = (await prompts.section_prompts(db, GUILD, section_id))[0].id
    with pytest.raises(NotFound):
        await prompts.section_prompts(db, OTHER_GUILD, section_id)
    with pytest.raises(NotFound):
        await prompts.edit_prompt(db, OTHER_GUILD, prompt_id, "Is this mine to change at all?")
    with pytest.raises(NotFound):
        await prompts.remove_prompt(db, OTHER_GUILD, prompt_id)


async def _play(db: Database, kind: TextKind | None = None) -> tuple[int, int]:
    """A play imported with `kind` (detected when None): its reading's and section's ids."""
    parsed = parse_reading(guard_texts.PLAY.encode(), "earnest.txt", title="Earnest", kind=kind)
    summary = await readings.import_reading(db, GUILD, parsed)
    _, [section, *_] = await readings.reading_sections(db, GUILD, summary.id)
    return summary.id, section.id


async def test_an_imported_reading_keeps_the_kind_it_was_read_as(db: Database) -> None:
    reading_id, _ = await _play(db)
    [stored] = [r for r in await readings.list_readings(db, GUILD) if r.id == reading_id]
    assert stored.kind == "drama"


async def test_regenerating_asks_as_the_stored_kind_not_as_the_section_reads(
    db: Database,
) -> None:
    reading_id, section_id = await _play(db, kind="story")
    [stored] = [r for r in await readings.list_readings(db, GUILD) if r.id == reading_id]
    assert stored.kind == "story"
    async with db.session() as session:
        text = (await session.get_one(Section, section_id)).text
    as_story = [p.text for p in generate_prompts(text, kind="story").prompts]
    as_read = [p.text for p in generate_prompts(text).prompts]
    assert as_story != as_read  # on its own, the section reads as a play

    regenerated = await prompts.regenerate_prompts(db, GUILD, section_id)
    assert [p.text for p in regenerated] == as_story


async def test_a_reading_stored_without_a_kind_gets_the_kind_of_all_its_sections(
    db: Database,
) -> None:
    reading_id, section_id = await _play(db)
    async with db.session() as session:
        (await session.get_one(Reading, reading_id)).kind = None
    await prompts.regenerate_prompts(db, GUILD, section_id)
    async with db.session() as session:
        reading = await session.get_one(Reading, reading_id)
        texts = [s.text for s in await reading.awaitable_attrs.sections]
        assert reading.kind == reading_kind(texts) == "drama"
