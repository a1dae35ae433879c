"""Hostile input: odd uploads, texts made to ping or to break a layout, invisible prompts,
dates and zones that do not exist, values far longer than any field. Each gets a clear
answer or is handled, and the bot keeps serving."""

from __future__ import annotations

import pytest

from bot.app import StudyCircleBot
from bot.reading.chunks import DISCORD_MESSAGE_LIMIT
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.readings.helpers import added_reading_id
from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord, FakeMessage

# The reading below is posted on Monday 1 March 2027 at 18:00 in Rome.
LONG_WORD = "Antidisestablishmentarianism" * 143  # a 4,004-character line without a space
LONG_LINE = " ".join(["a sentence that goes on"] * 170) + "."  # 4,000-odd characters


async def _still_serving(fake: FakeDiscord) -> None:
    about = await fake.command("circle about", user=fake.world.member)
    assert "Study Circle" in about.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("utf16.txt", "Reading together".encode("utf-16"), "UTF-16"),
        ("utf16le.txt", "Reading together".encode("utf-16-le"), "binary"),
        ("late-nul.txt", b"Plain words. " * 1000 + b"\x00\x01\x02 tail", "binary"),
        ("zero-width.txt", "\u200b\u200c\u200d\ufeff\u2060 \u202e\u202c".encode(), "no words"),
        ("noise.txt", bytes(range(0x80, 0x100)) * 4 + b"\x01\x02", "not text"),
        ("empty.md", b"", "no text"),
        ("image.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary"),
        ("huge.md", b"# Title\n\n" + b"x" * (2 * 1024 * 1024), "up to 2 MB"),
        ("script.txt.exe", b"MZ\x90\x00", "not a format Study Circle can read"),
    ],
)
async def test_uploads_that_cannot_be_a_reading_are_refused_clearly(
    bot: StudyCircleBot, fake_discord: FakeDiscord, name: str, data: bytes, reason: str
) -> None:
    world = fake_discord.world
    refused = await fake_discord.command(
        "reading add", {"file": fake_discord.upload(name, data)}, user=world.facilitator
    )
    assert refused.ephemeral
    assert reason in refused.text, refused.text
    listed = await fake_discord.command("reading list", user=world.member)
    assert listed.embeds[0]["description"].count("#") == 1  # only the bundled reading
    await _still_serving(fake_discord)


def _hostile_text(fake: FakeDiscord) -> str:
    world = fake.world
    return "\n\n".join(
        [
            f"@everyone Read This <@&{world.facilitator_role.id}> <@{world.member.id}> @here",
            "Zero\u200bwidth\u200c and\u200d joiners\u2060 stay, as do right-to-left "
            "marks: \u202egnirts desrever\u202c and \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d"
            "\u0628\u0627 in one line.",
            LONG_WORD,
            LONG_LINE,
            "```\nAn unclosed code fence, ||an unclosed spoiler, **bold without end, "
            "> a quote, and <@!123456789012345678> a nickname mention.",
            "The end of the reading, with ordinary words about reading together in a circle.",
        ]
    )


def _bot_messages(fake: FakeDiscord) -> list[FakeMessage]:
    return [
        m
        for messages in fake.state.messages.values()
        for m in messages.values()
        if m.author.id == fake.bot_user.id
    ]


async def test_a_text_made_to_ping_and_break_layouts_is_posted_whole_and_pings_nobody(
    bot: StudyCircleBot, fake_discord: FakeDiscord, clock: FakeClock
) -> None:
    world = fake_discord.world
    text = _hostile_text(fake_discord)
    added = await fake_discord.command(
        "reading add",
        {"file": fake_discord.upload("hostile.txt", text), "title": "@everyone <@&1> **x**"},
        user=world.facilitator,
    )
    assert added.embeds[0]["title"] == "Reading added", added.text
    assert added.answer is not None
    assert not added.answer.mention_everyone
    reading_id = added_reading_id(added)
    await create_schedule(fake_discord, reading=reading_id.strip())
    await advance_to(bot, clock, FIRST_DUE)

    [post] = fake_discord.messages_in(world.reading)
    [thread] = fake_discord.threads_in(world.reading)
    chunks = [m.content for m in fake_discord.messages_in(thread)]
    assert all(len(chunk) <= DISCORD_MESSAGE_LIMIT for chunk in chunks)
    # No text lost: every visible character of the upload is in the thread, in order.
    assert "".join("".join(chunks).split()) == "".join(text.split())
    for message in _bot_messages(fake_discord):
        assert message.mentions == [], message.content[:80]
        assert message.mention_roles == []
        assert not message.mention_everyone
    assert len(thread.name) <= 100
    assert post.embeds
    await _still_serving(fake_discord)


async def test_invisible_or_oversized_prompts_are_refused(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    choices = await fake_discord.autocomplete(
        "prompts show", {"section": ""}, focused="section", user=world.facilitator
    )
    assert choices.choices
    section = choices.choices[0]["value"]
    invisible = "\u200b" * 20 + "\u202e" * 5
    refused = await fake_discord.command(
        "prompts add", {"section": section, "text": invisible}, user=world.facilitator
    )
    assert "at least 10 characters" in refused.text

    shown = await fake_discord.command("prompts show", {"section": section}, user=world.facilitator)
    prompt_number = int(shown.embeds[0]["description"].split("#", 1)[1].split("`", 1)[0])
    opened = await fake_discord.command(
        "prompts edit", {"prompt": str(prompt_number)}, user=world.facilitator
    )
    assert opened.modal is not None
    edited = await fake_discord.submit_modal(
        opened, {"prompt:text": "What does <@&1> @everyone \u202esay\u202c about\u200b reading?"}
    )
    assert "now reads" in edited.text
    assert edited.answer is not None
    assert not edited.answer.mention_everyone
    assert edited.answer.mention_roles == []
    await _still_serving(fake_discord)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"start": "2027-02-30"}, "YYYY-MM-DD"),
        ({"start": "2027-02-29"}, "YYYY-MM-DD"),
        ({"start": "0000-01-01"}, "YYYY-MM-DD"),
        ({"start": "2027-03-01\u202e"}, "YYYY-MM-DD"),
        ({"start": "1999-12-31"}, "in the past"),
        ({"at": "24:00"}, "HH:MM"),
        ({"at": "18:00\u200b"}, "HH:MM"),
        ({"timezone": "../../../etc/passwd"}, "not a time zone"),
        ({"timezone": "/etc/localtime"}, "not a time zone"),
        ({"timezone": "Europe/Rome\u0000"}, "not a time zone"),
        ({"timezone": "x" * 4000}, "not a time zone"),
        ({"start": "9" * 4000}, "YYYY-MM-DD"),
        # 02:30 on the last Sunday of March does not exist in Rome: clocks jump 02:00 → 03:00.
        ({"start": "2027-03-28", "at": "02:30"}, "does not exist in Europe/Rome"),
        ({"start": "2027-03-14", "at": "02:30", "timezone": "America/New_York"}, "does not exist"),
    ],
)
async def test_dates_times_and_zones_that_do_not_exist_get_a_clear_answer(
    bot: StudyCircleBot, fake_discord: FakeDiscord, options: dict[str, str], message: str
) -> None:
    refused = await create_schedule(fake_discord, **options)
    assert refused.ephemeral
    assert message in refused.text, refused.text[:300]
    assert len(refused.text) <= DISCORD_MESSAGE_LIMIT
    listed = await fake_discord.command("schedule list", user=fake_discord.world.facilitator)
    assert "no reading schedule yet" in listed.text
    await _still_serving(fake_discord)


async def test_a_time_that_happens_twice_is_accepted_as_the_first(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    # 02:30 on 31 October 2027 happens twice in Rome (clocks go back 03:00 → 02:00).
    created = await create_schedule(fake_discord, start="2027-10-31", at="02:30")
    assert created.embeds[0]["title"] == "Schedule #1 created"
    next_post = next(f for f in created.embeds[0]["fields"] if f["name"] == "Next post")
    assert "<t:1824942600:F>" in next_post["value"]  # 00:30 UTC: the first 02:30, summer time


async def test_autocomplete_with_hostile_text_stays_within_discord_limits(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    for typed in ("x" * 4000, "\u202e\u200b", "%_*", "' OR 1=1 --"):
        for name, option in (
            ("schedule create", "timezone"),
            ("reading show", "reading"),
            ("prompts show", "section"),
        ):
            options = {option: typed}
            result = await fake_discord.autocomplete(
                name, options, focused=option, user=fake_discord.world.facilitator
            )
            assert result.choices is not None
            assert len(result.choices) <= 25
    await _still_serving(fake_discord)
