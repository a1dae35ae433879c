"""What /forget-me says: what each feature keeps, with its count, in the right number."""

from __future__ import annotations

from bot.exts.privacy import render
from bot.services.features import Kept
from bot.services.members import MEMBERSHIPS, SECTIONS_READ
from bot.services.reflections import REFLECTIONS, SETTINGS
from bot.services.reminders import REMINDER_SETTINGS
from bot.services.votes.service import CLOSED_BALLOTS, OPEN_BALLOTS, TOPICS

NO_REFLECTIONS = {REFLECTIONS: 0, SETTINGS: 0}
DRAFTS = Kept("draft", "drafts")


def test_forget_me_reports_each_count_in_the_right_number() -> None:
    forgotten = {
        REFLECTIONS: 1,
        SETTINGS: 0,
        SECTIONS_READ: 1,
        MEMBERSHIPS: 2,
        OPEN_BALLOTS: 1,
        TOPICS: 3,
        CLOSED_BALLOTS: 0,
    }
    report = render.forget_report(forgotten, [])
    assert report == (
        "Done. I deleted 1 reflection, 1 section marked read, 2 circle memberships and "
        "1 ballot in open votes, and made 3 topics anonymous. Closed votes keep their totals."
    )
    report = render.forget_report({REFLECTIONS: 0, SETTINGS: 1, MEMBERSHIPS: 1}, [])
    assert report.startswith("Done. I deleted your settings and 1 circle membership.")
    # What is only made anonymous is said so, without a deletion of nothing.
    report = render.forget_report(NO_REFLECTIONS | {TOPICS: 1}, [])
    assert report == "Done. I made 1 topic anonymous. Closed votes keep their totals."
    # Reflections alone make no list.
    report = render.forget_report({REFLECTIONS: 2, SETTINGS: 0, OPEN_BALLOTS: 0}, [])
    assert report == "Done. I deleted 2 reflections. Closed votes keep their totals."


def test_forget_mes_confirmation_leaves_out_what_is_zero_and_counts_one_in_the_singular() -> None:
    embed = render.forget_embed(
        {
            REFLECTIONS: 0,
            SETTINGS: 1,
            MEMBERSHIPS: 2,
            OPEN_BALLOTS: 1,
            TOPICS: 0,
            CLOSED_BALLOTS: 1,
        },
        {},
    )
    listed = [line for line in (embed.description or "").splitlines() if line.startswith("- ")]
    assert listed == [
        "- your settings",
        "- 2 circle memberships",
        "- 1 ballot in open votes",
        "- 1 ballot in closed votes made anonymous",
    ]
    assert "This cannot be undone." in (embed.description or "")

    nothing = render.forget_embed(NO_REFLECTIONS | {REMINDER_SETTINGS: 0}, {})
    assert nothing.description == "Nothing is kept about you here: there is nothing to delete."


def test_forget_mes_confirmation_says_a_features_note_after_its_count() -> None:
    notes = {OPEN_BALLOTS: "the votes count without them", DRAFTS: "never shown"}
    embed = render.forget_embed({OPEN_BALLOTS: 1, DRAFTS: 0, SETTINGS: 1}, notes)
    listed = [line for line in (embed.description or "").splitlines() if line.startswith("- ")]
    # What is counted 0 is left out with its note; what has no note is said alone.
    assert listed == [
        "- 1 ballot in open votes (the votes count without them)",
        "- your settings",
    ]


def test_forget_mes_report_says_none_of_the_first_thing_counted_when_nothing_was_left() -> None:
    report = render.forget_report({SETTINGS: 0, TOPICS: 0, OPEN_BALLOTS: 0, DRAFTS: 0}, [])
    assert report == "Done. I deleted 0 ballots in open votes. Closed votes keep their totals."
    report = render.forget_report({}, ["Some of your data could not be deleted just now."])
    assert report.startswith("Done. I deleted nothing. Closed votes keep their totals.\nSome")
