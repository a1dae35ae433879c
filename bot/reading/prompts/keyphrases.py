"""Key phrases by a compact YAKE (Campos et al., 2020): statistics of one text, no corpus."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.reading.text import WORD

_CHUNK_BREAK = re.compile(r"[,;:!?.()\[\]\"“”«»—–…/]|\s[-‘’']|[-‘’']\s")
MAX_WORDS = 3
WINDOW = 2


@dataclass(frozen=True)
class KeyPhrase:
    phrase: str  # as first written in the text
    key: str  # lower-cased
    count: int  # occurrences as a candidate in the sentences
    score: float  # YAKE score: lower is more important


class _Stats:
    """One word's statistics over the sentences."""

    __slots__ = ("acronym", "left", "right", "sentences", "tf", "upper")

    def __init__(self) -> None:
        self.tf = 0
        self.upper = 0  # capitalised, not for opening a sentence
        self.acronym = 0
        self.sentences: list[int] = []
        self.left: dict[str, int] = {}  # neighbours within WINDOW
        self.right: dict[str, int] = {}


class PhraseCandidate:
    """One n-gram that may be a key phrase: its words, count and the form to show."""

    __slots__ = ("count", "from_opening", "gram", "surface")

    def __init__(self, gram: list[str], surface: str, from_opening: bool) -> None:
        self.gram = gram
        self.count = 1
        self.surface = surface
        self.from_opening = from_opening  # its form is capitalised for opening a sentence


@dataclass
class PhraseCandidates:
    """The n-grams that may be key phrases, each with its count and the form to show."""

    table: dict[str, PhraseCandidate] = field(default_factory=dict)

    def add(self, tokens: list[str], keys: list[str], stop: list[bool], opening: bool) -> None:
        """Count a chunk's n-grams that start and end on a usable content word (inner words
        need only be usable)."""
        usable = [len(k) > 1 and not k.isdigit() for k in keys]
        edge = [u and not s for u, s in zip(usable, stop, strict=True)]
        n = len(tokens)
        table = self.table
        # By start, then length: each phrase still meets its occurrences in reading order.
        for i in range(n):
            if not edge[i]:
                continue
            # Prefer a form that is not capitalised only for opening a sentence.
            at_opening = opening and i == 0
            for last in range(i, min(i + MAX_WORDS, n)):
                if not edge[last] or (last > i + 1 and not all(usable[i + 1 : last])):
                    continue
                key = keys[i] if last == i else " ".join(keys[i : last + 1])
                found = table.get(key)
                if found is None:
                    surface = tokens[i] if last == i else " ".join(tokens[i : last + 1])
                    table[key] = PhraseCandidate(keys[i : last + 1], surface, at_opening)
                    continue
                found.count += 1
                if found.from_opening and not at_opening:
                    found.surface = tokens[i] if last == i else " ".join(tokens[i : last + 1])
                    found.from_opening = False


def ends_on_noun(phrase: str, text: str) -> bool:
    """In a language that capitalises its nouns, whether a key phrase ends on a noun: its
    last word has a capital and is not an adjective or adverb made a noun, one the text also
    writes in lower case ("vom Guten" beside "die guten Menschen")."""
    last = WORD.findall(phrase)[-1:]
    if not last or not last[0][:1].isupper():
        return False
    return re.search(rf"(?<!\w){re.escape(last[0].lower())}(?!\w)", text) is None


def generic_stopwords(sentences: Sequence[str]) -> frozenset[str]:
    """For a language without a list: very short words and words in most sentences."""
    seen: dict[str, int] = {}
    for sentence in sentences:
        for token in {t.lower() for t in WORD.findall(sentence)}:
            seen[token] = seen.get(token, 0) + 1
    frequent = len(sentences) >= 6
    return frozenset(
        t for t, df in seen.items() if len(t) <= 3 or (frequent and df >= len(sentences) / 2)
    )


def key_phrases(
    sentences: Sequence[str], stopwords: frozenset[str], *, top: int = 10, min_count: int = 1
) -> list[KeyPhrase]:
    """The `top` key phrases of up to three words said at least `min_count` times, most
    important first."""
    stats: dict[str, _Stats] = {}
    candidates = PhraseCandidates()
    for s_index, sentence in enumerate(sentences):
        for c_index, chunk in enumerate(_CHUNK_BREAK.split(sentence)):
            tokens = WORD.findall(chunk)
            if not tokens:
                continue
            keys = [t.lower() for t in tokens]
            stop = [k in stopwords for k in keys]
            _count_words(stats, tokens, keys, stop, s_index, c_index == 0)
            candidates.add(tokens, keys, stop, c_index == 0)
    weight = _weights(stats, max(1, len(sentences)))
    if not weight:
        return []
    scored: list[tuple[float, str, PhraseCandidate]] = []
    for key, candidate in candidates.table.items():
        tf = candidate.count
        if tf < min_count:
            continue
        words = [weight[w] for w in candidate.gram if w in weight]
        product = math.prod(words)
        scored.append((product / (tf * (1 + sum(words))), key, candidate))
    scored.sort(key=lambda k: (k[0], k[1]))
    return _dedupe(scored, top)


def _count_words(
    stats: dict[str, _Stats],
    tokens: list[str],
    keys: list[str],
    stop: list[bool],
    s_index: int,
    opening: bool,
) -> None:
    """Add a chunk's content words to their statistics: counts, case, sentences, neighbours.
    A stopword gets none: no weight is ever worked out for it."""
    for i, token in enumerate(tokens):
        if stop[i]:
            continue
        key = keys[i]
        st = stats.get(key)
        if st is None:
            st = stats[key] = _Stats()
        st.tf += 1
        if len(token) > 1 and token.isupper():
            st.acronym += 1
        elif token[0].isupper() and not (i == 0 and opening):
            st.upper += 1
        seen_in = st.sentences
        if not seen_in or seen_in[-1] != s_index:
            seen_in.append(s_index)
        left = st.left
        for j in range(i - WINDOW if i > WINDOW else 0, i):
            if not stop[j]:
                other = keys[j]
                left[other] = left.get(other, 0) + 1
                right = stats[other].right
                right[key] = right.get(key, 0) + 1


def _weights(stats: dict[str, _Stats], n_sentences: int) -> dict[str, float]:
    """YAKE's weight of every content word (lower is more important); empty without any."""
    content = [st.tf for st in stats.values()]
    if not content:
        return {}
    mean_tf = statistics.fmean(content)
    std_tf = statistics.pstdev(content)
    max_tf = max(content)
    weight: dict[str, float] = {}
    for key, st in stats.items():
        t_case = max(st.upper, st.acronym) / (1 + math.log(st.tf))
        t_pos = math.log(math.log(3 + _median(st.sentences)))
        t_norm = st.tf / (mean_tf + std_tf)
        wl = len(st.left) / sum(st.left.values()) if st.left else 0.0
        wr = len(st.right) / sum(st.right.values()) if st.right else 0.0
        t_rel = 1 + (wl + wr) * st.tf / max_tf
        t_sent = len(st.sentences) / n_sentences
        weight[key] = t_rel * t_pos / (t_case + t_norm / t_rel + t_sent / t_rel)
    return weight


def _median(ordered: list[int]) -> float:
    """statistics.median of a list already in order, without sorting it again."""
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _dedupe(scored: list[tuple[float, str, PhraseCandidate]], top: int) -> list[KeyPhrase]:
    """The best `top` phrases, dropping those that differ from a better one only by word
    endings; `scored` holds each phrase's score, key and candidate, best first."""
    kept: list[KeyPhrase] = []
    seen: set[tuple[str, ...]] = set()
    for score, key, candidate in scored:
        shape = tuple(w[:5] for w in key.split())
        if shape in seen:
            continue
        seen.add(shape)
        kept.append(KeyPhrase(candidate.surface, key, candidate.count, score))
        if len(kept) == top:
            break
    return kept
