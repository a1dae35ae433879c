"""Steps of reflection tests that other tests take too: writing a reflection on a post."""

from __future__ import annotations

from bot.exts.reflections.modals import TEXT_ID, VISIBILITY_ID
from tests.fakediscord import FakeDiscord, FakeMessage, FakeUser, InteractionResult


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
