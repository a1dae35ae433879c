"""A closed vote as CSV: its results, and its ballots (no names for secret ballots)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.db.models import Vote
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


@dataclass(frozen=True)
class BallotColumns:
    """How a method's ballots read in the export: the columns after the voter's, and a
    ballot's cells in them, both given the vote's option labels."""

    header: Callable[[Sequence[str]], list[str]]
    cells: Callable[[BallotRow, Sequence[str]], list[Any]]


def _option_columns(options: Sequence[str]) -> list[str]:
    return [f"{n}. {label}" for n, label in enumerate(options, 1)]


def _approved(ballot: BallotRow, options: Sequence[str]) -> list[Any]:
    chosen = set(ballot.choice)
    return [1 if i in chosen else 0 for i in range(len(options))]


def _places(ballot: BallotRow, options: Sequence[str]) -> list[Any]:
    place = {option: rank for rank, option in enumerate(ballot.choice, 1)}
    return [place.get(i, "") for i in range(len(options))]


# By the vote's method, as `bot.voting.METHODS` checks and counts its ballots (a motion's
# method is always consensus).
BALLOT_COLUMNS: Mapping[VoteMethod, BallotColumns] = {
    VoteMethod.CONSENSUS: BallotColumns(
        lambda options: ["stance", "reason"],
        lambda ballot, options: [ballot.choice, ballot.reason or ""],
    ),
    VoteMethod.SINGLE: BallotColumns(
        lambda options: ["option", "label"],
        lambda ballot, options: [int(ballot.choice) + 1, options[int(ballot.choice)]],
    ),
    # 1 for approved.
    VoteMethod.APPROVAL: BallotColumns(_option_columns, _approved),
    # The place given (blank when unranked).
    VoteMethod.RANKED: BallotColumns(_option_columns, _places),
}


def ballots_csv(vote: Vote, ballots: Sequence[BallotRow]) -> str:
    """One row per ballot. Open ballots name the member's id; secret ones are numbered."""
    columns = BALLOT_COLUMNS[VoteMethod(vote.method)]
    options = list(vote.options)
    rows: list[list[Any]] = [["ballot" if vote.secret else "member_id", *columns.header(options)]]
    for number, ballot in enumerate(ballots, 1):
        first = number if vote.secret else ballot.voter_key
        rows.append([first, *columns.cells(ballot, options)])
    return csv_text(rows)
