"""What /forget-me says: each feature's label with its count, in the right number."""

from __future__ import annotations

from bot.exts.privacy import render
from bot.services.reflections import REFLECTIONS_LABEL, SETTINGS_LABEL

NO_REFLECTIONS = {REFLECTIONS_LABEL: 0, SETTINGS_LABEL: 0}


def test_forget_me_reports_each_count_in_the_right_number() -> None:
    forgotten = {
        REFLECTIONS_LABEL: 1,
        SETTINGS_LABEL: 0,
        "sections marked read": 1,
        "circle memberships": 2,
        "ballots in open votes": 1,
        "topics made anonymous": 3,
        "ballots in closed votes": 0,
    }
    report = render.forget_report(forgotten, [])
    assert report == (
        "Done. I deleted 1 reflection, 1 section marked read, 2 circle memberships and "
        "1 ballot in open votes, and made 3 topics anonymous. Closed votes keep their totals."
    )
    # For one, the label's first plural word is made singular, wherever it stands.
    report = render.forget_report(
        {REFLECTIONS_LABEL: 0, SETTINGS_LABEL: 1, "circle memberships": 1}, []
    )
    assert report.startswith("Done. I deleted your settings and 1 circle membership.")
    # What is only made anonymous is said so, without a deletion of nothing.
    report = render.forget_report(NO_REFLECTIONS | {"schedules made anonymous": 1}, [])
    assert report == "Done. I made 1 schedule anonymous. Closed votes keep their totals."
    # Reflections alone make no list.
    report = render.forget_report(
        {REFLECTIONS_LABEL: 2, SETTINGS_LABEL: 0, "ballots in open votes": 0}, []
    )
    assert report == "Done. I deleted 2 reflections. Closed votes keep their totals."


def test_forget_mes_confirmation_leaves_out_what_is_zero_and_counts_one_in_the_singular() -> None:
    embed = render.forget_embed(
        {
            REFLECTIONS_LABEL: 0,
            SETTINGS_LABEL: 1,
            "circle memberships": 2,
            "ballots in open votes": 1,
            "topics made anonymous": 0,
        },
        {},
    )
    listed = [line for line in (embed.description or "").splitlines() if line.startswith("- ")]
    assert listed == ["- your settings", "- 2 circle memberships", "- 1 ballot in open votes"]
    assert "This cannot be undone." in (embed.description or "")

    nothing = render.forget_embed(NO_REFLECTIONS | {"reminder settings": 0}, {})
    assert nothing.description == "Nothing is kept about you here: there is nothing to delete."


def test_forget_mes_confirmation_says_a_features_note_after_its_count() -> None:
    notes = {"open ballots": "the votes count without them", "drafts": "never shown"}
    embed = render.forget_embed({"open ballots": 1, "drafts": 0, SETTINGS_LABEL: 1}, notes)
    listed = [line for line in (embed.description or "").splitlines() if line.startswith("- ")]
    # A label counted 0 is left out with its note; a label without a note is said alone.
    assert listed == ["- 1 open ballot (the votes count without them)", "- your settings"]


def test_forget_mes_report_says_none_of_the_first_thing_counted_when_nothing_was_left() -> None:
    report = render.forget_report(
        {SETTINGS_LABEL: 0, "topics made anonymous": 0, "open ballots": 0, "drafts": 0}, []
    )
    assert report == "Done. I deleted 0 open ballots. Closed votes keep their totals."
    report = render.forget_report({}, ["Some of your data could not be deleted just now."])
    assert report.startswith("Done. I deleted nothing. Closed votes keep their totals.\nSome")
