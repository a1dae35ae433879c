"""Storing readings: per-guild scoping, bundled readings, duplicates by hash."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import Reading, Section
from bot.errors import QUOTED, NotFound, UserError
from bot.parsing import parse_reading
from bot.reading.importer import ParsedReading
from bot.seeds import bundled_seeds
from bot.services import readings as readings_module
from bot.services.readings import (
    DuplicateReading,
    ReadingSection,
    count_sections,
    parsed_seeds,
    section_count,
)
from bot.services.root import Services
from tests.services.worlds import GUILD, OTHER_GUILD, bundled_reading_id

ESSAY = ("On Reading\n\n" + " ".join(["Reading together changes what we notice."] * 60)).encode()


async def test_imported_reading_keeps_its_sections_in_order(services: Services) -> None:
    parsed = parse_reading(ESSAY, "essay.txt", title="On Reading")
    summary = await services.readings.add(GUILD, parsed)
    assert summary.title == "On Reading"
    assert summary.words == parsed.word_count
    assert not summary.bundled

    shown, sections = await services.readings.sections(GUILD, summary.id)
    assert shown == summary
    assert [s.position for s in sections] == list(range(1, len(parsed.sections) + 1))
    assert [s.title for s in sections] == [s.title for s in parsed.sections]


async def test_every_section_of_a_guild_is_listed_in_the_order_of_its_readings(
    services: Services,
) -> None:
    # A guild's first look lists its bundled readings: there is nothing else yet.
    bundled = await services.readings.every_section(GUILD)
    assert bundled
    added = await services.readings.add(
        GUILD, parse_reading(ESSAY, "essay.txt", title="On Reading")
    )
    _, sections = await services.readings.sections(GUILD, added.id)

    listed = await services.readings.every_section(GUILD)

    expected = []
    for reading in await services.readings.available(GUILD):
        _, its_sections = await services.readings.sections(GUILD, reading.id)
        expected += [ReadingSection(s.id, reading.title, s.position, s.title) for s in its_sections]
    assert listed == expected
    assert ReadingSection(sections[0].id, "On Reading", 1, sections[0].title) in listed
    theirs = await services.readings.every_section(OTHER_GUILD)
    assert theirs
    assert not {s.id for s in listed} & {s.id for s in theirs}


async def test_a_readings_sections_are_counted_by_one_rule_alone_or_inside_a_statement(
    db: Database, services: Services
) -> None:
    """`section_count` on its own, per reading in a list, and beside the sections it counts
    (where it must not correlate to the outer statement's sections)."""
    added = await services.readings.add(GUILD, parse_reading(ESSAY, "essay.txt"))
    listed = {r.id: r.sections for r in await services.readings.available(GUILD)}
    bundled = await bundled_reading_id(services, GUILD)
    _, sections = await services.readings.sections(GUILD, bundled)
    async with db.read() as session:
        alone = {r: await count_sections(session, r) for r in listed}
        beside = await session.scalars(
            select(section_count(Section.reading_id)).where(Section.reading_id == bundled)
        )
        assert list(beside) == [len(sections)] * len(sections)
        per_reading = {
            r: n for r, n in await session.execute(select(Reading.id, section_count(Reading.id)))
        }
        assert await count_sections(session, 0) == 0
    assert listed.keys() == {added.id, bundled}
    assert listed == alone == {r: per_reading[r] for r in listed}
    assert listed[bundled] == len(sections) > 1


async def test_the_same_text_twice_in_one_guild_is_refused(services: Services) -> None:
    first = await services.readings.add(GUILD, parse_reading(ESSAY, "essay.txt"))
    again = parse_reading(b"\xef\xbb\xbf" + ESSAY.replace(b"\n\n", b"\r\n\r\n\r\n"), "copy.txt")
    with pytest.raises(DuplicateReading) as caught:
        await services.readings.add(GUILD, again)
    assert caught.value.existing.id == first.id
    assert f"#{first.id}" in str(caught.value)
    # Another guild may load the same text.
    await services.readings.add(OTHER_GUILD, again)


async def test_a_refusal_gives_the_title_apart_and_plain_text_shows_it_as_written(
    services: Services,
) -> None:
    title = "# h **x** [masked](http://x) @everyone\n# next"
    first = await services.readings.add(GUILD, parse_reading(ESSAY, "essay.txt", title=title))
    with pytest.raises(DuplicateReading) as caught:
        await services.readings.add(GUILD, parse_reading(ESSAY, "copy.txt"))
    # The service gives the title as data; Discord escapes it (tests/exts/readings).
    assert caught.value.message == f"This text is already here as “{QUOTED}” (reading #{first.id})."
    assert caught.value.quoted == title
    # Outside Discord (the default), it is shown as written, on one line.
    plain = "# h **x** [masked](http://x) @everyone # next"
    assert (
        caught.value.user_message()
        == str(caught.value)
        == (f"This text is already here as “{plain}” (reading #{first.id}).")
    )


async def test_every_guild_gets_its_own_copy_of_the_bundled_reading(services: Services) -> None:
    mine = [r for r in await services.readings.available(GUILD) if r.bundled]
    again = [r for r in await services.readings.available(GUILD) if r.bundled]
    theirs = [r for r in await services.readings.available(OTHER_GUILD) if r.bundled]
    assert mine == again
    assert [(r.title, r.sections) for r in mine] == [("Mass Organizations", 10)]
    assert [(r.title, r.sections) for r in theirs] == [("Mass Organizations", 10)]
    assert mine[0].id != theirs[0].id


def test_bundled_readings_take_their_metadatas_language_without_the_detector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_detector(text: str, classifier: object) -> str:
        raise AssertionError("the language detector ran on a bundled reading")

    monkeypatch.setattr("bot.reading.importer.detect_language", no_detector)
    parsed = parsed_seeds.__wrapped__()
    assert [p.language for p in parsed] == [seed.language for seed in bundled_seeds()]
    assert all(p.detected_language is None for p in parsed)
    assert all(p.prompts for p in parsed)


async def test_a_guild_cannot_see_or_remove_another_guilds_reading(services: Services) -> None:
    mine = await services.readings.add(GUILD, parse_reading(ESSAY, "essay.txt"))
    assert mine.id not in [r.id for r in await services.readings.available(OTHER_GUILD)]
    with pytest.raises(NotFound):
        await services.readings.sections(OTHER_GUILD, mine.id)
    with pytest.raises(NotFound):
        await services.readings.remove(OTHER_GUILD, mine.id)
    assert mine.id in [r.id for r in await services.readings.available(GUILD)]


async def test_removing_a_reading_deletes_its_sections(db: Database, services: Services) -> None:
    mine = await services.readings.add(GUILD, parse_reading(ESSAY, "essay.txt"))
    await services.readings.remove(GUILD, mine.id)
    with pytest.raises(NotFound):
        await services.readings.sections(GUILD, mine.id)
    async with db.session() as session:
        from sqlalchemy import func, select

        from bot.db.models import Section

        left = select(func.count()).select_from(Section).where(Section.reading_id == mine.id)
        assert await session.scalar(left) == 0


async def test_bundled_readings_cannot_be_removed(services: Services) -> None:
    seed_id = await bundled_reading_id(services, GUILD)
    with pytest.raises(UserError, match="comes with Study Circle"):
        await services.readings.remove(GUILD, seed_id)


async def test_a_new_guild_s_bundled_readings_are_parsed_off_the_event_loop(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []

    def recording() -> tuple[ParsedReading, ...]:
        threads.append(threading.current_thread())
        return parsed_seeds()

    monkeypatch.setattr(readings_module, "parsed_seeds", recording)
    async with db.session() as session:
        await readings_module.ensure_guild(session, GUILD)
    assert threads
    assert threads[0] is not threading.main_thread()
