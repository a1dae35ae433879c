"""Key phrases by a compact YAKE (Campos et al., 2020): statistics of one text, no corpus."""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

_CHUNK_BREAK = re.compile(r"[,;:!?.()\[\]\"“”«»—–…/]|\s[-‘’']|[-‘’']\s")
_TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")
MAX_WORDS = 3
WINDOW = 2


@dataclass(frozen=True)
class KeyPhrase:
    phrase: str  # as first written in the text
    key: str  # lower-cased
    count: int  # occurrences as a candidate in the sentences
    score: float  # YAKE score: lower is more important


@dataclass
class _Stats:
    tf: int = 0
    upper: int = 0  # capitalised, not for opening a sentence
    acronym: int = 0
    sentences: list[int] = field(default_factory=list)
    left: dict[str, int] = field(default_factory=dict)  # neighbours within WINDOW
    right: dict[str, int] = field(default_factory=dict)


def _usable(token: str) -> bool:
    return not token.isdigit() and len(token) > 1


def generic_stopwords(sentences: Sequence[str]) -> frozenset[str]:
    """For a language without a list: very short words and words in most sentences."""
    seen: dict[str, int] = {}
    for sentence in sentences:
        for token in {t.lower() for t in _TOKEN.findall(sentence)}:
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
    candidates: dict[str, list[str]] = {}
    surfaces: dict[str, str] = {}
    from_opening: dict[str, bool] = {}
    counts: dict[str, int] = {}
    for s_index, sentence in enumerate(sentences):
        for c_index, chunk in enumerate(_CHUNK_BREAK.split(sentence)):
            tokens = _TOKEN.findall(chunk)
            if not tokens:
                continue
            keys = [t.lower() for t in tokens]
            stop = [k in stopwords for k in keys]
            opening = c_index == 0
            for i, token in enumerate(tokens):
                key = keys[i]
                st = stats.get(key)
                if st is None:
                    st = stats[key] = _Stats()
                st.tf += 1
                if len(token) > 1 and token.isupper():
                    st.acronym += 1
                elif token[0].isupper() and not (i == 0 and opening):
                    st.upper += 1
                if not st.sentences or st.sentences[-1] != s_index:
                    st.sentences.append(s_index)
                if stop[i]:
                    continue
                left = st.left
                for j in range(max(0, i - WINDOW), i):
                    if not stop[j]:
                        other = keys[j]
                        left[other] = left.get(other, 0) + 1
                        right = stats[other].right
                        right[key] = right.get(key, 0) + 1
            usable = [_usable(k) for k in keys]
            # An n-gram starts and ends on a usable content word; inner words need only be usable.
            edge = [u and not s for u, s in zip(usable, stop, strict=True)]
            n = len(tokens)
            for size in range(1, MAX_WORDS + 1):
                for i in range(n - size + 1):
                    last = i + size - 1
                    if not (edge[i] and edge[last]):
                        continue
                    if size > 2 and not all(usable[i + 1 : last]):
                        continue
                    key = keys[i] if size == 1 else " ".join(keys[i : i + size])
                    if key not in candidates:
                        candidates[key] = keys[i : i + size]
                    counts[key] = counts.get(key, 0) + 1
                    # Prefer a form that is not capitalised only for opening a sentence.
                    at_opening = opening and i == 0
                    if key not in surfaces or (from_opening[key] and not at_opening):
                        surfaces[key] = tokens[i] if size == 1 else " ".join(tokens[i : i + size])
                        from_opening[key] = at_opening
    content = [st.tf for k, st in stats.items() if k not in stopwords]
    if not content:
        return []
    mean_tf = statistics.fmean(content)
    std_tf = statistics.pstdev(content)
    max_tf = max(content)
    n_sentences = max(1, len(sentences))
    weight: dict[str, float] = {}
    for key, st in stats.items():
        if key in stopwords:
            continue
        t_case = max(st.upper, st.acronym) / (1 + math.log(st.tf))
        t_pos = math.log(math.log(3 + statistics.median(st.sentences)))
        t_norm = st.tf / (mean_tf + std_tf)
        wl = len(st.left) / sum(st.left.values()) if st.left else 0.0
        wr = len(st.right) / sum(st.right.values()) if st.right else 0.0
        t_rel = 1 + (wl + wr) * st.tf / max_tf
        t_sent = len(st.sentences) / n_sentences
        weight[key] = t_rel * t_pos / (t_case + t_norm / t_rel + t_sent / t_rel)
    scored: list[KeyPhrase] = []
    for key, gram in candidates.items():
        tf = counts[key]
        if tf < min_count:
            continue
        words = [weight[w] for w in gram if w in weight]
        product = math.prod(words)
        score = product / (tf * (1 + sum(words)))
        scored.append(KeyPhrase(surfaces[key], key, tf, score))
    scored.sort(key=lambda k: (k.score, k.key))
    return _dedupe(scored, top)


def _dedupe(scored: list[KeyPhrase], top: int) -> list[KeyPhrase]:
    """Drop phrases that differ from a better one only by word endings."""
    kept: list[KeyPhrase] = []
    seen: set[tuple[str, ...]] = set()
    for phrase in scored:
        shape = tuple(w[:5] for w in phrase.key.split())
        if shape in seen:
            continue
        seen.add(shape)
        kept.append(phrase)
        if len(kept) == top:
            break
    return kept
