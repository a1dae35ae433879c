"""Steps of reflection tests that other tests take too: a first section posted, writing a
reflection on it, and finding what the thread and the modal show."""

from __future__ import annotations

from typing import Any

from bot.app import StudyCircleBot
from bot.exts.reflections.modals import TEXT_ID, VISIBILITY_ID
from bot.scheduling.clock import FakeClock
from tests.clocked import FIRST_DUE, advance_to
from tests.exts.readings.helpers import seed_reading_id
from tests.fakediscord import FakeChannel, FakeDiscord, FakeMessage, FakeUser, InteractionResult


def reflect_button_id(post: FakeMessage) -> str:
    """The custom id of the post's Reflect button."""
    return next(c for c in post.custom_ids if c.startswith("sc:reflect:"))


async def write_reflection(
    fake: FakeDiscord,
    post: FakeMessage,
    user: FakeUser,
    text: str,
    visibility: str = "private",
    **values: object,
) -> InteractionResult:
    """`user` clicks the post's Reflect button and submits `text` with `visibility`, and any
    other modal `values`; the submission's result."""
    opened = await fake.click(post, reflect_button_id(post), user=user)
    assert opened.modal is not None, opened.text
    return await fake.submit_modal(
        opened, {TEXT_ID: text, VISIBILITY_ID: [visibility], **values}, user=user
    )


async def first_section(
    bot: StudyCircleBot, fake: FakeDiscord, clock: FakeClock, channel: FakeChannel | None = None
) -> FakeMessage:
    """A daily schedule whose first section has just been posted; its announcement."""
    world = fake.world
    reading = await seed_reading_id(fake)
    created = await fake.command(
        "schedule create",
        {
            "reading": reading,
            "channel": channel or world.reading,
            "start": "2027-03-01",
            "at": "18:00",
            "timezone": "Europe/Rome",
            "cadence": "daily",
        },
        user=world.facilitator,
    )
    assert created.embeds[0]["title"] == "Schedule #1 created", created.text
    await advance_to(bot, clock, FIRST_DUE)
    if channel is not None and channel.is_forum:
        [post] = fake.threads_in(channel)
        return fake.messages_in(post)[0]
    [announcement] = fake.messages_in(world.reading)
    return announcement


def thread_of(fake: FakeDiscord, post: FakeMessage) -> FakeChannel:
    return fake.state.channels[post.id]


def reflections_in(fake: FakeDiscord, thread: FakeChannel) -> list[FakeMessage]:
    """The thread's messages that show reflections (not the section's text, not digests)."""
    return [
        m
        for m in fake.messages_in(thread)
        if m.embeds
        and any("Reflection #" in (e.get("footer") or {}).get("text", "") for e in m.embeds)
    ]


def digests_in(fake: FakeDiscord, thread: FakeChannel) -> list[FakeMessage]:
    return [
        m
        for m in fake.messages_in(thread)
        if m.embeds and (m.embeds[0].get("footer") or {}).get("text", "").startswith("Digest")
    ]


def modal_parts(modal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The modal's labelled inputs by custom_id, each with its label (JSON, as the fake
    Discord keeps a modal)."""
    found: dict[str, dict[str, Any]] = {}
    for component in modal["components"]:
        if component["type"] == 18:
            inner = component["component"]
            found[inner["custom_id"]] = {"label": component["label"], **inner} | {
                "description": component.get("description")
            }
    return found
