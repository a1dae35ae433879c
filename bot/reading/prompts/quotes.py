"""Choosing the verbatim words a prompt quotes: 3 to 25 words, cut at clause bounds."""

from __future__ import annotations

import re

MIN_WORDS = 3
MAX_WORDS = 25
# Quotes of about this many words read best inside a question.
TARGET_WORDS = 16
# Shorter quotes rarely carry a thought of their own.
MIN_GOOD_WORDS = 8

_TOKEN = re.compile(r"\S+")
_HAS_WORD = re.compile(r"\w")
_CLOSERS = "\"'”’»"
_CLAUSE_END = ",;:.!?)…"
_DASHES = frozenset({"—", "–", "-", "--"})
_PAIRS = (("“", "”"), ("(", ")"), ("«", "»"), ("[", "]"))
_TRIM_END = ",;:—–-"
_TRIM_START = ",;:—–-"
# Markup a quote must not carry: _italics_, *emphasis*, [1] and [Illustration: …], a
# Markdown quote mark, a footnote number stuck to a word or to punctuation ("ego*,1").
_MARKUP = re.compile(r"[_*\[\]<>{}|#`]|(?<=[^\W\d_][.,;:!?»”’\"'])\d{1,3}(?!\w)")
# What _MARKUP can match starts with one of these: without them, a text has no markup.
_MARKUP_CHARS = re.compile(r"[_*\[\]<>{}|#`\d]")
# In a play, a parenthesis holds a stage direction: "(al Marchese)".
_DIRECTION = re.compile(r"[()]")


def has_markup(quote: str, *, stage: bool = False) -> bool:
    """Whether a quote carries markup, a footnote marker, or (in a play) a stage direction."""
    return bool(_MARKUP.search(quote) or (stage and _DIRECTION.search(quote)))


def _abbreviated(token: str, abbreviations: frozenset[str]) -> bool:
    """ "Mr.", "Dr.", "St.", an initial ("B."), "e.g.": a full stop that ends no sentence."""
    bare = token.strip("\"'“”‘’«»()[]")
    if not bare.endswith("."):
        return False
    word = bare[:-1].lower()
    return word in abbreviations or (len(word) == 1 and word.isalpha()) or "." in word


def word_count(quote: str) -> int:
    """Words as the quote rules count them: whitespace-separated tokens with a letter or digit."""
    return sum(1 for token in quote.split() if _HAS_WORD.search(token))


def _nested(text: str, opening: str, closing: str) -> bool:
    # Most windows hold neither mark: two substring scans in C spare the loop in Python.
    if closing not in text:
        return opening not in text
    depth = 0
    for ch in text:
        if ch == opening:
            depth += 1
        elif ch == closing:
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _balanced(text: str) -> bool:
    """Every quotation mark and bracket opened in the quote is closed in it, in order; German
    „…“ and »…« count as well as English “…” and French «…»."""
    curly = ("„", "“") if "„" in text else ("“", "”")
    guillemets = (
        ("»", "«")
        if text.find("»") > -1 and text.find("»") < (text.find("«") % 10**9)
        else ("«", "»")
    )
    pairs = (curly, guillemets, ("(", ")"), ("[", "]"))
    return all(_nested(text, a, b) for a, b in pairs) and text.count('"') % 2 == 0


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop dangling punctuation and unmatched brackets or quote marks at the edges."""
    changed = True
    while changed and end > start:
        changed = False
        piece = text[start:end]
        if piece[-1] in _TRIM_END or (piece[-1] == "." and not piece.endswith("..")):
            end -= 1
            changed = True
        elif piece[0] in _TRIM_START:
            start += 1
            changed = True
        else:
            for opening, closing in _PAIRS:
                if piece[0] == opening and piece.count(opening) > piece.count(closing):
                    start += 1
                    changed = True
                elif piece[-1] == closing and piece.count(closing) > piece.count(opening):
                    end -= 1
                    changed = True
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
    return start, end


def choose_quote(
    text: str,
    anchor: tuple[int, int],
    stopwords: frozenset[str],
    clause_words: frozenset[str] = frozenset(),
    *,
    max_words: int = MAX_WORDS,
    from_anchor: bool = False,
    abbreviations: frozenset[str] = frozenset(),
    dangling: frozenset[str] = frozenset(),
    stage: bool = False,
) -> tuple[int, int] | None:
    """The span of `text` to quote: it holds the anchor, fits the word limits, and starts and
    ends at clause bounds where it can. `from_anchor` makes it start where the anchor starts.

    A quote never ends at an abbreviation or an initial ("Mr.", "B."), never carries markup
    (or, with `stage`, a stage direction), and opens on a word in `dangling` (a pronoun
    pointing outside it) only when nothing else will do.
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if not tokens:
        return None
    last = len(tokens) - 1
    first_a = next((i for i, (_, e) in enumerate(tokens) if e > anchor[0]), last)
    last_a = max(first_a, max((i for i, (s, _) in enumerate(tokens) if s < anchor[1]), default=0))

    # A sentence with no markup character and no digit has no markup in any window of it;
    # most sentences are so, and every window is tested below.
    plain_text = not _MARKUP_CHARS.search(text) and not (stage and _DIRECTION.search(text))

    def markup(start: int, end: int) -> bool:
        return not plain_text and has_markup(text[start:end], stage=stage)

    def bare_mark(i: int) -> bool:
        token = text[tokens[i][0] : tokens[i][1]]
        return not _HAS_WORD.search(token.replace("_", "")) or markup(*tokens[i])

    # Markup or a lone mark at the anchor's edges ("[ Enter …") need not be quoted.
    while first_a < last_a and bare_mark(first_a):
        first_a += 1
    while last_a > first_a and bare_mark(last_a):
        last_a -= 1
    # An anchor longer than a quote may be (a whole long sentence) is satisfied by any window
    # inside it; a shorter one must be covered whole.
    # as does one that carries markup, which no quote may hold.
    inside = last_a - first_a + 1 > max_words or markup(tokens[first_a][0], tokens[last_a][1])
    words = [text[s:e] for s, e in tokens]
    bare = [w.rstrip(_CLOSERS) for w in words]
    plain = [w.strip(_CLOSERS + "“‘«(,;:.!?").lower() for w in words]
    starts_clause = [
        i == 0 or bare[i - 1][-1:] in ",;:(—–" or bare[i - 1] in _DASHES or words[i][:1] in "(—–"
        for i in range(len(words))
    ]
    abbreviated = [_abbreviated(w, abbreviations) for w in words]
    ends_clause = [
        i == last
        or (bare[i][-1:] in _CLAUSE_END + "—–" and not abbreviated[i])
        or words[i + 1][:1] in "(—–"
        for i in range(len(words))
    ]
    ends_soft = [i < last and plain[i + 1] in clause_words for i in range(len(words))]
    short_sentence = len(words) < MIN_GOOD_WORDS
    after_colon = [i > 0 and bare[i - 1][-1:] in ":;" for i in range(len(words))]
    if from_anchor:
        starts = [first_a]
    elif inside:
        starts = [
            i
            for i in range(first_a, last_a + 1)
            if starts_clause[i] or i == first_a or bare_mark(i - 1)
        ]
    else:
        low = max(0, last_a - max_words + 1)
        starts = sorted({i for i in range(low, first_a + 1) if starts_clause[i]} | {low, first_a})
    scored: list[tuple[float, int, int]] = []
    for s in starts:
        limit = min(last_a if inside else last, s + max_words - 1)
        lowest_end = s + MIN_WORDS - 1 if inside else last_a
        if limit < lowest_end:
            continue
        span = range(lowest_end, limit + 1)
        ends = {j for j in span if ends_clause[j] or ends_soft[j]} | {limit, lowest_end}
        content = [j for j in span if plain[j] not in stopwords]
        if content:
            ends.add(content[-1])
        for e in ends:
            if abbreviated[e] and e != last:
                continue  # "… the nearest railway station, Mr."
            if markup(tokens[s][0], tokens[e][1]):
                continue
            length = e - s + 1
            # A sentence's start reads best; what follows a colon is often the substance.
            score = 2.5 if s == 0 else 2.0 if after_colon[s] else 1.5 if starts_clause[s] else 0.0
            if from_anchor and s == first_a:
                score = max(score, 1.0)
            if s > 0 and not from_anchor and plain[s] in stopwords:
                score -= 1.0 if plain[s] in clause_words else 0.5
            if plain[s] in dangling and not from_anchor:
                score -= 2.5
            score += 2.5 if e == last else 1.5 if ends_clause[e] else 0.8 if ends_soft[e] else 0
            if e != last and plain[e] in stopwords:
                # "to do so," can close a quote; "the" or "when," cannot.
                settled = ends_clause[e] and plain[e] not in clause_words
                score -= 0.5 if settled else 2.0
            if length < MIN_GOOD_WORDS and not short_sentence:
                score -= 2.0 + (MIN_GOOD_WORDS - length) * 0.1
            else:
                score -= abs(length - TARGET_WORDS) / TARGET_WORDS
            if not _balanced(text[tokens[s][0] : tokens[e][1]]):
                score -= 4.0
            scored.append((score, s, e))
    # Best first; ties go to the earlier, then the longer window, so the choice is stable.
    scored.sort(key=lambda w: (-w[0], w[1], -w[2]))
    for _, s, e in scored:
        start, end = _trim(text, tokens[s][0], tokens[e][1])
        quote = text[start:end]
        if word_count(quote) >= MIN_WORDS and len(quote.split()) <= max_words:
            return start, end
    return None
