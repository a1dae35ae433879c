"""A vote's CSV export opens in a spreadsheet as typed (member text never becomes a formula),
and each method's ballots are written in that method's columns."""

from __future__ import annotations

import csv
import io

from bot.db.models import Vote
from bot.db.models.votes import VoteKind
from bot.services.votes.ballots import BallotRow
from bot.services.votes.export import BALLOT_COLUMNS, ballots_csv, csv_text
from bot.voting import METHODS, VoteMethod


def test_member_text_that_would_start_a_formula_is_shown_as_typed() -> None:
    rows: list[list[int | str]] = [
        ["option", "label", "count"],
        [1, '=HYPERLINK("http://evil.example","Tactics")', 3],
        [2, "+1 more", 0],
        [3, "-2", 1],
        [4, "@SUM(A1:A2)", 2],
        [5, "History", -1],
    ]
    read = list(csv.reader(io.StringIO(csv_text(rows))))
    assert read[1][1] == '\'=HYPERLINK("http://evil.example","Tactics")'
    assert [row[1] for row in read[2:]] == ["'+1 more", "'-2", "'@SUM(A1:A2)", "History"]
    assert read[5][2] == "-1"  # the bot's own numbers stay numbers


def test_every_vote_method_has_its_ballot_columns() -> None:
    assert set(BALLOT_COLUMNS) == set(METHODS)


def test_each_method_exports_its_ballots_in_its_own_columns() -> None:
    options = ["Tactics", "History", "Theory"]
    ballots = [BallotRow("11", 2, None), BallotRow("12", 0, None)]
    single = Vote(kind=VoteKind.OPTIONS, method=VoteMethod.SINGLE, options=options, secret=False)
    assert list(csv.reader(io.StringIO(ballots_csv(single, ballots)))) == [
        ["member_id", "option", "label"],
        ["11", "3", "Theory"],
        ["12", "1", "Tactics"],
    ]
    motion = Vote(kind=VoteKind.MOTION, method=VoteMethod.CONSENSUS, options=[], secret=True)
    stances = [BallotRow("a", "agree", None), BallotRow("b", "block", "Too fast")]
    assert list(csv.reader(io.StringIO(ballots_csv(motion, stances)))) == [
        ["ballot", "stance", "reason"],
        ["1", "agree", ""],
        ["2", "block", "Too fast"],
    ]
