"""A closed vote as CSV: its results, and its ballots (no names for secret ballots)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.db.models import Vote
from bot.db.models.votes import VoteKind
from bot.services.votes.ballots import BallotRow, VoteState
from bot.voting import VoteMethod, VoteResult


@dataclass(frozen=True)
class Export:
    vote: VoteState
    results_csv: str
    ballots_csv: str


# -- csv ----------------------------------------------------------------------------------


# A spreadsheet reads a cell starting with one of these as a formula (`=HYPERLINK(…)`).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> Any:
    """`value` as a spreadsheet shows it as typed: member text that would start a formula
    gets a leading apostrophe (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: list[list[Any]]) -> str:
    """`rows` as CSV, each cell safe to open in a spreadsheet."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [[spreadsheet_cell(cell) for cell in row] for row in rows]
    )
    return out.getvalue()


def results_csv(state: VoteState, result: VoteResult) -> str:
    place = {i: n for n, tier in enumerate(result.ranking, 1) for i in tier}
    rows: list[list[Any]] = [["option", "label", "count", "percent", "place", "outcome"]]
    for c in result.counts:
        outcome = "winner" if not state.is_motion and c.index == result.winner else ""
        rows.append(
            [
                c.index + 1,
                c.label,
                c.count,
                f"{float(c.share) * 100:.1f}",
                place.get(c.index, ""),
                outcome,
            ]
        )
    rows.append([])
    rows.append(["ballots", result.ballots])
    rows.append(["eligible", "" if state.eligible is None else state.eligible])
    rows.append(["quorum met", "yes" if result.quorum.met else "no"])
    rows.append(["result", result.headline()])
    return csv_text(rows)


def ballots_csv(vote: Vote, ballots: Sequence[BallotRow]) -> str:
    """One row per ballot. Open ballots name the member's id; secret ones are numbered."""
    who = "ballot" if vote.secret else "member_id"
    options = list(vote.options)
    if vote.kind == VoteKind.MOTION:
        header = [who, "stance", "reason"]
    elif vote.method == VoteMethod.SINGLE:
        header = [who, "option", "label"]
    else:
        # Approval: 1 for approved. Ranked: the place given (blank when unranked).
        header = [who, *(f"{n}. {label}" for n, label in enumerate(options, 1))]
    rows: list[list[Any]] = [header]
    for number, ballot in enumerate(ballots, 1):
        first = number if vote.secret else ballot.voter_key
        if vote.kind == VoteKind.MOTION:
            rows.append([first, ballot.choice, ballot.reason or ""])
        elif vote.method == VoteMethod.SINGLE:
            rows.append([first, int(ballot.choice) + 1, options[int(ballot.choice)]])
        elif vote.method == VoteMethod.APPROVAL:
            chosen = set(ballot.choice)
            rows.append([first, *(1 if i in chosen else 0 for i in range(len(options)))])
        else:
            place = {option: rank for rank, option in enumerate(ballot.choice, 1)}
            rows.append([first, *(place.get(i, "") for i in range(len(options)))])
    return csv_text(rows)
