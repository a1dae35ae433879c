"""The answers of topic and vote commands where their wording follows a rule: a count's
plural, whose topics, a secret or open ballot, the motion rule chosen."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.db.models.votes import VoteKind
from bot.exts.discord_limits import CONTENT_LIMIT
from bot.exts.votes import render
from bot.services.votes import Reminder, TopicScope
from bot.services.votes.export import Export
from bot.voting import VoteMethod, consensus
from bot.voting.consensus import Stance
from tests.exts.votes.helpers import closed_vote

RESULT_URL = "https://discord.com/channels/1/2/3"


def test_clearing_topics_counts_them_in_the_right_number_and_says_whose() -> None:
    channel = TopicScope(schedule_id=None, section_id=None, channel_id=5)
    circle = TopicScope(schedule_id=3, section_id=None, channel_id=5)

    assert render.cleared_text(1, channel, None) == "Removed 1 open topic for <#5>."
    assert (
        render.cleared_text(4, circle, "<@9>")
        == "Removed 4 open topics proposed by <@9> for the circle of schedule #3."
    )


def test_the_export_says_how_ballots_are_listed_secret_or_open() -> None:
    open_ballot = render.export_text(closed_vote(), RESULT_URL)
    secret = render.export_text(replace(closed_vote(), secret=True), None)

    assert open_ballot.startswith(f"Vote #7 ({RESULT_URL}): “Tactics” wins")
    assert open_ballot.endswith("\nThe ballot was open: each ballot carries the member's id.")
    assert secret.startswith("Vote #7: “Tactics” wins")
    assert secret.endswith("ballots are listed without names, in no particular order.")


def test_the_export_files_are_named_for_the_motion_they_hold() -> None:
    motion = replace(closed_vote(), kind=VoteKind.MOTION, id=12)
    export = Export(motion, "results\n", "ballots\n")

    names = [f.filename for f in render.export_files(export)]

    assert names == ["motion-12-results.csv", "motion-12-ballots.csv"]


def test_closing_links_the_result_when_it_has_a_message() -> None:
    vote = closed_vote()

    assert render.closed_text(vote, RESULT_URL) == f"Vote #7 is closed. The result: {RESULT_URL}"
    assert render.closed_text(vote, None) == "Vote #7 is closed."


def test_the_motion_rule_answer_says_which_rule_now_holds() -> None:
    assert render.motion_fallback_text(False) == (
        "From now on, a block stops a motion. Motions already open keep their rules."
    )
    assert render.motion_fallback_text(True).startswith(
        "From now on, a blocked motion still passes with a 3/4 supermajority"
    )


def test_a_digest_line_names_a_motion_as_a_motion() -> None:
    motion = replace(
        closed_vote(),
        kind=VoteKind.MOTION,
        method=VoteMethod.CONSENSUS,
        question="Meet weekly.",
        options=(),
        result=consensus.tally([(Stance.AGREE, None), (Stance.AGREE, None)]),
    )

    assert render.digest_line(motion) == (
        "Motion #7, “Meet weekly.”: passed (2 agree, 0 disagree, 0 stood aside, 0 blocked)."
    )


def test_a_reminder_pings_exactly_the_members_it_names() -> None:
    # More non-voters than one message can name: the first ones are named, the rest counted.
    ping = tuple(range(10**17, 10**17 + 200))
    content, allowed = render.reminder_message(Reminder(closed_vote(), len(ping), ping))
    named = [int(found) for found in re.findall(r"<@(\d+)>", content)]
    assert named == list(ping[: len(named)])
    assert content.endswith(f" and {len(ping) - len(named)} more.")
    assert len(content) <= CONTENT_LIMIT
    assert not allowed.everyone
    assert not allowed.roles
    assert isinstance(allowed.users, list)
    assert [user.id for user in allowed.users] == named
