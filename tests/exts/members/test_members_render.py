"""The answer to `/join`: new or already in, with only the notes that say something."""

from __future__ import annotations

from bot.exts.members import render
from bot.services.members import JoinResult

HINT = "Mark what you've read with `/done` or the Done button on each post."


def test_joining_lists_the_notes_that_say_something_then_the_hint() -> None:
    joined = JoinResult(
        schedule_id=3, reading_id=1, role_id=None, current_thread_id=None, already_member=False
    )

    text = render.joined_text(joined, (render.NO_ROLE_PERMISSION, None))

    assert text.splitlines() == [
        "You're in the circle of schedule #3.",
        render.NO_ROLE_PERMISSION,
        HINT,
    ]


def test_joining_again_says_the_member_was_already_in() -> None:
    joined = JoinResult(
        schedule_id=3, reading_id=1, role_id=7, current_thread_id=None, already_member=True
    )

    text = render.joined_text(joined, (None, None))

    assert text == f"You were already in the circle of schedule #3.\n{HINT}"


def test_the_thread_line_promises_adding_only_to_an_active_thread() -> None:
    assert render.thread_note(42, active=True) == (
        "I'm adding you to the current section's thread: <#42>."
    )
    assert render.thread_note(42, active=False) == "The current section's thread: <#42>."
