"""Model-written prompts through the fake Discord and a fake model server: `/reading add`
answers at once, the job writes the prompts, `/prompts show` marks them, `/prompts engine`
switches the model off and on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import StudyCircleBot
from bot.services.model_prompts import ChatEndpoint
from bot.settings import Settings
from tests.exts.readings.helpers import added_reading_id
from tests.fakediscord import FakeDiscord
from tests.fakediscord.fixtures import make_settings, running_bot
from tests.fakemodel import FakeModel, hang, status

ESSAY = """# The Commons

A commons is a resource that a community manages together, by rules it sets for itself. Its
members decide who may use the pasture, when, and how much, and they change the rules when
the pasture tells them to.

Critics said that shared land is always overused. Elinor Ostrom showed that many villages
kept their common pastures healthy for centuries, because neighbours watched each other and
punished cheats with small fines first.
"""


@pytest.fixture
async def model_bot(
    bot_settings: Settings, fake_discord: FakeDiscord, database_url: str, fake_model: FakeModel
) -> AsyncIterator[StudyCircleBot]:
    settings = make_settings(
        fake_discord,
        database_url,
        PROMPTS_LLM_BASE_URL=fake_model.base_url,
        PROMPTS_LLM_MODEL="study-test",
    )
    async with running_bot(settings, fake_discord) as running:
        # Retries pause a hundredth of the real pause: the failing model's tests wait out
        # three tries without the seconds between them.
        model = running.services.model_prompts
        assert model.config is not None
        model.endpoint = ChatEndpoint(model.config, backoff=0.01)
        yield running


async def _add(fake: FakeDiscord) -> str:
    added = await fake.command(
        "reading add", {"file": fake.upload("commons.md", ESSAY)}, user=fake.world.facilitator
    )
    assert added.embeds[0]["title"] == "Reading added"
    fields = {f["name"]: f["value"] for f in added.embeds[0]["fields"]}
    assert "A language model is writing the discussion prompts" in fields["Prompts"]
    reading_id = added_reading_id(added)
    shown = await fake.command("reading show", {"reading": reading_id}, user=fake.world.member)
    description: str = shown.embeds[0]["description"]
    return description.split("\n")[0]


async def _section_id(fake: FakeDiscord) -> str:
    choices = await fake.autocomplete(
        "prompts show", {"section": "Commons"}, focused="section", user=fake.world.member
    )
    assert choices.choices is not None
    return str(choices.choices[0]["value"])


async def _wait_for_model(bot: StudyCircleBot, fake: FakeModel, requests: int) -> None:
    await fake.wait_for_requests(requests)
    await bot.scheduler.wait_idle()


async def test_reading_add_answers_at_once_and_the_model_writes_the_prompts(
    model_bot: StudyCircleBot, fake_discord: FakeDiscord, fake_model: FakeModel
) -> None:
    await _add(fake_discord)
    await _wait_for_model(model_bot, fake_model, 1)
    section = await _section_id(fake_discord)
    shown = await fake_discord.command(
        "prompts show", {"section": section}, user=fake_discord.world.member
    )
    description = shown.embeds[0]["description"]
    assert description.count("· by the model") == 3
    assert "footer" not in shown.embeds[0]
    assert "Elinor Ostrom" in fake_model.requests[0].section


async def test_a_failing_model_leaves_the_engines_prompts_and_says_so(
    model_bot: StudyCircleBot, fake_discord: FakeDiscord, fake_model: FakeModel
) -> None:
    fake_model.then(status(500), status(500), status(500))
    await _add(fake_discord)
    await _wait_for_model(model_bot, fake_model, 3)
    section = await _section_id(fake_discord)
    shown = await fake_discord.command(
        "prompts show", {"section": section}, user=fake_discord.world.member
    )
    embed = shown.embeds[0]
    assert "by the model" not in embed["description"]
    assert embed["description"].count("`#") >= 3
    assert (
        "could not write these prompts (it answered HTTP 500, 3 times)" in embed["footer"]["text"]
    )


async def test_a_facilitator_turns_the_model_off_and_on(
    model_bot: StudyCircleBot, fake_discord: FakeDiscord, fake_model: FakeModel
) -> None:
    world = fake_discord.world
    refused = await fake_discord.command("prompts engine", {"use": "rules"}, user=world.member)
    assert "Only facilitators" in refused.text
    off = await fake_discord.command("prompts engine", {"use": "rules"}, user=world.facilitator)
    assert off.ephemeral
    assert "rule-based engine writes" in off.text
    added = await fake_discord.command(
        "reading add", {"file": fake_discord.upload("commons.md", ESSAY)}, user=world.facilitator
    )
    assert "Prompts" not in [f["name"] for f in added.embeds[0]["fields"]]
    section = await _section_id(fake_discord)
    await fake_discord.command("prompts regenerate", {"section": section}, user=world.facilitator)
    await model_bot.scheduler.wait_idle()
    assert fake_model.requests == []

    on = await fake_discord.command("prompts engine", {"use": "model"}, user=world.facilitator)
    assert "language model writes" in on.text
    # The model answers a moment later, as a real one does: the answer to the command comes
    # while it is writing (an instant answer could have been stored first).
    fake_model.then(hang(0.5))
    regenerated = await fake_discord.command(
        "prompts regenerate", {"section": section}, user=world.facilitator
    )
    assert "The model is writing" in regenerated.embeds[0]["footer"]["text"]
    await _wait_for_model(model_bot, fake_model, 1)
    shown = await fake_discord.command("prompts show", {"section": section}, user=world.member)
    assert shown.embeds[0]["description"].count("· by the model") == 3
    status_now = await fake_discord.command("prompts engine", user=world.facilitator)
    assert "language model writes" in status_now.text


async def test_without_an_endpoint_prompts_engine_explains_and_nothing_is_sent(
    bot: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    answered = await fake_discord.command(
        "prompts engine", {"use": "model"}, user=fake_discord.world.facilitator
    )
    assert answered.ephemeral
    assert "No language model is set up" in answered.text
