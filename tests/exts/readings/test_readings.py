"""Readings and prompts through the fake Discord: uploads, refusals, pages, facilitator edits."""

from __future__ import annotations

import re

import pytest

from bot.app import StudyCircleBot
from tests.exts.readings.helpers import added_reading_id, seed_reading_id
from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord, InteractionResult
from tests.reading.prompts import guard_texts

ESSAY = "# Why We Read Together\n\n" + "Reading aloud changes what a group notices. " * 40


async def test_a_facilitator_adds_a_markdown_reading(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    upload = fake_discord.upload("why-we-read.md", ESSAY)
    added = await fake_discord.command(
        "reading add", {"file": upload, "title": "Why We Read"}, user=world.facilitator
    )
    assert added.ephemeral
    assert added.embeds[0]["title"] == "Reading added"
    assert "Why We Read" in added.embeds[0]["description"]

    listed = await fake_discord.command("reading list", user=world.member)
    assert "Why We Read" in listed.embeds[0]["description"]
    assert "Mass Organizations" in listed.embeds[0]["description"]

    again = await fake_discord.command(
        "reading add", {"file": fake_discord.upload("copy.md", ESSAY)}, user=world.facilitator
    )
    assert "already here" in again.text


async def test_uploads_that_are_not_utf8_text_are_refused_kindly(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    cases = {
        "noise.txt": (bytes(range(0x80, 0x100)) * 4 + b"\x01\x02", "not text"),
        "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        "empty.txt": (b"   \n", "no text"),
        "paper.pdf": (b"%PDF-1.7", "could not be read as a PDF"),
        "paper.docx": (b"PK\x03\x04", "not a format Study Circle can read"),
        "huge.txt": (b"word " * 500_000, "up to 2 MB"),
    }
    for name, (data, reason) in cases.items():
        refused = await fake_discord.command(
            "reading add", {"file": fake_discord.upload(name, data)}, user=world.facilitator
        )
        assert refused.ephemeral, name
        assert reason in refused.text, (name, refused.text)
    listed = await fake_discord.command("reading list", user=world.member)
    assert listed.embeds[0]["description"].count("#") == 1  # only the bundled reading


async def test_a_refused_file_s_name_is_shown_as_typed_and_a_name_without_suffix_is_text(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    refused = await fake_discord.command(
        "reading add",
        {"file": fake_discord.upload("my_reading_list.docx", b"PK\x03\x04")},
        user=world.facilitator,
    )
    assert refused.text.startswith(r"my\_reading\_list.docx is not a format"), refused.text
    plain = await fake_discord.command(
        "reading add", {"file": fake_discord.upload("why-we-read", ESSAY)}, user=world.facilitator
    )
    assert plain.embeds[0]["title"] == "Reading added", plain.text
    assert "Why we read" in plain.embeds[0]["description"]  # its title from the file name


async def test_members_cannot_add_or_remove_readings(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    refused = await fake_discord.command(
        "reading add", {"file": fake_discord.upload("a.txt", ESSAY)}, user=world.member
    )
    assert "Only facilitators" in refused.text
    seed_id = await seed_reading_id(fake_discord)
    bundled = await fake_discord.command(
        "reading remove", {"reading": seed_id}, user=world.facilitator
    )
    assert "comes with Study Circle" in bundled.text


async def test_a_facilitator_removes_a_reading_no_schedule_uses(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    upload = fake_discord.upload("why-we-read.md", ESSAY)
    added = await fake_discord.command("reading add", {"file": upload}, user=world.facilitator)
    reading_id = added_reading_id(added)

    removed = await fake_discord.command(
        "reading remove", {"reading": f"#{reading_id}"}, user=world.facilitator
    )

    assert removed.ephemeral
    assert removed.text == "Removed “Why We Read Together”."


async def test_an_id_typed_that_is_not_a_number_is_answered_kindly_and_privately(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    typed = {
        ("reading remove", "reading"): "Pick a reading from the list (or type its number).",
        ("schedule status", "schedule"): "Pick a schedule from the list (or type its number).",
        ("vote close", "vote"): "Pick a vote from the list (or type its number).",
        ("reflections summary", "section"): (
            "Pick a section from the list, or type its number (e.g. 3)."
        ),
    }
    for (command, option), answer in typed.items():
        result = await fake_discord.command(
            command, {option: "the long one"}, user=world.facilitator
        )
        assert result.ephemeral, command
        assert result.text == answer, command


async def _show_a_long_reading(fake_discord: FakeDiscord) -> InteractionResult:
    """`/reading show` of a reading of 23 chapters, three pages long, to the member."""
    world = fake_discord.world
    chapters = "\n\n".join(
        f"# Chapter {n}\n\n" + f"Chapter {n} tells its part of the story. " * 60
        for n in range(1, 24)
    )
    added = await fake_discord.command(
        "reading add", {"file": fake_discord.upload("novel.md", chapters)}, user=world.facilitator
    )
    reading_id = added_reading_id(added)
    return await fake_discord.command("reading show", {"reading": reading_id}, user=world.member)


async def test_reading_show_pages_through_many_sections(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    shown = await _show_a_long_reading(fake_discord)
    assert shown.ephemeral
    assert shown.answer is not None
    assert "1. Chapter 1" in shown.embeds[0]["description"]
    assert shown.embeds[0]["footer"]["text"] == "Page 1 of 3"
    buttons = [c for row in shown.answer.components for c in row["components"]]
    assert [b["label"] for b in buttons] == ["Previous", "Next"]
    assert [b["disabled"] for b in buttons] == [True, False]
    flipped = await fake_discord.click(shown.answer, buttons[1]["custom_id"], user=world.member)
    assert "11. Chapter 11" in flipped.embeds[0]["description"]
    assert flipped.embeds[0]["footer"]["text"] == "Page 2 of 3"

    turned = [c for row in shown.answer.components for c in row["components"]]
    last = await fake_discord.click(shown.answer, turned[1]["custom_id"], user=world.member)
    assert "21. Chapter 21" in last.embeds[0]["description"]
    at_the_end = [c for row in shown.answer.components for c in row["components"]]
    assert [b["disabled"] for b in at_the_end] == [False, True]
    again = await fake_discord.click(shown.answer, at_the_end[0]["custom_id"], user=world.member)
    assert again.embeds[0]["footer"]["text"] == "Page 2 of 3"


async def test_a_page_turn_that_fails_is_answered_privately_with_an_error_id(
    bot: StudyCircleBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = fake_discord.world
    shown = await _show_a_long_reading(fake_discord)
    assert shown.answer is not None

    async def broken(guild_id: int, reading_id: int) -> None:
        raise RuntimeError("the page broke on purpose")

    monkeypatch.setattr(bot.services.readings, "sections", broken)
    buttons = [c for row in shown.answer.components for c in row["components"]]
    flipped = await fake_discord.click(shown.answer, buttons[1]["custom_id"], user=world.member)

    assert flipped.ephemeral
    assert re.search(r"error `[0-9a-f]{8}`", flipped.text), flipped.text
    assert "page broke" not in flipped.text
    assert shown.answer.embeds[0]["footer"]["text"] == "Page 1 of 3"


async def test_reading_ids_of_another_server_are_not_found(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    shown = await fake_discord.command(
        "reading show", {"reading": "999"}, user=fake_discord.world.member
    )
    assert "no reading #999" in shown.text


async def test_a_facilitator_edits_a_prompt_in_a_modal(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await seed_reading_id(fake_discord)
    shown = await fake_discord.command("prompts show", {"section": "1"}, user=world.member)
    description = shown.embeds[0]["description"]
    prompt_id = int(description.split("`#", 1)[1].split("`", 1)[0])

    opened = await fake_discord.command(
        "prompts edit", {"prompt": f"#{prompt_id}"}, user=world.facilitator
    )
    assert opened.modal is not None
    assert opened.modal["title"] == "Edit prompt"
    submitted = await fake_discord.submit_modal(
        opened, {"prompt:text": "What do mass organizations lack that the political one has?"}
    )
    assert submitted.ephemeral
    assert "now reads" in submitted.text

    regenerated = await fake_discord.command(
        "prompts regenerate", {"section": "1"}, user=world.facilitator
    )
    assert "What do mass organizations lack" in regenerated.embeds[0]["description"]
    assert "edited" in regenerated.embeds[0]["description"]

    refused = await fake_discord.command(
        "prompts edit", {"prompt": str(prompt_id)}, user=world.member
    )
    assert "Only facilitators" in refused.text


async def test_a_configured_facilitator_role_may_run_facilitator_commands(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    readers = await fake_discord.add_role("Readers")
    fake_discord.world.guild.members[world.member.id].roles.append(readers.id)

    refused = await fake_discord.command(
        "circle facilitator-role", {"role": readers}, user=world.member
    )
    assert "Manage Server" in refused.text
    chosen = await fake_discord.command(
        "circle facilitator-role", {"role": readers}, user=world.owner
    )
    assert "can now run facilitator commands" in chosen.text

    upload = fake_discord.upload("notes.txt", ESSAY)
    added = await fake_discord.command("reading add", {"file": upload}, user=world.member)
    assert added.embeds[0]["title"] == "Reading added"


async def test_a_reading_is_added_as_the_kind_detected_or_chosen_and_listed_so(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    play = fake_discord.upload("earnest.txt", guard_texts.PLAY)
    added = await fake_discord.command(
        "reading add", {"file": play, "title": "Earnest"}, user=world.facilitator
    )
    found = added.embeds[0]["fields"][0]["value"]
    assert "Kind of text: play (detected; set `kind:` to change it)" in found
    assert "play" in added.embeds[0]["description"]

    verse = fake_discord.upload("earnest-as-verse.txt", guard_texts.PLAY + "\n\nTHE END")
    chosen = await fake_discord.command(
        "reading add",
        {"file": verse, "title": "Earnest in verse", "kind": "verse"},
        user=world.facilitator,
    )
    found = chosen.embeds[0]["fields"][0]["value"]
    assert "Kind of text: verse (the text reads as play)" in found

    listed = (await fake_discord.command("reading list", user=world.member)).embeds[0]
    lines = listed["description"].split("\n\n")
    assert any("Earnest" in line and "· play" in line for line in lines)
    assert any("Earnest in verse" in line and "· verse" in line for line in lines)


async def test_a_facilitators_opening_prompt_is_shown_first_as_the_opening(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    [add] = [
        option
        for command in fake_discord.commands()
        if command["name"] == "prompts"
        for sub in command.get("options", [])
        if sub["name"] == "add"
        for option in sub.get("options", [])
        if option["name"] == "kind"
    ]
    assert [c["name"] for c in add["choices"]] == ["factual", "interpretive", "evaluative"]

    choices = await fake_discord.autocomplete(
        "prompts show", {"section": ""}, focused="section", user=world.facilitator
    )
    assert choices.choices is not None
    section = choices.choices[0]["value"]
    shown = await fake_discord.command(
        "prompts add",
        {"section": section, "text": "Who writes the rules of the club?", "kind": "factual"},
        user=world.facilitator,
    )
    lines = shown.embeds[0]["description"].split("\n")
    heading = lines[lines.index("Who writes the rules of the club?") - 1]
    assert heading.endswith("**Opening** (factual · yours)")
    stages = [line.split("**")[1] for line in lines if line.startswith("`#")]
    mine = [line for line in lines if line.startswith("`#")].index(heading)
    assert set(stages[: mine + 1]) == {"Opening"}  # placed with the openings, before the core
    assert stages[mine + 1 :]
    assert "Opening" not in stages[mine + 1 :]


async def test_prompts_edit_offers_the_servers_prompts_by_their_words_or_their_id(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    await seed_reading_id(fake_discord)
    await fake_discord.command(
        "prompts add",
        {"section": "1", "text": "Who keeps the minutes of the reading club?"},
        user=world.facilitator,
    )

    by_words = await fake_discord.autocomplete(
        "prompts edit", {"prompt": "MINUTES of the"}, focused="prompt", user=world.facilitator
    )
    [choice] = by_words.choices or []
    assert choice["name"].endswith("· 1. Introduction · Who keeps the minutes of the reading club?")
    prompt_id = choice["value"]
    assert choice["name"].startswith(f"#{prompt_id} · ")

    by_id = await fake_discord.autocomplete(
        "prompts remove", {"prompt": f"#{prompt_id}"}, focused="prompt", user=world.facilitator
    )
    assert [c["value"] for c in by_id.choices or []] == [prompt_id]
    a_hash = await fake_discord.autocomplete(
        "prompts remove", {"prompt": "#"}, focused="prompt", user=world.facilitator
    )
    assert a_hash.choices  # "#" begins an id as the choices show it: it narrows nothing yet
    removed = await fake_discord.command(
        "prompts remove", {"prompt": prompt_id}, user=world.facilitator
    )
    assert (
        removed.text == f"Removed prompt #{prompt_id}: Who keeps the minutes of the reading club?"
    )


# A title made to be read as markdown: a heading, bold, a masked link, a second line, a ping.
HOSTILE_TITLE = "# h **x** [masked](http://x) @everyone\n# next"
# As an error shows it: one line, every mark escaped, the mention unable to ping.
HOSTILE_SHOWN = r"\# h \*\*x\*\* \[masked\](http://x) @" + "\u200beveryone # next"


async def test_a_title_quoted_in_an_error_is_shown_escaped_on_one_line(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    added = await fake_discord.command(
        "reading add",
        {"file": fake_discord.upload("why-we-read.md", ESSAY), "title": HOSTILE_TITLE},
        user=world.facilitator,
    )
    reading_id = added_reading_id(added)
    again = await fake_discord.command(
        "reading add", {"file": fake_discord.upload("copy.md", ESSAY)}, user=world.facilitator
    )
    assert again.ephemeral
    assert again.text == (
        f"This text is already here as “{HOSTILE_SHOWN}” (reading #{reading_id})."
    )
    await create_schedule(fake_discord, reading=reading_id)
    in_use = await fake_discord.command(
        "reading remove", {"reading": reading_id}, user=world.facilitator
    )
    assert in_use.ephemeral
    assert in_use.text == f"Schedule #1 reads “{HOSTILE_SHOWN}”: delete that schedule first."
