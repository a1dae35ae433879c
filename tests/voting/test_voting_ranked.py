"""Ranked votes decided by Schulze: textbook cases, a Condorcet cycle, and agreement with an
independent reference written here (strongest paths by enumerating every simple path)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.voting import BallotError, ranked

# Wikipedia's Schulze example: 45 voters, five candidates.
WIKI_LABELS = ("A", "B", "C", "D", "E")
WIKI_PROFILE = [
    (5, "ACBED"),
    (5, "ADECB"),
    (8, "BEDAC"),
    (3, "CABED"),
    (7, "CAEBD"),
    (2, "CBADE"),
    (7, "DCEBA"),
    (8, "EBADC"),
]


def expand(profile: list[tuple[int, str]], labels: tuple[str, ...]) -> list[tuple[int, ...]]:
    return [tuple(labels.index(c) for c in order) for n, order in profile for _ in range(n)]


def reference_strongest(ballots: list[tuple[int, ...]], n: int) -> list[list[int]]:
    """Strongest paths the slow, obvious way: every simple path, its weakest winning link."""
    d = [[0] * n for _ in range(n)]
    for ballot in ballots:
        rank = {c: r for r, c in enumerate(ballot)}
        for i in range(n):
            for j in range(n):
                if i != j and rank.get(i, n) < rank.get(j, n):
                    d[i][j] += 1

    def link(a: int, b: int) -> int:
        return d[a][b] if d[a][b] > d[b][a] else 0

    best = [[0] * n for _ in range(n)]

    def walk(start: int, node: int, visited: frozenset[int], weakest: int) -> None:
        for nxt in range(n):
            if nxt in visited or link(node, nxt) == 0:
                continue
            strength = min(weakest, link(node, nxt))
            best[start][nxt] = max(best[start][nxt], strength)
            walk(start, nxt, visited | {nxt}, strength)

    for start in range(n):
        walk(start, start, frozenset({start}), 10**9)
    return best


def reference_winners(strongest: list[list[int]]) -> set[int]:
    n = len(strongest)
    return {i for i in range(n) if all(strongest[i][j] >= strongest[j][i] for j in range(n))}


def test_the_wikipedia_example_gives_e_a_c_b_d() -> None:
    result = ranked.tally(WIKI_LABELS, expand(WIKI_PROFILE, WIKI_LABELS))
    assert result.pairwise is not None
    assert result.pairwise.preferred == (
        (0, 20, 26, 30, 22),
        (25, 0, 16, 33, 18),
        (19, 29, 0, 17, 24),
        (15, 12, 28, 0, 14),
        (23, 27, 21, 31, 0),
    )
    assert result.pairwise.strongest == (
        (0, 28, 28, 30, 24),
        (25, 0, 28, 33, 24),
        (25, 29, 0, 29, 24),
        (25, 28, 28, 0, 24),
        (25, 28, 28, 31, 0),
    )
    assert result.ranking == ((4,), (0,), (2,), (1,), (3,))
    assert result.winner == 4
    assert any("Condorcet cycle" in note for note in result.notes)


def test_a_condorcet_winner_wins_even_against_a_plurality_leader() -> None:
    # Tennessee's capital: Memphis leads on first preferences, Nashville beats every city.
    labels = ("Memphis", "Nashville", "Chattanooga", "Knoxville")
    profile = [(42, "MNCK"), (26, "NCKM"), (15, "CKNM"), (17, "KCNM")]
    ballots = [tuple("MNCK".index(c) for c in order) for n, order in profile for _ in range(n)]
    result = ranked.tally(labels, ballots)
    assert result.counts[0].count == 42
    assert result.winner == 1
    assert result.pairwise is not None
    assert result.pairwise.condorcet_winner == 1
    assert any("Condorcet winner" in note for note in result.notes)


def test_a_condorcet_cycle_is_shown_and_resolved_by_schulze() -> None:
    labels = ("Rock", "Paper", "Scissors")
    ballots = [(0, 2, 1)] * 5 + [(2, 1, 0)] * 4 + [(1, 0, 2)] * 3
    result = ranked.tally(labels, ballots)
    assert result.pairwise is not None
    assert result.pairwise.condorcet_winner is None
    cycle = result.pairwise.cycle()
    assert cycle is not None
    assert sorted(cycle) == [0, 1, 2]
    text = " ".join(result.notes)
    assert "Condorcet cycle" in text
    assert "strongest paths" in text
    assert result.winner == 0
    assert "“Rock” beats “Scissors” 8–4" in text


def test_a_perfect_cycle_is_a_three_way_tie_broken_by_the_published_order() -> None:
    ballots = [(0, 1, 2), (1, 2, 0), (2, 0, 1)]
    result = ranked.tally(("A", "B", "C"), ballots, tiebreak=(1, 2, 0))
    assert result.top == (0, 1, 2)
    assert result.winner == 1
    assert result.tie_break is not None
    assert "Tie at the top: “A”, “B” and “C” (equal strongest paths)." in result.tie_lines()


def test_unranked_options_share_the_last_place() -> None:
    result = ranked.tally(("A", "B", "C"), [(0,), (1, 0)])
    assert result.pairwise is not None
    assert result.pairwise.preferred[0][2] == 2
    assert result.pairwise.preferred[1][2] == 1
    assert result.pairwise.preferred[2][0] == 0


def test_the_pairwise_table_is_readable_text() -> None:
    result = ranked.tally(("A", "B"), [(0, 1), (0, 1), (1, 0)])
    assert result.pairwise is not None
    assert result.pairwise.table().splitlines() == ["   1  2", "1  –  2", "2  1  –"]


@pytest.mark.parametrize(
    ("ballot", "message"), [((), "at least one"), ((0, 0), "once"), ((5,), "not on this vote")]
)
def test_bad_rankings_are_refused(ballot: tuple[int, ...], message: str) -> None:
    with pytest.raises(BallotError, match=message):
        ranked.validate(ballot, 3)


@st.composite
def profiles(draw: st.DrawFn) -> tuple[int, list[tuple[int, ...]]]:
    n = draw(st.integers(1, 5))
    ballot = st.permutations(range(n)).flatmap(
        lambda order: st.integers(1, n).map(lambda k: tuple(order[:k]))
    )
    return n, draw(st.lists(ballot, max_size=25))


@settings(max_examples=300)
@given(profiles())
def test_schulze_agrees_with_the_reference_on_random_profiles(
    profile: tuple[int, list[tuple[int, ...]]],
) -> None:
    n, ballots = profile
    labels = tuple(f"O{i}" for i in range(n))
    result = ranked.tally(labels, ballots)
    assert result.pairwise is not None
    expected = reference_strongest(ballots, n)
    assert [list(row) for row in result.pairwise.strongest] == expected
    if ballots:
        assert set(result.top) == reference_winners(expected)


@given(profiles())
def test_pairwise_counts_never_exceed_the_ballots(
    profile: tuple[int, list[tuple[int, ...]]],
) -> None:
    n, ballots = profile
    preferred, total = ranked.pairwise_counts(n, ballots)
    assert total == len(ballots)
    for i in range(n):
        for j in range(n):
            assert preferred[i][j] + preferred[j][i] <= total


@given(profiles())
def test_a_condorcet_winner_is_always_the_schulze_winner(
    profile: tuple[int, list[tuple[int, ...]]],
) -> None:
    n, ballots = profile
    result = ranked.tally(tuple(map(str, range(n))), ballots)
    assert result.pairwise is not None
    condorcet = result.pairwise.condorcet_winner
    if condorcet is not None and ballots:
        assert result.top == (condorcet,)
    assert sorted(i for tier in result.ranking for i in tier) == (list(range(n)) if ballots else [])
