"""Per-language word lists and cue patterns, read once from `lexicons/<lang>.toml`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from bot.reading.prompts.ignorecase import EXTRA_CASES

if TYPE_CHECKING:
    # typeshed describes re's parser only under its names before 3.11, `sre_constants` and
    # `sre_parse`: deprecated modules that hand on the very names of `re._constants` and
    # `re._parser`.
    import sre_constants as sre
    import sre_parse as _parser

    import snowballstemmer
else:
    from re import _constants as sre  # the parsed pattern's operations, for `whole_words`
    from re import _parser

_FLAGS = re.IGNORECASE | re.UNICODE


_MIN_STEM = 3  # a shorter stem ("fi" of "fier") is matched as the word listed, not as a stem


@dataclass(frozen=True)
class StemmedWords:
    """A word list matched by the words themselves or, where long enough, by their stems:
    "frightened" finds "frightened" and "frighten", "tristes" finds "triste"."""

    words: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    stemmer: str | None = None

    @classmethod
    def of(cls, words: list[str], stemmer: str | None) -> StemmedWords:
        listed = frozenset(w.lower() for w in words)
        stems = {_stem(stemmer, w) for w in listed} if stemmer else set()
        return cls(listed, frozenset(s for s in stems if len(s) >= _MIN_STEM), stemmer)

    def __bool__(self) -> bool:
        return bool(self.words)

    def found_in(self, words: list[str]) -> bool:
        """Whether one of `words` (lower case) is listed, or shares a listed word's stem."""
        for word in words:
            if word in self.words:
                return True
            if self.stemmer and len(word) >= _MIN_STEM and _stem(self.stemmer, word) in self.stems:
                return True
        return False


@dataclass(frozen=True)
class Lexicon:
    """What move detection and key phrases need to know about one language."""

    language: str
    segmenter: str  # pysbd language code
    stopwords: frozenset[str]
    pronouns: frozenset[str]
    term_trim: frozenset[str]
    abbreviations: frozenset[str]
    numbers: frozenset[str]
    plural_endings: tuple[str, ...]
    singular_endings: tuple[str, ...]
    count_links: frozenset[str]
    clause_words: frozenset[str]
    name_articles: frozenset[str]
    articles: frozenset[str]
    narrative_markers: frozenset[str]
    adverb_endings: tuple[str, ...]
    irregular_plurals: frozenset[str]
    name_links: frozenset[str]
    event_words: frozenset[str]
    place_words: frozenset[str]
    cues: dict[str, Cues]
    definition_belief: re.Pattern[str] | None
    dates: re.Pattern[str] | None
    # Function words from stopwords-iso as well as the list above: no key phrase starts or
    # ends with one, and none is a key phrase on its own.
    function_words: frozenset[str] = frozenset()
    # Words that cannot open a quote: what they point to is outside it ("He", "This", "Il").
    dangling: frozenset[str] = frozenset()
    # Determiners pointing back when a quote's first words hold one ("this tension").
    demonstratives: frozenset[str] = frozenset()
    # Of those, the ones a whole sentence may open on ("When", "In", an article).
    sentence_openers: frozenset[str] = frozenset()
    # Words that open a question ("Who …?", "Qui …?"): a question opening on one asks, even
    # where the same word elsewhere points back ("…, who had left").
    interrogatives: frozenset[str] = frozenset()
    # Pronouns and pronominal adverbs that point back wherever they stand among a quote's
    # first words ("Gewiss ist, dass sie …", "Man muss dazu …").
    back_pointers: frozenset[str] = frozenset()
    # Verbs that tag a character's words ("said", "disse", "dijo", "dit", "sagte").
    speech_verbs: frozenset[str] = frozenset()
    # Titles before a person's name ("Mr", "signor", "Herr"): a name after one is a person.
    person_titles: frozenset[str] = frozenset()
    # Verbs of saying and speaking in all their forms ("parla", "habla"): the text speaks of
    # things, so none is a key phrase.
    saying_verbs: frozenset[str] = frozenset()
    # Words after a comma that turn the clause before them ("pero", "ma"): no quote ends
    # just before one.
    turning: frozenset[str] = frozenset()
    # Words opening a sentence with a comma that turn it against the one before
    # ("pourtant", "sin embargo"): a quote keeps them and their clause when it can.
    opening_turns: frozenset[str] = frozenset()
    # Words of a tag that make a character's question a joke ("festivamente", "ridendo").
    jest_words: frozenset[str] = frozenset()
    # Words opening a play's scene heading ("Scena nona", "Scene II"): who is on stage is
    # counted scene by scene.
    scene_words: frozenset[str] = frozenset()
    # Question words asking for a fact ("dónde", "quando"): the story answers such a question.
    fact_askers: frozenset[str] = frozenset()
    # Words opening a question that asks whether something is so ("¿Es …?", "È …?").
    fact_openers: frozenset[str] = frozenset()
    # Ordinals, which after an article may stand for a noun named before ("la primera").
    ordinals: frozenset[str] = frozenset()
    stemmer: str | None = None  # the Snowball algorithm for this language
    # Words that tell a story ("was", "said") or argue a case ("is", "must"), and the first
    # person singular (a memoir or letters): what kinds.detect_kind weighs.
    story_words: frozenset[str] = frozenset()
    argument_words: frozenset[str] = frozenset()
    first_person: frozenset[str] = frozenset()
    # Of those, the ones that say what is the speaker's ("my", "mi"), not the speaker: "my
    # father is the mayor" tells of the father.
    first_person_possessive: frozenset[str] = frozenset()
    # The first person elided before an apostrophe ("j'", "m'": "j'ai", "m'hanno"), which a
    # word keeps as part of itself.
    first_person_elided: frozenset[str] = frozenset()
    # The speaker or writer himself: the first person words that are no possessive, and the
    # elided ones (`sentence_kinds.tells_of_self`).
    first_person_self: frozenset[str] = frozenset()
    # The first person plural ("we", "our"): the narrator and company are in a sentence
    # that says it.
    first_person_plural: frozenset[str] = frozenset()
    # Words that deny what a clause says ("not", "never", "nothing", "sin"): a feeling so
    # told is not felt.
    negations: frozenset[str] = frozenset()
    capitalised_nouns: bool = False  # German: a capital marks a noun, not a name
    # Words opening a clause that needs a main clause ("when", "dass", "que"): no quote is
    # such a clause alone.
    subordinators: frozenset[str] = frozenset()
    # How a chapter's summary line opens ("In which …", "De como …").
    summary_openers: tuple[str, ...] = ()
    # Endings of nouns ("-ung", "-heit"): in German, a capitalised word ending so is no name.
    noun_endings: tuple[str, ...] = ()
    # What a sentence is, for fitting a question to it (sentence_kinds.py): past actions
    # (a word in past_verbs, or with a past ending not in past_exceptions) make an event;
    # state_verbs tell a state; generic_subjects make a general statement; a hypothetical
    # opener makes a plan or a supposition; frame words and headings mark a preface.
    past_verbs: frozenset[str] = frozenset()
    past_endings: tuple[str, ...] = ()
    past_exceptions: frozenset[str] = frozenset()
    state_verbs: frozenset[str] = frozenset()
    # A past form by its ending after one of these is a participle that describes ("was
    # never lighted"): no action.
    copulas: frozenset[str] = frozenset()
    generic_subjects: frozenset[str] = frozenset()
    hypothetical: frozenset[str] = frozenset()
    conditional: frozenset[str] = frozenset()
    salutations: frozenset[str] = frozenset()
    # The book's reader, called on after a salutation ("Dear reader", "Caro lettore"): an
    # aside to the reader, no letter's greeting.
    readers_addressed: frozenset[str] = frozenset()
    frame_headings: frozenset[str] = frozenset()
    frame_words: frozenset[str] = frozenset()
    # Words naming the reader ("leitor", "lecteur"): a narrator's sentence that names them
    # is an aside, neither a scene nor a portrait.
    reader_words: frozenset[str] = frozenset()
    # A pronoun among a quote's first words that stands for something named before it ("de o
    # contar aos amigos": tell what?): the quote leans on the sentence before.
    points_back: re.Pattern[str] | None = None
    # Words naming a feeling or an act that shows one ("afraid", "wept"), words that judge or
    # paint ("strange", "pale", "blood"), and words of an arrival, a waking or a discovery
    # ("came", "woke", "noticed"): what a question on a moment, an impression or a turn needs.
    feeling_words: StemmedWords = field(default_factory=lambda: StemmedWords())
    judging_words: StemmedWords = field(default_factory=lambda: StemmedWords())
    arrival_words: StemmedWords = field(default_factory=lambda: StemmedWords())
    # A pronoun standing for a thing named before the quote as the object of its verb
    # ("allowed to discuss it", "gli prenderò"): what is done to what, the quote does not say.
    objects_back: re.Pattern[str] | None = None
    # An adjective that names a thing as the one spoken of before ("the aforementioned
    # manuscript", "el mencionado"): the quote names it but leans on the words before.
    aforementioned: frozenset[str] = frozenset()
    # The familiar "you" and its possessives ("tu", "teu", "ti"): in the narrator's words, a
    # figure spoken to ("Oh! Sancho, … Cahiu o throno de teu predecessor").
    second_person: frozenset[str] = frozenset()
    # A third person as a pronoun or possessive ("he", "his", "er", "son"): a quote opening
    # on one is about someone it leaves unnamed (subjects.py).
    third_person: frozenset[str] = frozenset()
    # A third person as the subject of its clause, one or many ("il", "ils", "they"): a verse
    # quote speaking of someone so, who is named nowhere in it, is asked whom it means.
    subject_pronouns: frozenset[str] = frozenset()
    # A third person's pronoun as an object ("qui le suit", "saw him"): never the subject of
    # its clause, so someone other than a figure the quote names (subjects.py).
    object_pronoun: re.Pattern[str] | None = None
    # The words after "il" that make it no one ("il y a", "il faut").
    impersonal_after: frozenset[str] = frozenset()
    # Where every noun has a capital: the words a noun stands after and a name does not.
    determiners: frozenset[str] = frozenset()
    # In a language that drops its subjects: a sentence opening on a verb with none ("No se
    # podía decir …", "Non sapeva …"), its subject left to the sentences before.
    subjectless: re.Pattern[str] | None = None

    @property
    def detects_moves(self) -> bool:
        return bool(self.cues)

    def stem(self, word: str) -> str:
        """The word's Snowball stem (lower case), or its first six letters without a stemmer."""
        return _stem(self.stemmer, word.lower())

    def lower_stems(self, words: list[str]) -> list[str]:
        """`stem` of each of `words`, which are in lower case already."""
        algorithm = self.stemmer
        return [_stem(algorithm, word) for word in words]


_SNOWBALL = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nl": "dutch", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip


@cache
def _stemmer(algorithm: str) -> snowballstemmer.Stemmer:
    # Imported when first used, as are the stop words: a process that makes no prompts
    # (most starts of the bot) never loads their 44 modules.
    import snowballstemmer

    return snowballstemmer.stemmer(algorithm)


@cache
def _stem(algorithm: str | None, word: str) -> str:
    if algorithm is None:
        return word[:6]
    return str(_stemmer(algorithm).stemWord(word))


def iso_stopwords(language: str) -> frozenset[str]:
    """stopwords-iso's list for the language, lower case; empty when it has none."""
    import stopwordsiso

    if not stopwordsiso.has_lang(language):
        return frozenset()
    return frozenset(w.lower() for w in stopwordsiso.stopwords(language))


def base_language(code: str) -> str:
    """'it-IT' → 'it'; empty or odd codes fall back to 'en'."""
    base = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base.isalpha() else "en"


def _lexicon_file(language: str) -> str | None:
    path = resources.files(__package__).joinpath("lexicons").joinpath(f"{language}.toml")
    return path.read_text(encoding="utf-8") if path.is_file() else None


_WORD_CHARACTER = re.compile(r"\w")


def _same_letters() -> dict[int, str]:
    """For each letter re.IGNORECASE takes for others besides its simple lower case ("s" and
    "ſ", "µ" and "μ"), one word character standing for them all. A character that is no
    word character keeps itself (the Greek iota's combining form), so that folding keeps
    every word character a word character and every other character not one."""
    table: dict[int, str] = {}
    for lower, others in EXTRA_CASES.items():
        words = [c for c in (lower, *others) if _WORD_CHARACTER.match(chr(c))]
        if _WORD_CHARACTER.match(chr(lower)):
            table[lower] = chr(min(words))
    return table


# The letters the table changes: rare, so most text needs lowering only.
_SAME_LETTER = {c: letter for c, letter in _same_letters().items() if chr(c) != letter}
_CHANGED_LETTER = re.compile("[" + "".join(map(re.escape, map(chr, _SAME_LETTER))) + "]")


def fold(text: str) -> str:
    """`text` with one character for all those re.IGNORECASE takes for the same letter; as
    long as `text`, and with word characters, digits and spaces where `text` has them."""
    lowered = text.replace("İ", "i").lower()
    return lowered.translate(_SAME_LETTER) if _CHANGED_LETTER.search(lowered) else lowered


class Cues(tuple[re.Pattern[str], ...]):
    """Cue patterns in order of preference, with a gate that rules out, in one pass, most
    sentences, which hold no cue.

    The gate is every pattern rewritten to match case-sensitively in the folded text (see
    `folded_pattern`): where a cue matches the text, its rewriting matches the folded text, so
    a sentence the gate passes over holds none. Patterns it cannot rewrite are tried as they
    are, all in one alternation (`rest`). Matching case-sensitively lets the engine skip
    ahead on literal letters, which it cannot do with re.IGNORECASE.

    In front of the gate, `words`: for each rewritten pattern, a word its every match holds
    whole ("defined" for "(?:is|are) defined as"); a sentence holding none of them (`Folded`)
    is passed over without running the gate. None where a pattern has no such word.
    """

    gate: re.Pattern[str] | None
    rest: re.Pattern[str] | None
    words: frozenset[str] | None

    def __new__(cls, patterns: list[str]) -> Cues:
        cues = super().__new__(cls, (re.compile(p, _FLAGS) for p in patterns))
        rewritten = [folded_pattern(p) for p in patterns]
        gated = [_without_leading_group(r) for r in rewritten if r is not None]
        cues.gate = re.compile(_alternation(gated)) if gated else None
        rest = [p for p, r in zip(patterns, rewritten, strict=True) if r is None]
        cues.rest = _any_of(rest) if rest else None
        # Every match of a cue is one of its rewriting, left-hand group and all.
        required = [whole_words(r) for r in rewritten if r is not None]
        cues.words = None
        if required and all(w is not None for w in required):
            cues.words = frozenset(w for words in required if words is not None for w in words)
        return cues

    def may_match(self, text: str, folded: Folded | None = None) -> bool:
        """False when no pattern matches `text`; `folded` is `Folded.of(text)`, if already
        made."""
        if self.gate is not None:
            ready = Folded.of(text) if folded is None else folded
            worth_trying = self.words is None or not self.words.isdisjoint(ready.words)
            if worth_trying and self.gate.search(ready.text):
                return True
        return self.rest is not None and self.rest.search(text) is not None

    def first_match(self, text: str, folded: Folded | None = None) -> re.Match[str] | None:
        """The match of the first pattern, in order, that matches `text`."""
        if not self.may_match(text, folded):
            return None
        for pattern in self:
            if match := pattern.search(text):
                return match
        return None


_WORD_RUN = re.compile(r"\w+")


@dataclass(frozen=True)
class Folded:
    """A sentence made ready for every cue gate at once: folded (`fold`), and the runs of
    word characters in it, which `Cues.words` are looked up in."""

    text: str
    words: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Folded:
        folded = fold(text)
        return cls(folded, frozenset(_WORD_RUN.findall(folded)))


# Most spellings one word of a pattern may take ("refers", "refer") before it is given up.
_MAX_SPELLINGS = 64


def whole_words(pattern: str) -> frozenset[str] | None:
    """Spellings of a word that every match of `pattern` (a rewritten pattern, matched
    case-sensitively in folded text) holds as a whole run of word characters; None when it
    has none.

    A word is a run of letters, or of alternatives made only of letters ("is|are"), with
    something right before it that ends on no word character (a boundary, "\\s+", a comma, or
    an optional part, such as "(?:best\\s+)?", after one) and the like right after it. Of
    several such words, the one whose shortest spelling is longest (the rarest, most likely)
    is taken.
    """
    items = list(_parser.parse(pattern).data)
    best: frozenset[str] | None = None
    i = 0
    while i < len(items):
        if _spellings(*items[i]) is None:
            i += 1
            continue
        end = i + 1
        while end < len(items) and _spellings(*items[end]) is not None:
            end += 1
        joined = _joined(items[i:end])
        whole = _edge(reversed(items[:i]), last=True) and _edge(items[end:], last=False)
        if whole and joined is not None and "" not in joined and _rarer(joined, best):
            best = joined
        i = end
    return best


def _rarer(spellings: frozenset[str], than: frozenset[str] | None) -> bool:
    """Whether a word's shortest spelling is longer than the other's: likely the rarer."""
    return than is None or min(map(len, spellings)) > min(map(len, than))


def _spellings(op: Any, av: Any) -> frozenset[str] | None:
    """The letters a parsed item spells, one spelling per alternative ("is|are", "[oa]",
    an optional "s?"); None for an item that may match anything but word characters."""
    if op is sre.LITERAL:
        char = chr(av)
        return frozenset({char}) if _WORD_CHARACTER.match(char) else None
    if op is sre.IN:
        chars = [chr(a) for o, a in av if o is sre.LITERAL]
        if len(chars) != len(av) or not all(map(_WORD_CHARACTER.match, chars)):
            return None
        return frozenset(chars)
    if op is sre.MAX_REPEAT and av[:2] == (0, 1):
        body = _joined(av[2].data)
        return None if body is None else body | {""}
    if op is sre.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            spelt = _joined(branch.data)
            if spelt is None:
                return None
            out |= spelt
        return frozenset(out)
    return None


def _joined(items: list[Any]) -> frozenset[str] | None:
    """The spellings of items one after the other; None past `_MAX_SPELLINGS`."""
    out = frozenset({""})
    for op, av in items:
        spelt = _spellings(op, av)
        if spelt is None:
            return None
        out = frozenset(a + b for a in out for b in spelt)
        if len(out) > _MAX_SPELLINGS:
            return None
    return out


def _edge(items: Any, *, last: bool) -> bool:
    """Whether the items next to a word (before it, nearest first, with `last`; after it,
    with not `last`) put a character that is no word character, or the text's edge, right
    next to it, whichever of their optional parts are there."""
    for op, av in items:
        edge, may_be_empty = _edge_of(op, av, last=last)
        if not edge:
            return False
        if not may_be_empty:
            return True
    return False  # the pattern's own edge: what comes there in the text is not known


def _edge_of(op: Any, av: Any, *, last: bool) -> tuple[bool, bool]:
    """For one parsed item: whether its last (with `last`, else first) character is no word
    character, or it marks a word's or the text's edge; and whether it may match nothing."""
    if op is sre.LITERAL:
        return not _WORD_CHARACTER.match(chr(av)), False
    if op is sre.AT:
        edges = (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING) if last else (sre.AT_END_STRING,)
        return av is sre.AT_BOUNDARY or av in edges, False
    if op is sre.IN:
        return _no_word_character(av), False
    if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
        low, _, body = av
        edge, empty = _sequence_edge(body.data, last=last)
        return edge, low == 0 or empty
    if op is sre.BRANCH:
        found = [_sequence_edge(branch.data, last=last) for branch in av[1]]
        return all(edge for edge, _ in found), any(empty for _, empty in found)
    if op is sre.SUBPATTERN:
        return _sequence_edge(av[3].data, last=last)
    return False, False


def _sequence_edge(items: list[Any], *, last: bool) -> tuple[bool, bool]:
    """`_edge_of` for a sequence of items."""
    for op, av in reversed(items) if last else items:
        edge, may_be_empty = _edge_of(op, av, last=last)
        if not edge:
            return False, False
        if not may_be_empty:
            return True, False
    return True, True


def _no_word_character(members: Any) -> bool:
    """Whether a character class holds no word character (and is not negated)."""
    for op, av in members:
        if op is sre.LITERAL and not _WORD_CHARACTER.match(chr(av)):
            continue
        if op is sre.CATEGORY and av in (sre.CATEGORY_SPACE, sre.CATEGORY_NOT_WORD):
            continue
        return False
    return True


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    """One pattern matching where any of `patterns` does."""
    return re.compile(_alternation(patterns), _FLAGS)


def _alternation(patterns: list[str]) -> str:
    """`patterns` as alternatives of one. The word boundary most cues open with is tested
    once for them all, which lets the engine skip ahead faster."""
    bounded = [p[2:] for p in patterns if p.startswith(r"\b")]
    others = [p for p in patterns if not p.startswith(r"\b")]
    parts = [r"\b(?:" + "|".join(f"(?:{p})" for p in bounded) + ")"] if bounded else []
    return "|".join(parts + [f"(?:{p})" for p in others])


def _without_leading_group(pattern: str) -> str:
    """A pattern that opens on a group of alternatives and holds no other ("(?:^|, |and
    )since"), without the group: it matches wherever the pattern does, and the engine finds
    the literal letters after the group faster than the places the group may match."""
    if not pattern.startswith("(?:") or pattern.startswith(r"(?:\b"):
        return pattern
    end = _group_end(pattern, 0)
    if end is None or end == len(pattern) or pattern[end] in _QUANTIFIERS | {"{"}:
        return pattern
    i = end
    while i < len(pattern):  # an alternative outside the group: the group is not required
        if pattern[i] == "|":
            return pattern
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] in "([":
            after = _group_end(pattern, i) if pattern[i] == "(" else _class_end(pattern, i)
            if after is None:
                return pattern
            i = after
        else:
            i += 1
    return pattern[end:]


# Escapes that mean the same in the folded text: folding keeps word characters, digits and
# spaces what they are (tests pin it for every character).
_KEPT_ESCAPES = frozenset("bBsSwWdD")
_QUANTIFIERS = frozenset("?*+}")
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def folded_pattern(pattern: str) -> str | None:
    """`pattern` rewritten to match, without re.IGNORECASE, the folded text (`fold(text)`)
    wherever it matches `text` with re.IGNORECASE, or None where it holds a construct this
    does not know. The rewriting may match more often: lookarounds are left out.

    Folding turns a character into one letter for all those re.IGNORECASE takes for it, and
    keeps every other character and the text's length, so each letter of the pattern is
    folded the same way; classes are kept, their letters folded, unless they hold a range.
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            if not (escaped in _KEPT_ESCAPES or (escaped.isascii() and not escaped.isalnum())):
                return None  # \A, \x41, \N{…}, a back reference: not worth the risk
            out.append(pattern[i : i + 2])
            i += 2
        elif char == "[":
            end = _class_end(pattern, i)
            folded_class = None if end is None else _folded_class(pattern[i + 1 : end - 1])
            if end is None or folded_class is None:
                return None
            out.append(folded_class)
            i = end
        elif pattern.startswith(_LOOKAROUNDS, i):
            end = _group_end(pattern, i)
            if end is None or pattern[end : end + 1] in _QUANTIFIERS | {"{"}:
                return None
            i = end  # a lookaround only narrows where the pattern matches
        elif char == "(":
            if pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
                return None  # flags, names, atomic groups, conditionals
            out.append("(?:")
            i += 3 if pattern.startswith("(?:", i) else 1
        elif char in _QUANTIFIERS and pattern[i + 1 : i + 2] == "+":
            return None  # a possessive quantifier: matching may then depend on the path
        elif char in ".^$*+?{}|)":
            out.append(char)
            i += 1
        else:
            out.append(re.escape(fold(char)))
            i += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int | None:
    """The index just after the class opening at `start`; None for a class this does not
    read (one opening on "]" or holding "[")."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):
        return None
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
        elif pattern[i] == "[":
            return None
        elif pattern[i] == "]":
            return i + 1
        else:
            i += 1
    return None


def _folded_class(body: str) -> str | None:
    """A class's body with its letters folded; None when it holds a range."""
    out = ["["]
    i = 0
    if body.startswith("^"):
        out.append("^")
        i = 1
    while i < len(body):
        char = body[i]
        if char == "\\":
            escaped = body[i + 1 : i + 2]
            if not (escaped in _KEPT_ESCAPES or (escaped.isascii() and not escaped.isalnum())):
                return None
            out.append(body[i : i + 2])
            i += 2
            continue
        if char == "-" and 0 < i < len(body) - 1 and body[i - 1] != "^":
            return None  # a range: its folded ends need not bound the same letters
        out.append(re.escape(fold(char)))
        i += 1
    out.append("]")
    return "".join(out)


def _group_end(pattern: str, start: int) -> int | None:
    """The index just after the group opening at `start`."""
    depth = 0
    i = start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            end = _class_end(pattern, i)
            if end is None:
                return None
            i = end
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _compile(patterns: object) -> Cues:
    if isinstance(patterns, str):
        patterns = [patterns]
    assert isinstance(patterns, list)
    return Cues(patterns)


@cache
def lexicon_for(language: str) -> Lexicon:
    """The lexicon for `language`; a language without one gets a generic, cue-less lexicon."""
    source = _lexicon_file(language)
    iso = iso_stopwords(language)
    if source is None:
        return Lexicon(
            language=language,
            segmenter=language,
            stopwords=iso,
            pronouns=frozenset(),
            term_trim=frozenset(),
            abbreviations=frozenset(),
            numbers=frozenset(),
            plural_endings=(),
            singular_endings=(),
            count_links=frozenset(),
            clause_words=frozenset(),
            name_articles=frozenset(),
            articles=frozenset(),
            narrative_markers=frozenset(),
            adverb_endings=(),
            irregular_plurals=frozenset(),
            name_links=frozenset(),
            event_words=frozenset(),
            place_words=frozenset(),
            cues={},
            definition_belief=None,
            dates=None,
            function_words=iso,
            stemmer=_SNOWBALL.get(language),
        )
    data = tomllib.loads(source)
    raw_cues = dict(data.get("cues", {}))
    belief = raw_cues.pop("definition_belief", None)
    dates = raw_cues.pop("dates", None)
    stopwords = frozenset(data.get("stopwords", ()))
    kept = frozenset(data.get("not_function_words", ()))
    return Lexicon(
        language=language,
        segmenter=data.get("segmenter", language),
        stopwords=stopwords,
        pronouns=frozenset(data.get("pronouns", ())),
        term_trim=frozenset(data.get("term_trim", ())),
        abbreviations=frozenset(data.get("abbreviations", ())),
        numbers=frozenset(data.get("numbers", ())),
        plural_endings=tuple(data.get("plural_endings", ())),
        singular_endings=tuple(data.get("singular_endings", ())),
        count_links=frozenset(data.get("count_links", ())),
        clause_words=frozenset(data.get("clause_words", ())),
        name_articles=frozenset(data.get("name_articles", ())),
        articles=frozenset(data.get("articles", ())),
        narrative_markers=frozenset(data.get("narrative_markers", ())),
        adverb_endings=tuple(data.get("adverb_endings", ())),
        irregular_plurals=frozenset(data.get("irregular_plurals", ())),
        name_links=frozenset(data.get("name_links", ())),
        event_words=frozenset(data.get("event_words", ())),
        place_words=frozenset(data.get("place_words", ())),
        cues={name: _compile(patterns) for name, patterns in raw_cues.items()},
        definition_belief=re.compile(belief, _FLAGS) if belief else None,
        dates=re.compile(dates, _FLAGS) if dates else None,
        function_words=(stopwords | iso) - kept,
        dangling=frozenset(data.get("dangling", ())),
        demonstratives=frozenset(data.get("demonstratives", ())),
        sentence_openers=frozenset(data.get("sentence_openers", ())),
        interrogatives=frozenset(data.get("interrogatives", ())),
        back_pointers=frozenset(data.get("back_pointers", ())),
        speech_verbs=frozenset(data.get("speech_verbs", ())),
        person_titles=frozenset(data.get("person_titles", ())),
        saying_verbs=frozenset(data.get("saying_verbs", ())),
        turning=frozenset(data.get("turning", ())),
        opening_turns=frozenset(data.get("opening_turns", ())),
        jest_words=frozenset(data.get("jest_words", ())),
        scene_words=frozenset(data.get("scene_words", ())),
        fact_askers=frozenset(data.get("fact_askers", ())),
        fact_openers=frozenset(data.get("fact_openers", ())),
        ordinals=frozenset(data.get("ordinals", ())),
        stemmer=_SNOWBALL.get(language),
        story_words=frozenset(data.get("story_words", ())),
        argument_words=frozenset(data.get("argument_words", ())),
        first_person=frozenset(data.get("first_person", ())),
        first_person_possessive=frozenset(data.get("first_person_possessive", ())),
        first_person_elided=frozenset(data.get("first_person_elided", ())),
        first_person_self=(
            frozenset(data.get("first_person", ()))
            - frozenset(data.get("first_person_possessive", ()))
        )
        | frozenset(data.get("first_person_elided", ())),
        first_person_plural=frozenset(data.get("first_person_plural", ())),
        negations=frozenset(data.get("negations", ())),
        capitalised_nouns=bool(data.get("capitalised_nouns", False)),
        subordinators=frozenset(data.get("subordinators", ())),
        summary_openers=tuple(data.get("summary_openers", ())),
        noun_endings=tuple(data.get("noun_endings", ())),
        past_verbs=frozenset(data.get("past_verbs", ())),
        past_endings=tuple(data.get("past_endings", ())),
        past_exceptions=frozenset(data.get("past_exceptions", ())),
        state_verbs=frozenset(data.get("state_verbs", ())),
        copulas=frozenset(data.get("copulas", ())),
        generic_subjects=frozenset(data.get("generic_subjects", ())),
        hypothetical=frozenset(data.get("hypothetical", ())),
        conditional=frozenset(data.get("conditional", ())),
        salutations=frozenset(data.get("salutations", ())),
        readers_addressed=frozenset(data.get("readers_addressed", ())),
        frame_headings=frozenset(data.get("frame_headings", ())),
        frame_words=frozenset(data.get("frame_words", ())),
        reader_words=frozenset(data.get("reader_words", ())),
        points_back=re.compile(data["points_back"], _FLAGS) if "points_back" in data else None,
        feeling_words=StemmedWords.of(data.get("feeling_words", []), _SNOWBALL.get(language)),
        judging_words=StemmedWords.of(data.get("judging_words", []), _SNOWBALL.get(language)),
        # Verbs of arriving share stems with idioms ("arrivar a ricordare", "llegar a ser"):
        # only the forms listed count.
        arrival_words=StemmedWords.of(data.get("arrival_words", []), None),
        objects_back=re.compile(data["objects_back"], _FLAGS) if "objects_back" in data else None,
        aforementioned=frozenset(data.get("aforementioned", ())),
        second_person=frozenset(data.get("second_person", ())),
        third_person=frozenset(data.get("third_person", ())),
        subject_pronouns=frozenset(data.get("subject_pronouns", ())),
        impersonal_after=frozenset(data.get("impersonal_after", ())),
        object_pronoun=(
            re.compile(data["object_pronoun"], _FLAGS) if "object_pronoun" in data else None
        ),
        determiners=frozenset(data.get("determiners", ())),
        subjectless=re.compile(data["subjectless"], _FLAGS) if "subjectless" in data else None,
    )
