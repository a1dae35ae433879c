"""TextRank sentence centrality: how much each sentence shares with the rest of its section."""

from __future__ import annotations

import math
from collections.abc import Sequence

DAMPING = 0.85
ITERATIONS = 40
TOLERANCE = 1e-7
STEM_CHARS = 6  # a crude, language-blind stem: "organization" and "organizations" meet


def stem(word: str) -> str:
    return word[:STEM_CHARS]


def centrality(terms: Sequence[Sequence[str]]) -> list[float]:
    """Score each sentence in [0, 1] by TextRank over shared terms (1.0 is the most central).

    `terms` holds each sentence's content words, already lower-cased and stemmed.
    Similarity follows Mihalcea and Tarau: shared terms over the sum of log lengths.
    """
    n = len(terms)
    if n == 0:
        return []
    if n == 1:
        return [1.0]
    bags = [sorted(set(t)) for t in terms]
    postings: dict[str, list[int]] = {}
    for i, bag in enumerate(bags):
        for term in bag:
            postings.setdefault(term, []).append(i)
    # Overlap counts through the postings, so common-word-free pairs cost nothing.
    overlap: list[dict[int, int]] = [{} for _ in range(n)]
    for ids in postings.values():
        for a_pos, a in enumerate(ids):
            row = overlap[a]
            for b in ids[a_pos + 1 :]:
                row[b] = row.get(b, 0) + 1
    norms = [math.log(len(bag) + 1) for bag in bags]
    edges: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for a in range(n):
        for b in sorted(overlap[a]):
            weight = overlap[a][b] / (norms[a] + norms[b])
            edges[a].append((b, weight))
            edges[b].append((a, weight))
    out_weight = [sum(w for _, w in row) for row in edges]
    linked = [a for a in range(n) if out_weight[a] != 0]
    scores = _rank(n, linked, [out_weight[a] for a in linked], [edges[a] for a in linked])
    top = max(scores)
    return [s / top for s in scores] if top > 0 else [0.0] * n


def _rank(
    n: int, linked: list[int], totals: list[float], rows: list[list[tuple[int, float]]]
) -> list[float]:
    """PageRank over the weighted edges. Each sentence's share flows to its neighbours in
    the order of the rows, as a loop over them would add it (numpy's `add.at` adds in the
    order given), so the scores come out the same to the last bit."""
    # Imported here: numpy is 80 modules and a twelfth of a second of CPU at every start of
    # the bot otherwise, and only ranking sentences (making prompts) needs it.
    import numpy as np

    source = np.array([i for i, row in enumerate(rows) for _ in row], dtype=np.intp)
    target = np.array([b for row in rows for b, _ in row], dtype=np.intp)
    weight = np.array([w for row in rows for _, w in row], dtype=np.float64)
    linked_at = np.array(linked, dtype=np.intp)
    total = np.array(totals, dtype=np.float64)
    scores = np.full(n, 1.0 / n)
    for _ in range(ITERATIONS):
        share = DAMPING * scores[linked_at] / total
        fresh = np.full(n, (1 - DAMPING) / n)
        np.add.at(fresh, target, share[source] * weight)
        delta = sum(np.abs(fresh - scores).tolist())
        scores = fresh
        if delta < TOLERANCE:
            break
    return scores.tolist()
