"""Ranked voting decided by the Schulze method (a Condorcet method).

Each ballot ranks some or all options, best first; options left unranked share the last place.
Every pair of options is compared head to head: `preferred[i][j]` is the number of ballots that
put i above j. If one option beats every other, it is the Condorcet winner. Otherwise the
majorities can go round in a cycle (A beats B, B beats C, C beats A), and Schulze resolves it
with strongest paths: a path A → B → C is as strong as its weakest link (a link being a
head-to-head win, measured by its winning votes), and A ranks above C when the strongest path
from A to C is stronger than the strongest path back.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.voting.results import (
    NO_QUORUM,
    BallotError,
    OptionCount,
    QuorumRule,
    Reasons,
    VoteMethod,
    VoteResult,
    VoteRules,
    check_options,
    decide,
    names,
)

Matrix = tuple[tuple[int, ...], ...]


def validate(ranking: Sequence[int], options: int) -> tuple[int, ...]:
    """A ballot: distinct option indices, best first, at least one."""
    if not ranking:
        raise BallotError("Rank at least one option.")
    if len(set(ranking)) != len(ranking):
        raise BallotError("Each option can be ranked once.")
    check_options(ranking, options)
    return tuple(ranking)


def pairwise_counts(options: int, ballots: Iterable[Sequence[int]]) -> tuple[Matrix, int]:
    """`preferred[i][j]`: ballots ranking i above j (unranked options share the last place)."""
    d = [[0] * options for _ in range(options)]
    total = 0
    for ballot in ballots:
        total += 1
        place = {option: rank for rank, option in enumerate(ballot)}
        last = len(ballot)
        ranks = [place.get(i, last) for i in range(options)]
        for i in range(options):
            for j in range(options):
                if ranks[i] < ranks[j]:
                    d[i][j] += 1
    return tuple(tuple(row) for row in d), total


def strongest_paths(preferred: Matrix) -> Matrix:
    """Widest paths (Floyd–Warshall) over head-to-head wins measured by winning votes."""
    n = len(preferred)
    p = [
        [preferred[i][j] if i != j and preferred[i][j] > preferred[j][i] else 0 for j in range(n)]
        for i in range(n)
    ]
    for k in range(n):
        for i in range(n):
            if i == k:
                continue
            for j in range(n):
                if j in (i, k):
                    continue
                p[i][j] = max(p[i][j], min(p[i][k], p[k][j]))
    return tuple(tuple(row) for row in p)


def schulze_ranking(strongest: Matrix) -> tuple[tuple[int, ...], ...]:
    """Options best first; options in one group are tied (equal strongest paths both ways)."""
    remaining = set(range(len(strongest)))
    tiers = []
    while remaining:
        top = sorted(
            i
            for i in remaining
            if all(strongest[i][j] >= strongest[j][i] for j in remaining if j != i)
        )
        tiers.append(tuple(top))
        remaining -= set(top)
    return tuple(tiers)


@dataclass(frozen=True)
class Pairwise:
    """The head-to-head table, the strongest paths, and the Condorcet facts behind a result."""

    labels: tuple[str, ...]
    preferred: Matrix
    strongest: Matrix

    def beats(self, i: int, j: int) -> bool:
        return self.preferred[i][j] > self.preferred[j][i]

    @property
    def condorcet_winner(self) -> int | None:
        n = len(self.labels)
        for i in range(n):
            if all(self.beats(i, j) for j in range(n) if j != i):
                return i
        return None

    def cycle(self, through: int | None = None) -> tuple[int, ...] | None:
        """A shortest cycle of head-to-head wins (A beats B … beats A), through `through`
        when it lies on one; None when the wins go round nowhere."""
        n = len(self.labels)
        starts = ([through] if through is not None else []) + list(range(n))
        for start in starts:
            found = self._cycle_from(start)
            if found is not None:
                return found
        return None

    def _cycle_from(self, start: int) -> tuple[int, ...] | None:
        n = len(self.labels)
        came_from: dict[int, int] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            node = queue.popleft()
            for nxt in range(n):
                if nxt == node or not self.beats(node, nxt):
                    continue
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return tuple(reversed(path))
                if nxt not in seen:
                    seen.add(nxt)
                    came_from[nxt] = node
                    queue.append(nxt)
        return None

    def table(self, matrix: Matrix | None = None) -> str:
        """A monospace table with option numbers: row over column."""
        m = self.preferred if matrix is None else matrix
        n = len(self.labels)
        width = max(2, *(len(str(v)) for row in m for v in row), len(str(n)))
        head = " " * (len(str(n)) + 1) + " ".join(f"{j + 1:>{width}}" for j in range(n))
        rows = [head]
        for i in range(n):
            cells = " ".join(f"{'–' if i == j else m[i][j]:>{width}}" for j in range(n))
            rows.append(f"{i + 1:>{len(str(n))}} {cells}")
        return "\n".join(rows)

    def explain(self, winner: int | None, top: Sequence[int]) -> list[str]:
        lines = [
            "Ranked (Schulze): every pair of options is compared head to head; the table "
            "shows how many ballots put the row's option above the column's."
        ]
        condorcet = self.condorcet_winner
        if condorcet is not None:
            lines.append(
                f"“{self.labels[condorcet]}” beats every other option head to head "
                "(a Condorcet winner), so it comes first."
            )
            return lines
        lead = winner if winner is not None else (top[0] if top else None)
        cycle = self.cycle(through=lead)
        if cycle is not None:
            links = [
                f"“{self.labels[a]}” beats “{self.labels[b]}” "
                f"{self.preferred[a][b]}–{self.preferred[b][a]}"
                for a, b in zip(cycle, (*cycle[1:], cycle[0]), strict=True)
            ]
            lines.append(
                "No option beats every other head to head. The majorities go round in a "
                f"Condorcet cycle: {', '.join(links)}."
            )
        else:
            lines.append("No option beats every other head to head (some pairs tie).")
        lines.append(
            "Schulze resolves it with strongest paths: a chain of head-to-head wins is as "
            "strong as its weakest win, and an option ranks above another when its strongest "
            "path to it is stronger than the strongest path back."
        )
        if lead is not None and len(self.labels) > 1:
            parts = [
                f"to “{self.labels[j]}” {self.strongest[lead][j]} vs {self.strongest[j][lead]}"
                for j in range(len(self.labels))
                if j != lead
            ]
            who = names(top, self.labels) if len(top) > 1 else f"“{self.labels[lead]}”"
            lines.append(f"Strongest paths from {who}: " + "; ".join(parts) + ".")
        return lines


def tally(
    labels: Sequence[str],
    ballots: Iterable[Sequence[int]],
    *,
    quorum: QuorumRule = NO_QUORUM,
    tiebreak: Sequence[int] | None = None,
) -> VoteResult:
    """Schulze over ranked ballots. Counts are first preferences, for a sense of support."""
    materialised = [tuple(b) for b in ballots]
    n = len(labels)
    preferred, total = pairwise_counts(n, materialised)
    strongest = strongest_paths(preferred)
    ranking = schulze_ranking(strongest)
    firsts = [0] * n
    for ballot in materialised:
        if ballot:
            firsts[ballot[0]] += 1
    rows = [OptionCount(i, label, firsts[i], total) for i, label in enumerate(labels)]
    pairwise = Pairwise(tuple(labels), preferred, strongest)
    result = decide(
        VoteMethod.RANKED,
        labels,
        total,
        rows,
        ranking if total else (),
        quorum=quorum,
        tiebreak=tiebreak,
        pairwise=pairwise,
    )
    notes = pairwise.explain(result.winner, result.top) if total else []
    notes.append("The bars count first preferences.")
    return replace(result, notes=tuple(notes))


def check_ballot(rules: VoteRules, choice: Any, reason: str | None) -> tuple[list[int], None]:
    """The ballot as stored: the ranking, as a list (JSON has no tuples, and a stored ballot
    reads back as one)."""
    return list(validate([int(i) for i in choice], len(rules.labels))), None


def count(rules: VoteRules, choices: Sequence[Any], reasons: Reasons) -> VoteResult:
    """The vote's result over its stored ballots."""
    return tally(rules.labels, choices, quorum=rules.quorum, tiebreak=rules.tiebreak)
