"""Another guild's ids are "not found" on every command that takes an id, and never offered.

Guild A has its own reading, a schedule that posted a section, and prompts; a facilitator
and a member of guild B try each of A's ids on each command. Every answer is a private "not
found" (or "not posted in this server"), and nothing of A's changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.app import StudyCircleBot
from bot.db.models import Prompt, Reading, Schedule, Section
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.readings.helpers import seed_reading_id
from tests.exts.schedules.helpers import create_schedule
from tests.fakediscord import FakeDiscord, InteractionType
from tests.fakediscord.model import DefaultWorld

ESSAY = "# Ours\n\n" + "Guild A reads this together, slowly and with care. " * 60
NOT_HERE = ("in this server", "not been posted in this server")


@pytest.fixture
async def other(bot: StudyCircleBot, fake_discord: FakeDiscord) -> DefaultWorld:
    """Guild B, which the bot joins while running."""
    world = await fake_discord.add_world("Second Room")
    await fake_discord.wait_until(
        lambda: bot.get_guild(world.guild.id) is not None, what="the bot to see guild B"
    )
    return world


async def _guild_a(bot: StudyCircleBot, fake: FakeDiscord, clock: FakeClock) -> dict[str, int]:
    """Guild A's reading, schedule (with section 1 posted), section and prompt ids."""
    world = fake.world
    added = await fake.command(
        "reading add", {"file": fake.upload("ours.md", ESSAY)}, user=world.facilitator
    )
    assert added.embeds[0]["title"] == "Reading added"
    await create_schedule(fake)
    await advance_to(bot, clock, FIRST_DUE)
    await fake.command("join", user=world.member)
    async with bot.database.session() as session:
        reading = await session.scalar(select(Reading).where(Reading.title == "Ours"))
        schedule = await session.scalar(select(Schedule))
        assert reading is not None
        assert schedule is not None
        posted = await session.scalar(
            select(Section).where(Section.reading_id == schedule.reading_id, Section.position == 1)
        )
        prompt = await session.scalar(
            select(Prompt).join(Section).where(Section.reading_id == reading.id).limit(1)
        )
        assert posted is not None
        assert prompt is not None
        return {
            "reading": reading.id,
            "schedule": schedule.id,
            "section": posted.id,
            "prompt": prompt.id,
        }


def _refused(result: Any, what: str) -> None:
    assert result.ephemeral, what
    assert any(phrase in result.text for phrase in NOT_HERE), (what, result.text)


async def test_every_command_refuses_another_guilds_ids(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    other: DefaultWorld,
) -> None:
    ids = await _guild_a(bot, fake_discord, clock)
    reading, schedule = str(ids["reading"]), str(ids["schedule"])
    section, prompt = str(ids["section"]), str(ids["prompt"])
    # B has a schedule of its own, so commands that pick "the only schedule" cannot fall back.
    await fake_discord.command(
        "schedule create",
        {
            "reading": await _bundled_id(fake_discord, other),
            "channel": other.reading,
            "start": "2027-03-01",
            "at": "18:00",
            "timezone": "Europe/Rome",
        },
        user=other.facilitator,
        channel=other.general,
    )
    facilitator_calls: list[tuple[str, dict[str, Any]]] = [
        ("reading show", {"reading": reading}),
        ("reading remove", {"reading": reading}),
        ("prompts show", {"section": section}),
        ("prompts add", {"section": section, "text": "What does guild B think of this?"}),
        ("prompts edit", {"prompt": prompt}),
        ("prompts remove", {"prompt": prompt}),
        ("prompts regenerate", {"section": section}),
        (
            "schedule create",
            {
                "reading": reading,
                "channel": other.reading,
                "start": "2027-03-01",
                "at": "18:00",
                "timezone": "Europe/Rome",
            },
        ),
        *((f"schedule {action}", {"schedule": schedule}) for action in _SCHEDULE_ACTIONS),
    ]
    for name, options in facilitator_calls:
        result = await fake_discord.command(
            name, options, user=other.facilitator, channel=other.general
        )
        _refused(result, f"/{name}")
    for name in ("join", "leave", "done", "progress", "catchup"):
        result = await fake_discord.command(
            name, {"schedule": schedule}, user=other.member, channel=other.general
        )
        _refused(result, f"/{name}")

    # A Done button carrying A's section id, pressed in B (a forged or copied component).
    [post] = fake_discord.messages_in(fake_discord.world.reading)
    payload = fake_discord.payloads.base(
        InteractionType.MESSAGE_COMPONENT,
        {"custom_id": f"sc:done:{section}", "component_type": 2},
        user=other.member,
        channel=other.general,
        message=post,
    )
    _refused(await fake_discord.interact(payload), "the Done button")

    # Nothing of A's changed.
    world = fake_discord.world
    status = await fake_discord.command("schedule status", user=world.member)
    assert "active" in status.text
    assert "1 of" in status.text
    shown = await fake_discord.command("reading show", {"reading": reading}, user=world.member)
    assert "Ours" in shown.text
    prompts = await fake_discord.command("prompts show", {"section": section}, user=world.member)
    assert "guild B" not in prompts.text


_SCHEDULE_ACTIONS = ("status", "pause", "resume", "skip", "post-now", "delete")


async def _bundled_id(fake: FakeDiscord, world: DefaultWorld) -> str:
    return await seed_reading_id(fake, world)


async def test_autocomplete_never_offers_another_guilds_items(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    other: DefaultWorld,
) -> None:
    ids = await _guild_a(bot, fake_discord, clock)
    offered: list[str] = []
    for name, option in (
        ("reading show", "reading"),
        ("prompts show", "section"),
        ("prompts edit", "prompt"),
        ("schedule status", "schedule"),
        ("join", "schedule"),
    ):
        result = await fake_discord.autocomplete(
            name,
            {option: ""},
            focused=option,
            user=other.facilitator,
            channel=other.general,
        )
        offered += [str(c["value"]) for c in result.choices or []]
        offered += [str(c["name"]) for c in result.choices or []]
    assert str(ids["reading"]) not in offered
    assert str(ids["section"]) not in offered
    assert str(ids["prompt"]) not in offered
    assert not any("Ours" in text for text in offered)


async def test_votes_topics_and_reflections_of_another_guild_are_not_found(
    bot: StudyCircleBot,
    fake_discord: FakeDiscord,
    clock: FakeClock,
    other: DefaultWorld,
) -> None:
    world = fake_discord.world
    ids = await _guild_a(bot, fake_discord, clock)
    schedule = ids["schedule"]
    proposed = await fake_discord.command(
        "topic propose", {"text": "Guild A's own question"}, user=world.member
    )
    assert proposed.ephemeral, proposed.text
    opened = await fake_discord.command(
        "vote open",
        {"question": "Which part next?", "options": "One; Two", "method": "single"},
        user=world.facilitator,
    )
    assert "is open" in opened.text, opened.text
    vote_message = fake_discord.messages_in(world.general)[-1]
    vote_id = vote_message.custom_ids[0].split(":")[2]
    async with bot.database.session() as session:
        from bot.db.models import Topic

        topic_id = str(await session.scalar(select(Topic.id)))

    for name, options in (
        ("vote close", {"vote": vote_id}),
        ("vote export", {"vote": vote_id}),
        ("topic withdraw", {"topic": topic_id}),
        ("topic remove", {"topic": topic_id}),
        ("topic merge", {"topic": topic_id, "into": str(int(topic_id) + 1000)}),
        ("reflect", {"section": f"{schedule}:1"}),
        ("reflections summary", {"section": f"{schedule}:1"}),
        ("digest", {"section": f"{schedule}:1"}),
    ):
        result = await fake_discord.command(
            name, options, user=other.facilitator, channel=other.general
        )
        assert result.ephemeral, name
        assert result.modal is None, name
        assert "in this server" in result.text or "no schedule" in result.text.lower(), (
            name,
            result.text,
        )

    # Buttons carrying guild A's ids, pressed in guild B.
    [post] = fake_discord.messages_in(world.reading)
    for message, custom_id in (
        (vote_message, vote_message.custom_ids[0]),
        (post, next(c for c in post.custom_ids if c.startswith("sc:reflect:"))),
    ):
        payload = fake_discord.payloads.base(
            InteractionType.MESSAGE_COMPONENT,
            {"custom_id": custom_id, "component_type": 2},
            user=other.member,
            channel=other.general,
            message=message,
        )
        pressed = await fake_discord.interact(payload)
        assert pressed.modal is None, custom_id
        _refused(pressed, custom_id)

    # Nothing of A's changed: the vote is open with no ballot, the topic stands.
    status = await fake_discord.command("topic list", user=world.member)
    assert "Guild A's own question" in status.text
    async with bot.database.session() as session:
        from bot.db.models import Ballot, Vote

        vote = await session.get_one(Vote, int(vote_id))
        assert vote.status == "open"
        assert await session.scalar(select(Ballot.id)) is None
