"""Key phrases and sentence centrality keep their exact scores: prompts depend on their order."""

from __future__ import annotations

import math
import random
import re

from bot.reading.prompts.centrality import DAMPING, ITERATIONS, TOLERANCE, centrality
from bot.reading.prompts.engine import is_name, occurrences_of, standalone_occurrences
from bot.reading.prompts.keyphrases import MAX_WORDS, KeyPhrase, PhraseCandidates, key_phrases
from bot.reading.prompts.lexicon import lexicon_for

EN = lexicon_for("en")


def test_key_phrases_keep_their_yake_scores_to_the_last_digit() -> None:
    sentences = [
        "Mass organizations grow from the workplace, and mass organizations defend the workers.",
        "The union is a mass organization; its assemblies decide, not the NATO-style committees.",
        "Self-management means workers deciding: the assembly, the mandate, the recall.",
        "In 1936 the CNT had 1.5 million members, and its assemblies met weekly.",
        "“Direct action” is the method; direct action, not delegation, builds mass organizations.",
    ]
    assert key_phrases(sentences, EN.stopwords, top=8) == [
        KeyPhrase("Mass organizations grow", "mass organizations grow", 1, 0.06396638820815753),
        KeyPhrase("mass organizations defend", "mass organizations defend", 1, 0.08956045394776077),
        KeyPhrase("NATO-style committees", "nato-style committees", 1, 0.09492520255227939),
        KeyPhrase("Direct action", "direct action", 2, 0.09548680470191598),
        KeyPhrase("organizations grow", "organizations grow", 1, 0.09989612748428733),
        KeyPhrase("mass organizations", "mass organizations", 3, 0.10971781299214578),
        KeyPhrase("mass", "mass", 4, 0.1172725019275806),
        KeyPhrase("workplace", "workplace", 1, 0.11737528987395589),
    ]


def plain_textrank(terms: list[list[str]]) -> list[float]:
    """TextRank written as the plain loops of its definition, for comparison."""
    n = len(terms)
    bags = [set(t) for t in terms]
    norms = [math.log(len(bag) + 1) for bag in bags]
    edges: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for a in range(n):
        for b in range(a + 1, n):
            shared = len(bags[a] & bags[b])
            if shared:
                weight = shared / (norms[a] + norms[b])
                edges[a].append((b, weight))
                edges[b].append((a, weight))
    out_weight = [sum(w for _, w in row) for row in edges]
    scores = [1.0 / n] * n
    for _ in range(ITERATIONS):
        fresh = [(1 - DAMPING) / n] * n
        for a in range(n):
            if out_weight[a] == 0:
                continue
            share = DAMPING * scores[a] / out_weight[a]
            for b, weight in edges[a]:
                fresh[b] += share * weight
        delta = sum(abs(x - y) for x, y in zip(fresh, scores, strict=True))
        scores = fresh
        if delta < TOLERANCE:
            break
    top = max(scores)
    return [s / top for s in scores] if top > 0 else [0.0] * n


def test_centrality_is_plain_textrank_to_the_last_bit() -> None:
    rng = random.Random("centrality")
    vocabulary = [f"w{i}" for i in range(40)]
    for size in (2, 3, 7, 30, 120):
        for _ in range(5):
            terms = [
                [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))] for _ in range(size)
            ]
            assert centrality(terms) == plain_textrank(terms)


def test_sentences_sharing_nothing_score_alike() -> None:
    assert centrality([["a"], ["b"], ["c"]]) == [1.0, 1.0, 1.0]
    assert centrality([[], []]) == [1.0, 1.0]


def candidates_length_by_length(
    chunks: list[tuple[list[str], bool]], stopwords: frozenset[str]
) -> tuple[dict[str, int], dict[str, str]]:
    """Phrase candidates counted length by length, each over the chunk: counts and the form
    shown (one not capitalised only for opening a sentence, when there is one)."""
    counts: dict[str, int] = {}
    surfaces: dict[str, tuple[str, bool]] = {}
    for tokens, opening in chunks:
        keys = [t.lower() for t in tokens]
        usable = [len(k) > 1 and not k.isdigit() for k in keys]
        edge = [u and k not in stopwords for u, k in zip(usable, keys, strict=True)]
        for size in range(1, MAX_WORDS + 1):
            for i in range(len(tokens) - size + 1):
                last = i + size - 1
                if not (edge[i] and edge[last]) or (size > 2 and not all(usable[i + 1 : last])):
                    continue
                key = " ".join(keys[i : i + size])
                counts[key] = counts.get(key, 0) + 1
                at_opening = opening and i == 0
                if key not in surfaces or (surfaces[key][1] and not at_opening):
                    surfaces[key] = (" ".join(tokens[i : i + size]), at_opening)
    return counts, {k: s for k, (s, _) in surfaces.items()}


def test_phrase_candidates_are_those_counted_length_by_length() -> None:
    rng = random.Random(7)
    vocabulary = ["Mass", "mass", "the", "of", "Union", "union", "a", "1936", "Workers", "x"]
    stopwords = frozenset({"the", "of", "a"})
    for _ in range(200):
        chunks = [
            ([rng.choice(vocabulary) for _ in range(rng.randint(1, 9))], rng.random() < 0.5)
            for _ in range(rng.randint(1, 6))
        ]
        candidates = PhraseCandidates()
        for tokens, opening in chunks:
            keys = [t.lower() for t in tokens]
            candidates.add(tokens, keys, [k in stopwords for k in keys], opening)
        counts, surfaces = candidates_length_by_length(chunks, stopwords)
        table = candidates.table
        assert {key: c.count for key, c in table.items()} == counts
        assert {key: c.surface for key, c in table.items()} == surfaces
        assert {key: c.gram for key, c in table.items()} == {k: k.split() for k in counts}


def test_phrase_counts_find_what_a_look_behind_before_the_phrase_finds() -> None:
    rng = random.Random(7)
    pieces = ["mass", "Mass", "MASS", "organization", "self", "é", "ſelf", " ", "  ", "\n"]
    pieces += ["-", "–", "_", ",", "(", "1", "über", "Über", "x"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        words = [rng.choice(["mass", "Mass", "self", "über", "organization", "x", "("])]
        words += rng.sample(["organization", "self", "mass", "(", "x"], rng.randint(0, 2))
        phrase = " ".join(words)
        spaced = r"\s+".join(map(re.escape, phrase.split()))
        assert occurrences_of(phrase, text) == len(
            re.findall(rf"(?<!\w){spaced}(?!\w)", text, re.IGNORECASE)
        ), (phrase, text)
        alone = rf"(?<![\w\-–]){re.escape(phrase)}(?![\w\-–])"
        assert standalone_occurrences(phrase, text) == len(re.findall(alone, text, re.IGNORECASE))
        lowered = phrase[0].lower() + phrase[1:]
        found = re.search(rf"(?<!\w){re.escape(lowered)}(?!\w)", text)
        assert is_name(phrase, text) == (phrase[:1].isupper() and not found), (phrase, text)
