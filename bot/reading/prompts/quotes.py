"""Choosing the verbatim words a prompt quotes: 3 to 25 words, cut at clause bounds."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

MIN_WORDS = 3
MAX_WORDS = 25
# Quotes of about this many words read best inside a question.
TARGET_WORDS = 16
# Shorter quotes rarely carry a thought of their own.
MIN_GOOD_WORDS = 8

_TOKEN = re.compile(r"\S+")
_HAS_WORD = re.compile(r"\w")
_CLOSERS = "\"'”’»"
# Words that complete the clause before them ("not only …, but", "nicht …, sondern"); French
# "mais" turns what came before ("fort instructif, | mais … peu amusant"): the point is after it.
_COMPLETING = frozenset({"sino", "sondern", "senão", "sinon", "mais"})
# "…, and not …", "…, et non …": what comes after sets the words before against it.
_NEGATIONS = frozenset({"not", "non", "nicht", "não", "no", "pas"})
_DASHES = frozenset({"—", "–", "-", "--"})
# "contre le meunier, -- parfois contre le maire, -- | mais jamais contre le curé":
# a later clause opening on "but" and a "never" or "not" completes the sentence's contrast;
# a quote stopping before it leaves out the point.
_CONTRASTS = frozenset({"but", "mais", "aber", "doch", "ma", "però", "pero", "mas", "yet"})
_NEVERS = frozenset(
    {"never", "not", "jamais", "pas", "point", "nie", "niemals", "nicht", "kein", "keine"}
    | {"mai", "non", "nunca", "jamás", "no", "não", "nem"}
)
# A quote whose main clause is negated has its negation among this many first words.
_NEGATED_LEADS = 6
# "erstens, ob …, und | zweitens, ob …": an enumeration's first member promises the next.
_FIRSTS = frozenset(
    {"erstens", "firstly", "premièrement", "primo", "primeiramente", "primeramente"}
    | {"primieramente"}
)
_SECONDS = frozenset(
    {"zweitens", "secondly", "deuxièmement", "secondement", "secundo", "segundo"}
    | {"secondo", "segundamente", "sodann", "ensuite", "then"}
)
# "fermée pour deux raisons: | la première, …, et la seconde, …": after a colon, members
# counted off are what the words before it announce.
_FIRST_MEMBERS = _FIRSTS | {"first", "première", "premier", "erste", "ersten", "primera"}
_FIRST_MEMBERS |= {"primero", "primeira", "primeiro"}
_SECOND_MEMBERS = _SECONDS | {"second", "seconde", "deuxième", "zweite", "zweiten", "segunda"}
_SECOND_MEMBERS |= {"seconda"}
_PAIRS = (("“", "”"), ("(", ")"), ("«", "»"), ("[", "]"))
_TRIM_END = ",;:—–-"
_TRIM_START = ",;:—–-"
# Markup a quote must not carry: _italics_, *emphasis*, [1] and [Illustration: …], a
# Markdown quote mark, a footnote number stuck to a word or to punctuation ("ego*,1").
_MARKUP = re.compile(r"[_*\[\]<>{}|#`]|(?<=[^\W\d_][.,;:!?»”’\"'])\d{1,3}(?!\w)")
# What _MARKUP can match starts with one of these: without them, a text has no markup.
_MARKUP_CHARS = re.compile(r"[_*\[\]<>{}|#`\d]")
# A word with a closing mark stuck to it and no opening one: 'A" …'.
_STRAY_CLOSE = re.compile(r"\w+[\"”»’]+")
# In a play, a parenthesis holds a stage direction: "(al Marchese)".
_DIRECTION = re.compile(r"[()]")


# Marks that pair or set off an aside: a sentence opening on one ("« Comme …", "- Man …")
# is a speech or an aside that the rules for those read, not a stray symbol to pass over.
_PAIRING_OR_DASH = re.compile(r"[\"'“”‘’«»„‚()\[\]—–-]")


def _lone_symbol(token: str) -> bool:
    """Whether a token is symbols alone ("@", "•", "~"): no letter or digit, and no mark
    that pairs or sets off an aside."""
    return not _HAS_WORD.search(token) and not _PAIRING_OR_DASH.search(token)


def has_markup(quote: str, *, stage: bool = False) -> bool:
    """Whether a quote carries markup, a footnote marker, or (in a play) a stage direction."""
    return bool(_MARKUP.search(quote) or (stage and _DIRECTION.search(quote)))


def _abbreviated(token: str, abbreviations: frozenset[str]) -> bool:
    """ "Mr.", "Dr.", "St.", an initial ("B."), "e.g.": a full stop that ends no sentence."""
    if "." not in token:
        return False  # most tokens: no need to strip them
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
        if not changed and _wrapped(text[start:end]):
            # “All day on the hill?”: a speech quoted whole is quoted without its marks,
            # which the question's own would double.
            start, end, changed = start + 1, end - 1, True
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
    return start, end


_SPEECH_PAIRS = {"“": "”", '"': '"', "«": "»", "»": "«", "„": "“", "‘": "’"}


def _wrapped(piece: str) -> bool:
    """Whether one pair of speech marks encloses the whole piece, with no mark of the pair
    inside: the piece is one character's words and nothing else."""
    closing = _SPEECH_PAIRS.get(piece[:1])
    if closing is None or len(piece) < 3 or piece[-1] != closing:
        return False
    inside = piece[1:-1]
    return piece[0] not in inside and closing not in inside


@dataclass(frozen=True)
class QuoteWords:
    """The word lists the quote rules read, for one language and kind of text."""

    stopwords: frozenset[str]
    clause_words: frozenset[str] = frozenset()  # words that open a new clause after a comma
    abbreviations: frozenset[str] = frozenset()
    dangling: frozenset[str] = frozenset()  # words pointing outside the quote ("He", "This")
    subordinators: frozenset[str] = frozenset()  # words opening a clause that needs another
    stage: bool = False  # a play: parentheses hold stage directions
    verse: bool = False  # verse: a quote keeps whole lines
    capitalised_nouns: bool = False  # German: a capital after a dash may be any noun
    # Words after a comma that turn the clause before them ("pero", "ma"): a quote ending
    # just before one leaves out its point ("un maestro … con muchos libros leídos, |
    # pero con ningún alumno").
    turning: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()  # no quote ends on one ("… keinen Menschen, den")
    demonstratives: frozenset[str] = frozenset()  # "jene …": an apposition to a noun before
    # Words opening a sentence that turn it against the one before ("Pourtant", "Yet",
    # "sin embargo"): a quote of that sentence keeps them and their clause when it can.
    opening_turns: frozenset[str] = frozenset()
    # The last resort of a section nothing else in can be quoted (one sentence past the
    # word limit, with no clause bound inside): a quote may then end at any word.
    lenient: bool = False


@dataclass(frozen=True)
class QuoteTokens:
    """A sentence read token by token, with what the quote rules ask of each token."""

    text: str
    spans: list[tuple[int, int]]
    words: list[str]
    bare: list[str]  # without closing quote marks
    plain: list[str]  # lower case, without the punctuation around it
    abbreviated: list[bool]
    line_start: list[bool]  # the token opens a line of the text
    line_end: list[bool]  # the token closes one

    @cached_property
    def starts(self) -> list[int]:
        """Where each token starts, in order."""
        return [start for start, _ in self.spans]

    @cached_property
    def ends(self) -> list[int]:
        """Where each token ends, in order."""
        return [end for _, end in self.spans]

    @property
    def last(self) -> int:
        return len(self.words) - 1

    def lead(self, i: int) -> str:
        """The token's word for the word lists: "qu'à" is read as "qu"."""
        # What comes before the first apostrophe of either kind.
        return self.plain[i].split("'", 1)[0].split("’", 1)[0]


def quote_tokens(text: str, abbreviations: frozenset[str]) -> QuoteTokens:
    """The text cut into the tokens quotes are counted in, with their lines and abbreviations."""
    matches = list(_TOKEN.finditer(text))
    spans = [m.span() for m in matches]
    words = [m.group() for m in matches]
    # Whether a line break follows each token but the last (none where the text has none, as
    # in most prose).
    if "\n" in text:
        breaks = ["\n" in text[spans[i][1] : spans[i + 1][0]] for i in range(len(spans) - 1)]
    else:
        breaks = [False] * max(0, len(spans) - 1)
    return QuoteTokens(
        text=text,
        spans=spans,
        words=words,
        bare=[w.rstrip(_CLOSERS) for w in words],
        plain=[w.strip(_CLOSERS + "“‘«„¿¡(,;:.!?").lower() for w in words],
        abbreviated=[_abbreviated(w, abbreviations) for w in words],
        line_start=[True, *breaks] if words else [],
        line_end=[*breaks, True] if words else [],
    )


def _capitalised(token: str) -> bool:
    opening = token.lstrip("\"'“‘«»„¿¡([—–-")
    return opening[:1].isupper() or opening[:1].isdigit()


def _after_break(t: QuoteTokens, i: int) -> bool:
    """Whether a colon, semicolon, dash or inner question mark comes just before token i."""
    before = t.bare[i - 1]
    return (
        before[-1:] in ";:?!—–"
        or before in _DASHES
        or t.words[i][:1] in "—–"
        or not _HAS_WORD.search(before.replace("_", ""))  # "_" is markup, not a word
    )


def _opens_clause(
    t: QuoteTokens,
    i: int,
    verse: bool,
    nouns: bool = False,
    carrying: frozenset[str] = frozenset(),
    articles: frozenset[str] = frozenset(),
) -> bool:
    """Where a quote may start: the sentence's start, a line of verse, or a capital after a
    colon, semicolon or dash. Never a lower-case word in mid-sentence: its subject is behind."""
    if i == 0:
        return True
    if verse:
        # A line that carries on the one before it ("Et la Lune qui le suit … / Pâlit …")
        # has its subject there; so has a line after a comma that opens on a word leaning on
        # what came before ("…, / Comme une lampe éteinte, ce veilleur fatigué,").
        if t.bare[i - 1][-1:] == ",":
            # "Le" may stand for what came before ("Le voit-il …"), but not before a name or
            # a capitalised figure ("…, / Le Berger lassé ferme ses yeux"): that is a subject.
            return t.line_start[i] and (t.lead(i) not in carrying or _names(t, i, articles))
        return t.line_start[i] and t.bare[i - 1][-1:] in ";:.!?…"
    if nouns and t.bare[i - 1] in _DASHES and (i < 2 or t.bare[i - 2][-1:] not in ",;:.!?"):
        # "eines ruhigeren - Abends sich freuen darf": where every noun has a capital, a
        # dash in mid-phrase opens no clause.
        return False
    # The capital first: most words in mid-sentence have none, and it is the cheaper test.
    return _capitalised(t.words[i]) and _after_break(t, i)


def _names(t: QuoteTokens, i: int, articles: frozenset[str]) -> bool:
    """Whether token i is an article before a capitalised word ("Le Poète", "La Mort"): a
    subject named, though the same word may stand for something named before ("le")."""
    return t.plain[i] in articles and i < t.last and _capitalised(t.words[i + 1])


class EndKind(StrEnum):
    """How a quote ends, from the strongest end to the weakest (`_END_SCORE`)."""

    END = "end"  # the sentence's own end
    HARD = "hard"  # a full stop, colon, semicolon, dash, or a line of verse
    SOFT = "soft"  # a comma before a new clause
    COMMA = "comma"  # any other comma, which may cut a list or a phrase in two
    CUT = "cut"  # at any word, when nothing else can be quoted (`QuoteWords.lenient`)


def _end_kind(t: QuoteTokens, i: int, words: QuoteWords) -> EndKind | None:
    """How a quote ending at token i ends, or None where no bound lets it end (lenient
    words cut it there all the same)."""
    if i == t.last:
        return EndKind.END
    if t.abbreviated[i]:
        return None
    if words.verse:
        if not t.line_end[i]:
            return None
        # A line with no stop runs on into the next ("Et dans tout ce qu'elle chante / Se
        # mêle …"); one ending on a comma stops softly.
        mark = t.bare[i][-1:]
        return EndKind.HARD if mark in ".;:!?…—–" else EndKind.SOFT if mark == "," else None
    mark = t.bare[i][-1:]
    if mark in "?!" and t.words[i + 1].lstrip("\"'“‘«¿¡([")[:1].islower():
        return None  # "… ein Irrtum ist -, wie? ist die Frage …": the sentence goes on
    if _opens_aside(t, i + 1):
        return None  # "der kalte Wind -- man spürte … -- trieb sie": the clause goes on
    if mark in ".;:?!…—–" or _is_dash(t, i + 1):
        return EndKind.HARD
    if mark in ",)":
        if t.lead(i + 1) in _COMPLETING or t.lead(i + 1) in words.turning:
            return None  # "no son sólo estas cartas, | sino …": the clause is half said
        if i + 2 <= t.last and t.lead(i + 2) in _NEGATIONS and t.lead(i + 1) in words.clause_words:
            return None  # "à s'en prendre au maire, | et non au curé …": the point is after
        if i + 2 <= t.last and t.lead(i + 1) in words.clause_words and _repeats(t, i + 1):
            return None  # "e depois da feira, | e depois outra vez …": the series goes on
        return EndKind.SOFT if t.lead(i + 1) in words.clause_words else EndKind.COMMA
    return None


def _leaves_out_point(t: QuoteTokens, s: int, e: int, words: QuoteWords) -> bool:
    """Whether a quote of tokens s to e stops before the clause that completes its sentence:
    a contrast still to come ("…, mais jamais contre le curé"), the next member of an
    enumeration the quote opens ("erstens, ob …" before "zweitens"), one more clause of a
    series the quote ends in ("…, cinq fois; …, sept fois; … cent fois"), or the clause
    saying what is done after a quote saying what is not (`_half_said`)."""
    stopwords = words.stopwords
    if e >= t.last:
        return False
    for k in range(e + 1, t.last):
        opens = t.bare[k - 1][-1:] in ",;:—–" or t.bare[k - 1] in _DASHES
        if opens and t.lead(k) in _CONTRASTS and t.lead(k + 1) in _NEVERS:
            return True
    if _half_said(t, s, e, words):
        return True
    after = {t.plain[k] for k in range(e + 1, t.last + 1)}
    if after & _SECOND_MEMBERS:
        if any(_counts_off(t, k) for k in range(s, e + 1)):
            return True  # "la première, c'est qu'il pleut …" without "et la seconde"
        if t.bare[e][-1:] == ":" and after & _FIRST_MEMBERS:
            return True  # "par deux raisons:" without the two
    return _series_goes_on(t, s, e, stopwords)


def _half_said(t: QuoteTokens, s: int, e: int, words: QuoteWords) -> bool:
    """Whether a quote ending at a comma or semicolon before a clause word is one negative
    clause ("Je ne veux pas refaire ici tout le voyage …, | et je dirai seulement …"):
    what is not done leads up to what is, which the clause after says. A negation late in the
    quote ("… joined by a tall girl, not smiling …") or answered inside it ("no me ha
    aburrido, antes bien me ha gustado …") leaves nothing waiting."""
    if t.bare[e][-1:] not in ",;" or e + 1 > t.last or t.lead(e + 1) not in words.clause_words:
        return False
    lead = range(s, min(s + _NEGATED_LEADS, e + 1))
    negation = next((k for k in lead if t.plain[k] in _NEVERS), None)
    return negation is not None and all(t.bare[k][-1:] not in ",;:" for k in range(negation, e))


def _counts_off(t: QuoteTokens, k: int) -> bool:
    """Whether token k opens an enumeration's first member: "erstens", or "la première,"
    standing for a noun (not "la première partie")."""
    return t.plain[k] in _FIRSTS or (t.plain[k] in _FIRST_MEMBERS and t.bare[k][-1:] == ",")


def _phrase_before_colon(t: QuoteTokens, s: int, e: int, words: QuoteWords) -> bool:
    """Whether a quote ending at a colon its sentence goes on after is a phrase and the
    relative clauses and appositions hung on it ("Bei aller Mühe, die … nötig sein mag:",
    "Der Wunsch nach Ruhe, der …, jene alte Sehnsucht, von der …:"): a subject
    still waiting for its verb; the main clause, and the point, come after the colon."""
    if e >= t.last or t.bare[e][-1:] != ":":
        return False
    commas = [k for k in range(s, e) if t.bare[k][-1:] == ","]
    # Each later comma parts items of a list inside the relative ("dem Wahren, dem …"), or
    # opens an apposition ("jene …") or a relative after a preposition ("von der …").
    return bool(commas) and all(_hangs_on_noun(t, k + 1, words) for k in commas)


def _hangs_on_noun(t: QuoteTokens, k: int, words: QuoteWords) -> bool:
    """Whether token k opens a relative clause or an apposition: an article that is also a
    relative pronoun ("der"), a demonstrative ("jene"), or a preposition before one ("von
    der"); not a conjunction ("und die …", "dass die …"), which opens a clause of its own."""
    if t.lead(k) in words.articles or t.lead(k) in words.demonstratives:
        return True
    joining = words.clause_words | words.subordinators
    preposition = t.lead(k) in words.stopwords and t.lead(k) not in joining
    return preposition and k < t.last and t.lead(k + 1) in words.articles


def _series_goes_on(t: QuoteTokens, s: int, e: int, stopwords: frozenset[str]) -> bool:
    """Whether a clause the quote holds ends on the word a clause after the quote ends on
    ("cinq fois; … sept fois; … cent fois"): a series cut after its first members."""
    ends = {
        t.plain[k]
        for k in range(s, e + 1)
        if t.bare[k][-1:] in ",;" and t.plain[k] not in stopwords and t.plain[k].isalpha()
    }
    # Not the sentence's last word: "… el viento, …, mientras soplaba el viento" closes
    # on a word it began with, a ring rather than a series.
    return bool(ends) and any(
        t.plain[k] in ends and t.bare[k][-1:] in ",;" for k in range(e + 1, t.last)
    )


def _repeats(t: QuoteTokens, i: int) -> bool:
    """Whether tokens i and i + 1 ("e depois") already stood together earlier in the sentence:
    one more item of a series that goes on."""
    pair = (t.plain[i], t.plain[i + 1])
    return any((t.plain[k], t.plain[k + 1]) == pair for k in range(i - 1))


def _is_dash(t: QuoteTokens, i: int) -> bool:
    return t.words[i] in _DASHES or t.words[i][:1] in "—–"


def _opens_aside(t: QuoteTokens, i: int) -> bool:
    """Whether token i is a dash or a parenthesis that opens or closes an aside inside a
    clause: the words before it do not end the clause."""
    if t.words[i][:1] == "(":
        return t.bare[i - 1][-1:] not in ",;:"
    if not _is_dash(t, i) or t.bare[i - 1][-1:] in ",;:.!?":
        return False
    if sum(1 for k in range(i) if _is_dash(t, k)) % 2:
        return True  # it closes an aside: the clause it interrupted goes on after it
    closing = next((k for k in range(i + 1, len(t.words)) if _is_dash(t, k)), None)
    return closing is not None and t.bare[closing - 1][-1:] not in ".!?"


def _resumed_after_dash(t: QuoteTokens, s: int, e: int) -> bool:
    """Whether the word after a dash ending the window takes up the window's opening subject
    again ("Aber wir, die wir …, wir guten Europäer - wir haben …"): the window is a subject
    still waiting for its verb."""
    after = e + 2 if e + 2 <= t.last and _is_dash(t, e + 1) else e + 1
    if after > t.last or not ((t.bare[e] and t.bare[e][-1] in "—–") or _is_dash(t, e + 1)):
        return False
    return t.plain[after] in {t.plain[k] for k in range(s, min(s + 2, e + 1))}


def _has_main_clause(t: QuoteTokens, s: int, e: int, words: QuoteWords) -> bool:
    """A window opening on "when", "dass" or "que" holds a main clause after its first comma;
    a subordinate clause alone says nothing."""
    joiners = words.subordinators | words.clause_words
    if t.lead(s) in words.clause_words and s < e and t.lead(s + 1) in words.subordinators:
        return False  # "Et que …", "And if …": the rest of a clause begun before the quote
    # "Zum Beispiel, dass …", "Freilich, dass …": a short lead-in before the subordinator;
    # but "Lorsque, par un décret …, Le Poète apparaît" opens on the subordinator itself.
    lead = next((k + 1 for k in range(s, min(s + 2, e)) if t.bare[k].endswith(",")), s)
    if t.lead(s) in words.subordinators:
        lead = s
    if t.lead(lead) not in words.subordinators:
        return True
    if e < t.last and ((t.bare[e] and t.bare[e][-1] in ":—–") or _is_dash(t, e + 1)):
        return False  # "dass X: dergleichen …": the main clause comes after the colon
    s = lead
    if t.bare[s].endswith(","):
        # "Lorsque, par un décret …, Le Poète apparaît": an aside opens after the
        # subordinator; the comma closing it is not where the main clause starts.
        s = next((k + 1 for k in range(s + 1, e) if t.bare[k][-1:] == ","), e)
    return any(
        t.bare[k - 1][-1:] in ",;:" and t.lead(k) not in joiners for k in range(s + 1, e + 1)
    )


@dataclass(frozen=True)
class _Window:
    """Which windows of a sentence may be quoted: where they may start and end."""

    t: QuoteTokens
    words: QuoteWords
    first: int  # the anchor's first and last tokens
    last: int
    inside: bool  # the quote lies inside the anchor rather than covering it
    from_anchor: bool
    max_words: int
    # Whether a quote may start at each token (`_opens_clause`), and how one ending at each
    # token ends (`_end_kind`): the same for every window of the sentence, so kept with it.
    opens: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)
    end_kinds: dict[int, EndKind | None] = field(default_factory=dict, compare=False, repr=False)

    def starts(self) -> list[int]:
        if self.from_anchor:
            return [self.first]
        if self.inside:
            span = range(self.first, self.last + 1)
        else:
            span = range(max(0, self.last - self.max_words + 1), self.first + 1)
        verse, nouns, opens = self.words.verse, self.words.capitalised_nouns, self.opens
        carrying = self.words.dangling | self.words.subordinators
        for i in span:
            if i not in opens:
                opens[i] = _opens_clause(self.t, i, verse, nouns, carrying, self.words.articles)
        return [i for i in span if opens[i]]

    def ends(self, s: int) -> list[tuple[int, EndKind]]:
        limit = min(self.last if self.inside else self.t.last, s + self.max_words - 1)
        lowest = s + MIN_WORDS - 1 if self.inside else self.last
        out = []
        for e in range(lowest, limit + 1):
            if e not in self.end_kinds:
                self.end_kinds[e] = _end_kind(self.t, e, self.words)
            kind = self.end_kinds[e]
            if self.words.lenient:
                kind = kind or EndKind.CUT
            elif kind is None or (kind is EndKind.COMMA and not self.from_anchor):
                continue  # "der schlimmste, langwierigste": a comma inside a phrase
            elif kind is EndKind.SOFT and e - s + 1 < MIN_GOOD_WORDS and not self.from_anchor:
                continue  # "Der Wunsch nach 'Ruhe im Haus', | in …": a subject alone
            if kind is EndKind.HARD and _resumed_after_dash(self.t, s, e):
                continue  # "Aber wir, … freien Geister - wir haben …": the verb comes after
            if e < self.t.last and self.t.plain[e] in self.words.articles:
                continue  # "keinen alten müden Hund, den": a relative left open
            if _leaves_out_point(self.t, s, e, self.words):
                continue  # "…, -- parfois contre le maire": the "mais jamais" is after
            if _phrase_before_colon(self.t, s, e, self.words):
                continue  # "Bei aller Mühe, die … nötig sein mag: | es bleibt doch …"
            out.append((e, kind))
        return out


_START_SCORE = {"sentence": 1.0, "break": 0.6, "anchor": 0.4}
_END_SCORE = {
    EndKind.END: 1.5,
    EndKind.HARD: 1.0,
    EndKind.SOFT: 0.6,
    EndKind.COMMA: 0.3,
    EndKind.CUT: 0.0,
}


def _score(
    t: QuoteTokens, s: int, e: int, kind: EndKind, words: QuoteWords, from_anchor: bool
) -> float:
    """How well a window reads as a quote: a whole sentence best, then a clause near the
    target length that starts and ends at strong bounds."""
    start = "sentence" if s == 0 else "anchor" if from_anchor else "break"
    score = _START_SCORE[start] + _END_SCORE[kind]
    if s == 0 and e == t.last:
        score += 2.0
    if t.plain[s] in words.dangling and not from_anchor and not _names(t, s, words.articles):
        score -= 1.0 if s == 0 else 2.5
    if e != t.last and t.plain[e] in words.stopwords:
        # "to do so." can close a quote; "the," cannot.
        score -= 0.5 if kind in (EndKind.HARD, EndKind.END) else 2.0
    length = e - s + 1
    if length < MIN_GOOD_WORDS and len(t.words) >= MIN_GOOD_WORDS:
        score -= 2.0 + (MIN_GOOD_WORDS - length) * 0.1
    else:
        score -= abs(length - TARGET_WORDS) / TARGET_WORDS
    return score


def windows_keeping_turn(
    t: QuoteTokens, scored: list[tuple[float, int, int]], turns: frozenset[str]
) -> list[tuple[float, int, int]]:
    """The windows left when the sentence opens on a turn ("Pourtant, sous le regard d'un
    Astre, / Le Berger solitaire …"): none that starts after it inside its first clause, so
    long as one from the sentence's start will do; the quote would drop what it turns on."""
    opening = next((k for k in range(min(2, len(t.words))) if t.bare[k][-1:] == ","), None)
    if opening is None or " ".join(t.plain[: opening + 1]) not in turns:
        return scored
    clause_end = next((k for k in range(len(t.words)) if t.bare[k][-1:] in ";:.!?…"), t.last)
    kept = [w for w in scored if not 0 < w[1] <= clause_end]
    return kept if any(w[1] == 0 for w in kept) else scored


def _anchor_tokens(
    t: QuoteTokens, anchor: tuple[int, int], bare_mark: Callable[[int], bool]
) -> tuple[int, int]:
    # The first token ending after the anchor starts, the last starting before it ends.
    first = min(bisect_right(t.ends, anchor[0]), t.last)
    last = max(first, bisect_left(t.starts, anchor[1]) - 1, 0)
    # Markup or a lone mark at the anchor's edges ("[ Enter …") need not be quoted.
    while first < last and bare_mark(first):
        first += 1
    while last > first and bare_mark(last):
        last -= 1
    return first, last


class QuotableText:
    """A sentence made ready for `choose_quote_in`: its tokens are cut once, on first use,
    however many prompts then quote it."""

    def __init__(self, text: str, words: QuoteWords) -> None:
        self.text = text
        self.words = words
        self.opens: dict[int, bool] = {}  # see _Window
        self.end_kinds: dict[int, EndKind | None] = {}

    def __getstate__(self) -> dict[str, object]:
        # Pickled with a section drafted on another process (`generate_reading_prompts`):
        # its caches, two fifths of what is sent back, are cut again only where needed.
        state = dict(self.__dict__)
        state.pop("tokens", None)
        state.pop("plain", None)
        state.update(opens={}, end_kinds={})
        return state

    @cached_property
    def tokens(self) -> QuoteTokens:
        return quote_tokens(self.text, self.words.abbreviations)

    @cached_property
    def plain(self) -> bool:
        """Whether the text holds no character that markup (or a stage direction) starts with."""
        stage = self.words.stage and _DIRECTION.search(self.text)
        return not _MARKUP_CHARS.search(self.text) and not stage


def choose_quote_in(
    quotable: QuotableText,
    anchor: tuple[int, int],
    *,
    max_words: int = MAX_WORDS,
    from_anchor: bool = False,
) -> tuple[int, int] | None:
    """The span of the ready sentence to quote: it holds the anchor and stands on its own.

    The whole sentence when it fits; else a clause that opens the sentence, or follows a
    colon, semicolon or dash with a capital, and ends where a clause does. Never a lower-case
    start in mid-sentence, a subordinate clause alone, a cut inside a phrase, an end at an
    abbreviation ("Mr.") or markup (or, with `words.stage`, a stage direction); verse keeps
    its lines. `from_anchor` makes the quote start where the anchor starts. None when no
    window will do. `quotable` keeps its tokens for the next quote taken from it.
    """
    text, words, t = quotable.text, quotable.words, quotable.tokens
    if not t.words:
        return None
    plain_text = quotable.plain

    def markup(start: int, end: int) -> bool:
        return not plain_text and has_markup(text[start:end], stage=words.stage)

    def bare_mark(i: int) -> bool:
        return not _HAS_WORD.search(t.words[i].replace("_", "")) or markup(*t.spans[i])

    first, last = _anchor_tokens(t, anchor, bare_mark)
    # An anchor longer than a quote may be (a whole long sentence), or one that carries
    # markup, is satisfied by a window inside it; a shorter one must be covered whole.
    inside = last - first + 1 > max_words or markup(t.spans[first][0], t.spans[last][1])
    window = _Window(
        t, words, first, last, inside, from_anchor, max_words, quotable.opens, quotable.end_kinds
    )
    scored: list[tuple[float, int, int]] = []
    for s in window.starts():
        for e, kind in window.ends(s):
            quoted = text[t.spans[s][0] : t.spans[e][1]]
            if markup(t.spans[s][0], t.spans[e][1]) or not _balanced(quoted):
                continue
            if not _has_main_clause(t, s, e, words) and not (s == 0 and e == t.last):
                continue
            scored.append((_score(t, s, e, kind, words, from_anchor), s, e))
    scored = windows_keeping_turn(t, scored, words.opening_turns)
    # Best first; ties go to the earlier, then the longer window, so the choice is stable.
    scored.sort(key=lambda w: (-w[0], w[1], -w[2]))
    for _, s, e in scored:
        start, end = _trim(text, t.spans[s][0], t.spans[e][1])
        quote = text[start:end]
        if word_count(quote) >= MIN_WORDS and len(quote.split()) <= max_words:
            return start, end
    first_word = t.words[0]
    scrap = any(c.isdigit() for c in first_word) and not any(c.isalpha() for c in first_word)
    lone = _lone_symbol(first_word)
    if t.last > 0 and (markup(*t.spans[0]) or lone or scrap or _STRAY_CLOSE.fullmatch(first_word)):
        # A sentence opening on markup, a lone symbol, a number's scrap or a word with a stray
        # mark stuck to it ("# …", "[2] …", "A# …", "@ …", '0" …', 'A" …') that left no quote
        # is quoted as if it started at the word after.
        offset = t.spans[1][0]
        rest = QuotableText(text[offset:], words)
        inner = (max(0, anchor[0] - offset), max(1, anchor[1] - offset))
        span = choose_quote_in(rest, inner, max_words=max_words, from_anchor=from_anchor)
        return (span[0] + offset, span[1] + offset) if span else None
    if t.last > 0 and _lone_symbol(t.words[t.last]):
        # One closing on a lone symbol ("… AA <", "… AA •") is quoted as if it ended at the
        # word before.
        end = t.spans[t.last - 1][1]
        rest = QuotableText(text[:end], words)
        inner = (min(anchor[0], end - 1), min(anchor[1], end))
        return choose_quote_in(rest, inner, max_words=max_words, from_anchor=from_anchor)
    return None
