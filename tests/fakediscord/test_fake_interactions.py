"""The fake's interaction payloads are parsed by discord.py as Discord's would be.

A probe cog (tests/fakediscord/probe.py) echoes what discord.py understood from each kind of
interaction: slash options of every type, deferrals and follow-ups, buttons, selects,
modals and autocomplete.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.app import StudyCircleBot
from tests.fakediscord import CallbackType, FakeDiscord, InteractionType, MessageFlags
from tests.fakediscord.probe import BOOKS, Probe, ProbeView


@pytest.fixture
async def probe(bot: StudyCircleBot, fake_discord: FakeDiscord) -> AsyncIterator[StudyCircleBot]:
    await bot.add_cog(Probe())
    result = await bot.sync_commands()
    assert result.synced
    yield bot
    await bot.remove_cog("Probe")


async def test_slash_options_resolve_to_discord_objects(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    upload = fake_discord.upload("notes.txt", "chapter one")
    result = await fake_discord.command(
        "probe echo",
        {
            "text": "hello",
            "count": 3,
            "who": world.other_member,
            "where": world.forum,
            "role": world.facilitator_role,
            "file": upload,
        },
        user=world.member,
        channel=world.reading,
    )

    assert result.callback_status == 200, result.requests[0].response
    assert result.content == (
        f"text=hello;count=3;who={world.other_member.id}:Member;where={world.forum.id};"
        f"role={world.facilitator_role.id};file=notes.txt:chapter one;guild={world.guild.id}"
    )
    assert result.message is not None
    assert result.message.channel_id == world.reading.id


def test_builders_refuse_what_discord_would_not_send(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    options = {
        "text": "x",
        "count": 3,
        "who": world.member,
        "where": world.general,
        "role": world.bot_role,
    }
    with pytest.raises(ValueError, match="required"):
        fake_discord.payloads.command(
            "probe echo", {"text": "x"}, user=world.member, channel=world.general
        )
    with pytest.raises(ValueError, match="range"):
        fake_discord.payloads.command(
            "probe echo", options | {"count": 11}, user=world.member, channel=world.general
        )
    with pytest.raises(ValueError, match="no option"):
        fake_discord.payloads.command(
            "probe echo", options | {"colour": "red"}, user=world.member, channel=world.general
        )
    with pytest.raises(ValueError, match="not registered"):
        fake_discord.payloads.command("nope", user=world.member, channel=world.general)
    with pytest.raises(ValueError, match="not a member"):
        fake_discord.payloads.command("circle about", user=world.outsider, channel=world.general)


async def test_deferred_answer_is_filled_in_by_the_first_followup(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.command("probe defer", user=fake_discord.world.member)

    assert result.callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE
    assert result.ephemeral
    # The first follow-up replaced the "thinking" message and kept the defer's visibility.
    assert result.message is not None
    assert not result.message.loading
    assert result.message.content == "first"
    assert result.message.flags == MessageFlags.EPHEMERAL
    await result.wait_for_followups(1)
    assert [m.content for m in result.followups] == ["second"]
    assert result.followups[0].ephemeral


async def test_an_interaction_settles_when_the_bot_has_finished_handling_it(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    # The follow-up comes after a pause without requests, well past a quiet spell's length:
    # the bot was still at work, so it is part of the result.
    result = await fake_discord.command(
        "probe work", {"seconds": 0.3}, user=fake_discord.world.member
    )

    assert result.content == "started"
    assert [m.content for m in result.followups] == ["finished"]


async def test_settling_does_not_wait_for_what_the_bot_does_later(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await fake_discord.command(
        "probe later", {"seconds": 30.0}, user=world.member, timeout=5.0
    )

    # Returned with the answer, not when waiting for the later post ran out.
    assert loop.time() - started < 4.5
    assert result.content == "now"
    cog = probe.get_cog("Probe")
    assert isinstance(cog, Probe)
    [later] = cog.later_posts
    assert not later.done()
    assert fake_discord.messages_in(world.general) == []


async def test_buttons_menus_and_modals_reach_the_bot_and_their_answers_the_message(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    panel = await fake_discord.command("probe panel", user=world.facilitator)
    message = panel.message
    assert message is not None
    assert not message.ephemeral
    assert message.custom_ids == ["probe:reflect", "probe:count", "probe:books", "probe:people"]
    assert fake_discord.messages_in(world.general) == [message]

    counted = await fake_discord.click(message, "probe:count", user=world.member)
    assert counted.callback_type == CallbackType.UPDATE_MESSAGE
    assert message.content == "counted"
    count_button = message.component("probe:count")
    assert count_button is not None
    assert count_button["label"] == "Counted"

    books = await fake_discord.choose(message, "probe:books", ["0", "3"], user=world.member)
    assert books.content == "books=0,3"

    people = await fake_discord.choose(
        message, "probe:people", [world.member, world.other_member], user=world.member
    )
    assert (
        people.content
        == f"people={','.join(sorted([str(world.member.id), str(world.other_member.id)]))}"
    )

    opened = await fake_discord.click(message, "probe:reflect", user=world.member)
    assert opened.callback_type == CallbackType.MODAL
    assert opened.modal is not None
    assert opened.modal["title"] == "Reflect"

    submitted = await fake_discord.submit_modal(
        opened, {"probe:reflection": "It made me think.", "probe:visibility": ["later"]}
    )
    assert submitted.type == InteractionType.MODAL_SUBMIT
    assert submitted.content == "reflection=It made me think.;note=;visibility=later"
    assert submitted.ephemeral

    with pytest.raises(ValueError, match="required"):
        fake_discord.payloads.modal_submit(
            opened.modal, {"probe:note": "x"}, user=world.member, channel=world.general
        )
    with pytest.raises(ValueError, match="not options"):
        fake_discord.payloads.select(message, "probe:books", ["9"], user=world.member)


async def test_autocomplete_returns_the_bots_choices(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.autocomplete(
        "probe pick", {"book": "the"}, focused="book", user=fake_discord.world.member
    )

    assert result.callback_type == CallbackType.AUTOCOMPLETE_RESULT
    assert [choice["name"] for choice in result.choices or []] == [
        b for b in BOOKS if "the" in b.lower()
    ]


async def test_a_late_answer_is_refused_like_discord_does(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    fake_discord.interaction_deadline = 0.1
    result = await fake_discord.command(
        "probe slow", {"seconds": 0.3}, user=fake_discord.world.member
    )

    assert not result.acknowledged
    assert result.callback_status == 404
    assert result.requests[0].response["code"] == 10062


async def test_interaction_can_be_answered_only_once(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    result = await fake_discord.command("circle about", user=fake_discord.world.member)
    first = await fake_discord.wait_for_request(
        "POST", f"/interactions/{result.id}/{{token}}/callback"
    )
    assert first.status == 200
    # Replaying the same callback is refused with Discord's 40060.
    url = f"{fake_discord.api_base}{first.path}?with_response=1"
    async with aiohttp.ClientSession() as session, session.post(url, json=first.json) as response:
        assert response.status == 400
        assert (await response.json())["code"] == 40060


async def test_a_button_in_a_direct_message_has_no_guild(
    probe: StudyCircleBot, fake_discord: FakeDiscord
) -> None:
    world = fake_discord.world
    user = await probe.fetch_user(world.member.id)
    await user.send("Your private ballot", view=ProbeView())
    [ballot] = fake_discord.dm_messages(world.member)

    result = await fake_discord.click(ballot, "probe:count", user=world.member)

    assert result.payload["context"] == 1
    assert "guild_id" not in result.payload
    assert result.callback_type == CallbackType.UPDATE_MESSAGE
    assert ballot.content == "counted"
