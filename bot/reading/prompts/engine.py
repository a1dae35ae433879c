"""From a section's text to its discussion prompts: find moves, score them, fill the plan."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from itertools import islice

from bot.reading.prompts.apparatus import without_apparatus
from bot.reading.prompts.centrality import centrality
from bot.reading.prompts.keyphrases import ends_on_noun, generic_stopwords, key_phrases
from bot.reading.prompts.kind_moves import (
    MOVES_OF,
    Speaker,
    asks_a_fact,
    detect_kind_moves,
    play_speakers,
    stage_features,
)
from bot.reading.prompts.kinds import TextKind, detect_kind
from bot.reading.prompts.lexicon import Lexicon, base_language, lexicon_for
from bot.reading.prompts.model import (
    MAX_CHARS,
    MIN_CHARS,
    MoveKind,
    Passage,
    Prompt,
    PromptKind,
    PromptSet,
)
from bot.reading.prompts.moves import Move, detect_moves
from bot.reading.prompts.question_templates import Template, TemplateSet, templates_for
from bot.reading.prompts.quotes import (
    MAX_WORDS,
    MIN_GOOD_WORDS,
    QuotableText,
    QuoteWords,
    choose_quote_in,
)
from bot.reading.prompts.sentence_kinds import (
    ADDRESSED,
    ARRIVAL,
    ASKING,
    BARE,
    CHARGED,
    EVENT,
    FEELING,
    FELT,
    FIGURED,
    FRAME,
    LETTER,
    PERSONAL,
    PLACED,
    PLAN,
    RHETORICAL,
    RHYMED,
    SCRAP,
    SPOKEN,
    TIMED,
    TURNED,
    UNNAMED,
    answered_at_once,
    in_speech,
    is_frame,
    is_letter,
    is_question,
    opening_turn,
    opens_speech_before,
    rhymes,
    sentence_features,
    statement_class,
    tells_of_self,
)
from bot.reading.prompts.sentences import (
    ParsedSection,
    Sentence,
    count_quote_words,
    has_quote_words,
    parse_section,
)
from bot.reading.prompts.speakers import named_speaker, speaker_in_open_speech, spoken_words
from bot.reading.prompts.subjects import (
    figure_before,
    figures,
    german_names,
    leaves_someone_unnamed,
    named_before,
    unnamed_subject,
)
from bot.reading.text import WORD

# A reading this long is drafted on a process pool when one is given. A new pool's workers
# take about a quarter of a second to start drafting (forked, the lexicon loaded, the
# patterns compiled): at 32 sections the pool was still the slower (0.71 s against 0.60 s),
# at 48 the faster (0.85 s against 0.89 s), at 64 by a fifth (`python -m bench.parse_cores
# --sections 24 32 48 64`).
PARALLEL_FROM_SECTIONS = 40
_CHUNKS = 16  # pieces of a reading handed to the pool: small enough to even out its workers

# Shorter quotes to try when a question with the full quote runs past MAX_CHARS.
_SHRINK = (MAX_WORDS, 20, 15, 11, 7, 4)
_CENTRAL_POOL = 10
_KEY_PHRASE_POOL = 3
# Score adjustments, in units of a move's strength (about 0.3 to 1.3).
_SAME_MOVE_PENALTY = 0.3
_TEMPLATE_USE_PENALTY = 0.1
_PHRASE_REUSE_PENALTY = 0.35
_NEW_PARAGRAPH_BONUS = 0.15
_CENTRALITY_BONUS = 0.25
_FRAME_OPENING_BONUS = 0.5
# A story's long sentence quoted up to a comma, most of it left out, before a clause that
# qualifies the words quoted or a pause leading to its last words: the narrator's point is
# often there ("…, quando a velha ponte caiu, …"), so such a quote ranks lower.
CUT_SHORT_PENALTY = 0.2
_PAUSE = re.compile(r"(?:\.\.\.|…)\s*\w")
_CUT_SHORT_WORDS = 15  # a clause or two left out loses little; half a sentence loses its point
# A story's sentence that tells the time or the way ("At nine o'clock the guests went home"):
# a transition, quoted only when nothing stronger is at hand.
_TIMETABLE_PENALTY = 0.5
# A story's quote cut at a comma before a clause of this many words or more leaves its point
# out ("… climbed onto the kitchen table, | and sang …"): the evaluative question is
# asked of another sentence where one will do.
_LEFT_OUT_WORDS = 10
_LEFT_OUT_PENALTY = 0.4
_LEFT_OUT_SENTENCE = 40  # words: a sentence only a little too long to quote whole
_LEFT_OUT_SHARE = 3  # a quote keeping a quarter of its sentence or less, however long
# A quote opening on a demonstrative and its noun points back: "Diese Spannung", "This
# tension".
_DEMONSTRATIVE_LEADS = 3
# An aside of up to this many words may open a quote before its clause: "Nous l'avouons, …".
ASIDE_WORDS = 3
# A pronoun among a quote's first words points back as surely as one opening it: "Sicher
# ist, dass sie …", "Die Frage ist, wie lange es …".
_POINTER_LEADS = 6
# With this many sentences standing on their own, a section quotes none that leans.
_STANDING_ENOUGH = 8
# An argument's quote that stops at a colon, before the point it announces.
_ANNOUNCING = 0.4
# A story's sentence that only says where someone stands ("Mr. A and the baker were in the
# hall by the stairs"), or a scrap of a few words: quoted when nothing better is left.
_FLAT_PENALTY = 0.25
# A sentence quoted with the one before it needs that one to say something: this many words.
_JOINED_LEADS = 4
# Two sentences quoted together are less sharp than one that stands alone.
_JOINED_PENALTY = 0.4
_OPENING_MARKS = {'"': '"', "“": "”", "«": "»", "„": "“", "»": "«"}
# A quote whose verb acts on a thing named before it ("nobody here dares to mention it").
_OBJECT_BACK_PENALTY = 0.4
# A question any sentence can take is put to a few words ("Not even at noon") only when no
# longer sentence is left to take it.
_SCRAP_LAST_RESORT_PENALTY = 1.0
# How a line strikes the readers, asked in words any line can take, is asked of one with no
# one in it and no word of feeling or picture ("The sun burns as it has not burned this
# year") only when no other new sentence is left to take it.
_BARE_LAST_RESORT_PENALTY = 0.5
# A quote opening on "the aforementioned …" names its thing but leans a little on the words
# before: another that stands wholly alone is quoted first where one does as well.
_AFOREMENTIONED_PENALTY = 0.15
# A story's quote whose point comes just after it, where no quote of it can reach: the turn
# its sentence takes after a semicolon or a dash ("… -- when Providence sent me …"), or the
# short exclamation that answers it in the next paragraph ("Good God! what a hovel!").
_POINT_FOLLOWS_PENALTY = 0.5
# A plan's paragraph closing on a line this short just after it: the line says what it means.
_CLOSING_WORDS = 8
_ANSWERING_WORDS = 12  # words: an exclamation this short after a sentence answers it
_DASHES = ("--", "—", "–")
# The narrator's words to a figure as "you", cut from the apostrophe that names it.
_SPOKEN_TO_PENALTY = 0.3

_FACTUAL = PromptKind.FACTUAL
_INTERPRETIVE = PromptKind.INTERPRETIVE
_EVALUATIVE = PromptKind.EVALUATIVE
_PLANS: dict[int, tuple[PromptKind, ...]] = {
    3: (_FACTUAL, _INTERPRETIVE, _EVALUATIVE),
    4: (_FACTUAL, _INTERPRETIVE, _INTERPRETIVE, _EVALUATIVE),
    5: (_FACTUAL, _INTERPRETIVE, _INTERPRETIVE, _INTERPRETIVE, _EVALUATIVE),
}
# The core questions get the strongest material; openers and closers take what fits them.
_FILL_ORDER: dict[PromptKind, int] = {_INTERPRETIVE: 0, _FACTUAL: 1, _EVALUATIVE: 2}
_KIND_ORDER: dict[PromptKind, int] = {_FACTUAL: 0, _INTERPRETIVE: 1, _EVALUATIVE: 2}
# A preface's factual question asks where the story comes from and who tells it: its opening
# sentence is that question's material, so it chooses first.
_FRAME_FILL_ORDER: dict[PromptKind, int] = {_FACTUAL: 0, _INTERPRETIVE: 1, _EVALUATIVE: 2}


def prompt_count(words: int) -> int:
    """Three prompts for a short section, four for a middling one, five for a long one."""
    if words < 150:
        return 3
    return 4 if words < 450 else 5


@dataclass(frozen=True)
class SectionWords:
    """The word lists quoting relies on."""

    quote: QuoteWords
    # Of the dangling words, the ones that dangle even at a sentence's start: "She …", not
    # "When …".
    start_dangling: frozenset[str] = frozenset()
    demonstratives: frozenset[str] = frozenset()
    # The start-dangling words that still dangle when a question opens on them: the
    # interrogatives are taken out ("Who had left the gate open?" asks; it is no "who" of a
    # clause begun before).
    question_dangling: frozenset[str] = frozenset()
    back_pointers: frozenset[str] = frozenset()
    # The section's sentences by index, each cut into tokens once for all its quotes.
    sentences: tuple[QuotableText, ...] = ()
    # An article and an ordinal ("la primera"), and the verbs after which the pair stands
    # for a noun named before: "La primera dice: …".
    ordinal_leads: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()
    points_back: re.Pattern[str] | None = None  # the language's pronouns that point back
    objects_back: re.Pattern[str] | None = None  # an object pronoun for a thing named before
    # A character's words tagged with a pronoun only ("… door?” he asked", "», dit-il").
    pronoun_tag: re.Pattern[str] | None = None
    aforementioned: frozenset[str] = frozenset()  # "el mencionado manuscrito"
    # What quoted words of a sentence are (`sentence_features`), by sentence and words
    # quoted: a move and the sentence's own candidate often quote the same words.
    features: dict[tuple[Sentence, str | None], frozenset[str]] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    @property
    def stopwords(self) -> frozenset[str]:
        return self.quote.stopwords

    @property
    def dangling(self) -> frozenset[str]:
        return self.quote.dangling


@dataclass
class Candidate:
    """A place in the section a prompt may ask about: its move, how strong, what it is
    (features) and the words to quote."""

    move: MoveKind
    strength: float
    features: frozenset[str]
    slots: dict[str, str]
    sentence: Sentence | None = None
    anchor: tuple[int, int] = (0, 0)
    from_anchor: bool = False
    within: bool = False
    key_phrase: str | None = None
    # The words to quote from when they are not the sentence's own: the sentence and the one
    # before it (`with_sentence_before`).
    quotable: QuotableText | None = None
    _quotes: dict[int, tuple[int, int] | None] = field(default_factory=dict)
    _dangles: bool | None = None  # `dangles`, once asked: its quality, then its standing

    @property
    def order(self) -> int:
        return self.sentence.index if self.sentence else 1_000_000

    @property
    def orders(self) -> frozenset[int]:
        """The sentences its quote takes words from: its own, and the one before it when the
        two are quoted together (`with_sentence_before`)."""
        if self.sentence is None:
            return frozenset()
        if self.quotable is None:
            return frozenset({self.sentence.index})
        return frozenset({self.sentence.index - 1, self.sentence.index})

    def quote_span(self, max_words: int, words: SectionWords) -> tuple[int, int] | None:
        if self.sentence is None:
            return None
        if max_words not in self._quotes:
            quotable = self.quotable or words.sentences[self.sentence.index]
            offset, anchor = 0, self.anchor
            if self.within:
                # A character's words: quote them, not the tag around them.
                offset = self.anchor[0]
                text = self.sentence.text[self.anchor[0] : self.anchor[1]]
                quotable, anchor = QuotableText(text, words.quote), (0, len(text))
            span = choose_quote_in(
                quotable, anchor, max_words=max_words, from_anchor=self.from_anchor
            )
            self._quotes[max_words] = (span[0] + offset, span[1] + offset) if span else None
        return self._quotes[max_words]

    def dangles(self, words: SectionWords) -> bool:
        """Whether the quote leans on the sentence before: it opens on a word pointing back
        ("He", "Mais", "Freilich") or names something by a demonstrative among its first
        words ("this tension", "diese Spannung")."""
        if self._dangles is None:
            self._dangles = self._leans(words)
        return self._dangles

    def _leans(self, words: SectionWords) -> bool:
        if self.sentence is None:
            return False
        span = self.quote_span(MAX_WORDS, words)
        if span is None:
            return False
        if self.from_anchor:
            # A definition quoted from its verb: its start is the cue, but its end may still
            # point back.
            return _ends_pointing_back(self.sentence.text[span[0] : span[1]], words)
        # Only its first words matter: no need to cut the rest of the quote.
        found = WORD.finditer(self.sentence.text, span[0], span[1])
        first = [m.group() for m in islice(found, _DEMONSTRATIVE_LEADS)]
        opening = [w.lower() for w in first]
        if not opening:
            return False
        # A whole sentence may open on "When" or "In"; only a pronoun points outside it. A
        # question may open on "Who" or "Which" too: it asks.
        dangling = words.start_dangling if span[0] == 0 else words.dangling
        if span[0] == 0 and is_question(self.sentence.text):
            dangling = words.question_dangling
        # "Le Poète …": an article before a capitalised figure, not "le" standing for a thing.
        named = opening[0] in words.quote.articles and first[1:2] != [] and first[1][0].isupper()
        if opening[0] in dangling and not named:
            return True
        lead = opening[:_DEMONSTRATIVE_LEADS]
        if any(w in words.demonstratives for w in lead[:-1]):
            return True
        quoted = self.sentence.text[span[0] : span[1]]
        if words.points_back is not None and words.points_back.search(quoted):
            return True  # "Preciso de o contar aos amigos": tell what?
        if words.pronoun_tag is not None and words.pronoun_tag.search(quoted):
            return True  # "“Have you ever seen that bridge?” he asked": who asks?
        # After a short aside ("Disons-le, ces deux villages …", "Freilich, er …") the
        # clause starts again: its first words may point back as a sentence's can.
        comma = quoted.find(",")
        if comma >= 0 and len(WORD.findall(quoted[:comma])) <= ASIDE_WORDS:
            leads = islice(WORD.finditer(quoted, comma + 1), max(1, _DEMONSTRATIVE_LEADS - 1))
            rest = [m.group().lower() for m in leads]
            if rest and rest[0] in words.start_dangling - words.quote.clause_words:
                return True  # "…, il …"; but "Tratto con tutti, ma …" goes on with its clause
            if any(w in words.demonstratives for w in rest[: _DEMONSTRATIVE_LEADS - 1]):
                return True
        return _points_back(quoted, words) or _ordinal_for_a_noun(quoted, opening, words)

    def announces(self, words: SectionWords) -> bool:
        """Whether the quote stops at a colon or semicolon its sentence goes on after: in an
        argument, what comes next is the point ("Bei allem Werthe, der … zukommen mag: …"),
        or the other half of a balance ("In the fifteenth century …; in the nineteenth …")."""
        span = self.quote_span(MAX_WORDS, words) if self.sentence else None
        if span is None or self.sentence is None:
            return False
        text = self.sentence.text
        return text[span[1] : span[1] + 1] in (":", ";") and bool(text[span[1] + 1 :].strip())

    def quote_quality(self, words: SectionWords) -> float | None:
        """A bonus for quotes that stand on their own, a penalty for scraps; None if unquotable."""
        if self.sentence is None:
            return 0.0
        span = self.quote_span(MAX_WORDS, words)
        if span is None:
            return None
        text = self.sentence.text
        quality = 0.0
        quote = text[span[0] : span[1]]
        if self.move is MoveKind.QUESTION and not quote.rstrip("\"'”’»“«").endswith("?"):
            return None  # the text's own question, quoted whole or not at all
        if self.dangles(words):
            quality -= 0.8  # "He took it": who, and what?
        elif names_as_aforementioned(quote, words):
            quality -= _AFOREMENTIONED_PENALTY
        if self.from_anchor and span[0] == self.anchor[0]:
            return quality + 0.15  # a definition quoted from its verb: "is the belief that …"
        if span[0] == 0:
            quality += 0.12
            if span[1] >= len(text.rstrip().rstrip(".")):
                quality += 0.08
        elif text[span[0]].islower():
            quality -= 0.1  # starts mid-sentence: its subject may be missing
        if len(text[span[0] : span[1]].split()) < MIN_GOOD_WORDS:
            quality -= 0.3
        if " -- " in quote:
            quality -= 0.5  # a typewriter's dash set in prose: shown, it would need retyping
        return quality


def names_as_aforementioned(quote: str, words: SectionWords) -> bool:
    """Whether a quote opens on an article and an adjective naming its thing as the one
    spoken of before ("El mencionado manuscrito …", "The aforesaid letter …"): it names the
    thing, but which one the words before it tell."""
    first = [w.lower() for w in islice(WORD.findall(quote), 2)]
    return len(first) == 2 and first[0] in words.quote.articles and first[1] in words.aforementioned


def _ordinal_for_a_noun(quote: str, opening: list[str], words: SectionWords) -> bool:
    """Whether a quote opens on an article and an ordinal that stand for a noun named
    before: "La primera dice: Diario de viaje", "Il secondo, …" (not "La primera vez")."""
    if " ".join(opening[:2]) not in words.ordinal_leads:
        return False
    if len(opening) == 2 or opening[2] in words.verbs:
        return True
    return bool(re.match(r"\W*\w+\s+\w+\s*[,;:]", quote))


@dataclass
class Balance:
    """Template and key-phrase use across a whole reading."""

    cap: int | None = None
    templates: Counter[str] = field(default_factory=Counter)
    phrases: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Choice:
    candidate: Candidate
    template: Template
    prompt: Prompt
    score: float


NO_TEMPLATES_NOTE = (
    "No question templates for '{language}' yet, so no prompts were drafted: here are "
    "passages to start from. Write the questions with /prompts add."
)


@dataclass(frozen=True)
class PromptLanguage:
    """What prompts in one language are drafted with: its lexicon, its question templates, its
    base code, and the note shown when it has no templates."""

    lexicon: Lexicon
    templates: TemplateSet | None  # None: no templates in this language, passages only
    code: str
    note: str | None


@lru_cache(maxsize=64)  # the code as a member typed it: bounded
def language_for(code: str) -> PromptLanguage:
    """The lexicon and question templates for the language `code` names."""
    base = base_language(code)
    templates = templates_for(base)
    note = None
    if templates is None:
        note = NO_TEMPLATES_NOTE.format(language=code.strip() or base)
    return PromptLanguage(lexicon_for(base), templates, base, note)


def _points_back(quote: str, words: SectionWords) -> bool:
    """Whether a pronoun among the quote's first words points to someone or something the
    quote does not name: none does once a name stands before it ("Mr. Otis said he …"), nor
    one written with a capital in mid-sentence (German "Sie"), nor one pointing ahead to a
    clause ("dazu, dass …")."""
    if not words.back_pointers:
        return False
    # Only the first words matter: the rest of the quote is not cut into words.
    for i, match in enumerate(islice(WORD.finditer(quote), _POINTER_LEADS)):
        word = match.group(0)
        if i and word[:1].isupper() and not words.quote.capitalised_nouns:
            return False  # a name first: what follows may point to it
        if i == 0 or word not in words.back_pointers:
            continue
        following = WORD.search(quote, match.end())
        ahead = [following.group(0).lower()] if following else []
        comma = quote[match.end() :].lstrip().startswith(",")
        if comma and ahead and ahead[0] in words.quote.subordinators:
            continue  # "dazu, dass …": the clause it points to follows
        return True
    return False


def _ends_pointing_back(quote: str, words: SectionWords) -> bool:
    """Whether a quote ends on a pronoun standing for what came before it: "A good law
    means that nobody needs to think about it"."""
    last = WORD.findall(quote)[-1:]
    return bool(last) and last[0] in words.back_pointers


def section_words(
    lexicon: Lexicon, parsed: ParsedSection, kind: TextKind, *, lenient: bool = False
) -> SectionWords:
    """The word lists a section's quotes are chosen with, for a text of the kind `kind`;
    `lenient` lets a quote be cut at a word where nothing else can be quoted."""
    stopwords = lexicon.stopwords or generic_stopwords([s.text for s in parsed.sentences])
    quote = QuoteWords(
        stopwords,
        lexicon.clause_words,
        lexicon.abbreviations,
        lexicon.dangling,
        lexicon.subordinators,
        stage=kind == TextKind.DRAMA,
        verse=kind == TextKind.VERSE,
        capitalised_nouns=lexicon.capitalised_nouns,
        turning=lexicon.turning,
        opening_turns=lexicon.opening_turns,
        articles=lexicon.articles,
        demonstratives=lexicon.demonstratives,
        lenient=lenient,
    )
    sentences = tuple(QuotableText(s.text, quote) for s in parsed.sentences)
    return SectionWords(
        quote,
        lexicon.dangling - lexicon.sentence_openers,
        lexicon.demonstratives,
        lexicon.dangling - lexicon.sentence_openers - lexicon.interrogatives,
        # In a story, "she" in a quote's first words is most often the one the story follows;
        # in an argument it stands for a thing named before.
        lexicon.back_pointers if kind == TextKind.ARGUMENT else frozenset(),
        sentences,
        frozenset(f"{a} {o}" for a in lexicon.articles for o in lexicon.ordinals),
        lexicon.saying_verbs | lexicon.speech_verbs | lexicon.state_verbs,
        lexicon.points_back,
        lexicon.objects_back,
        _pronoun_tag(lexicon),
        lexicon.aforementioned,
    )


def _pronoun_tag(lexicon: Lexicon) -> re.Pattern[str] | None:
    """The tag of a character's words that names the speaker by a pronoun alone: after the
    closing mark or a dash, a pronoun and a verb of saying ("he asked") or the other way round
    ("added he", "dit-il")."""
    pronouns = lexicon.narrative_markers & lexicon.dangling
    if not pronouns or not lexicon.speech_verbs:
        return None
    pronoun = "|".join(map(re.escape, sorted(pronouns, key=len, reverse=True)))
    verb = "|".join(map(re.escape, sorted(lexicon.speech_verbs, key=len, reverse=True)))
    return re.compile(
        rf"[”»«“\"’'—–-][,.!?]?\s*(?:(?:{pronoun})\s+(?:{verb})|(?:{verb})[\s-]+(?:{pronoun}))\b",
        re.IGNORECASE,
    )


def _standing(first: str, rest: str, apart: str) -> str:
    """`(?<!apart)` + the character `first` + the pattern `rest` + `(?!apart)`, written with
    the look behind after the first character: the same matches, but the engine skips
    ahead to that character instead of trying the look behind at every position."""
    return f"{re.escape(first)}(?<!{apart}[\\s\\S]){rest}(?!{apart})"


def occurrences_of(phrase: str, text: str) -> int:
    """How often `phrase` occurs in `text`, not inside a longer word, its words apart by any
    spaces, in any case."""
    first, *others = phrase.split()
    rest = re.escape(first[1:]) + "".join(r"\s+" + re.escape(word) for word in others)
    return len(re.findall(_standing(first[0], rest, r"\w"), text, re.IGNORECASE))


def section_candidates(
    parsed: ParsedSection,
    lexicon: Lexicon,
    words: SectionWords,
    title: str | None,
    kind: TextKind,
    extra: frozenset[str] = frozenset(),
    *,
    wide: bool = False,
    sources: SectionSources | None = None,
) -> list[Candidate]:
    """The section's candidates, each with its quote's quality and features; `sources` are
    `_sources(…)` of the same section, words and kind, if already worked out."""
    out: list[Candidate] = []
    if sources is None:
        sources = _sources(parsed, lexicon, words.stopwords, title, kind)
    raw = _raw_candidates(parsed, lexicon, kind, sources, wide=wide, letter=LETTER in extra)
    if FRAME in extra:
        # A story's preface is asked about as an argument, but a word it says twice is
        # the story's ("papeles", "paziente"), not a notion it argues over.
        raw = [c for c in raw if c.move is not MoveKind.KEYPHRASE]
        for candidate in raw:
            if candidate.sentence is not None and candidate.sentence.index == 0:
                # Its first words set up who tells the story and how they came by it.
                candidate.strength += _FRAME_OPENING_BONUS
    if kind == TextKind.STORY:
        raw += story_speakers(raw, parsed, lexicon)
    argument = kind == TextKind.ARGUMENT and FRAME not in extra  # a story's preface is no argument
    for candidate in raw:
        if (
            kind == TextKind.STORY
            and candidate.sentence is not None
            and is_question(candidate.sentence.text)
            and answered_at_once(candidate.sentence, parsed)
        ):
            # The narrator's question his next few words settle: nothing to ask, whatever
            # the move that found it.
            continue
        candidate = with_sentence_before(candidate, parsed, words)
        quality = _quality(candidate, words, lexicon, kind, argument=argument)
        if quality is not None:
            candidate.strength += quality
            candidate.features |= {kind} | extra
            if candidate.sentence is not None:
                candidate.features |= _quoted_features(candidate, parsed, lexicon, words, kind)
                if kind == TextKind.VERSE:
                    _mark_turn(candidate, words)
                    _mark_unnamed(candidate, parsed, lexicon, words)
                elif kind == TextKind.STORY:
                    _weigh_story_quote(candidate, parsed, lexicon, words)
            out.append(candidate)
    # An argument's sections hold many statements: with enough standing alone, none leans.
    return _without_links(_standing_alone(out, words, strict=argument), words)


def _weigh_story_quote(
    candidate: Candidate, parsed: ParsedSection, lexicon: Lexicon, words: SectionWords
) -> None:
    """A story's quote, marked and weighed for what it is: a flat line or a scrap ranks lower,
    a line that only tells the clock or has no one and nothing striking in it is marked so
    (TIMED, BARE) for the questions that need a moment, and a quote stopping before its point
    or speaking to a figure as "thou" ranks lower."""
    if candidate.features & {PLACED, SCRAP}:
        candidate.strength -= _FLAT_PENALTY
    if _only_the_clock(candidate, lexicon):
        candidate.features |= {TIMED}
    if _bare(candidate, lexicon):
        candidate.features |= {BARE}
    if _felt(candidate, lexicon, words):
        candidate.features |= {FELT}
    if point_follows(candidate, parsed, words, lexicon):
        candidate.strength -= _POINT_FOLLOWS_PENALTY
    if is_spoken_to(candidate):
        candidate.strength -= _SPOKEN_TO_PENALTY


def _felt(candidate: Candidate, lexicon: Lexicon, words: SectionWords) -> bool:
    """Whether a story's quote shows a feeling (FEELING) of the one person it names, and of
    them as its subject: only articles, titles and capitalised words before the name ("The
    Mole", "Old Tom"), not "When Tom read …, his wife wept". Not a feeling denied ("did not
    laugh", "feared nothing"), nor one the quote explains with a clause of its own ("…
    when he read that …", "weil …"): then nothing is left to ask of what brought it on."""
    person = candidate.slots.get("person")
    if person is None or FEELING not in candidate.features or candidate.sentence is None:
        return False
    span = candidate.quote_span(MAX_WORDS, words)
    if span is None:
        return False
    quoted = WORD.findall(candidate.sentence.text[span[0] : span[1]])
    name = person.split()[-1]
    if name not in quoted[:_PERSON_LEADS]:
        return False
    leading = lexicon.articles | lexicon.name_articles | lexicon.person_titles
    before = quoted[: quoted.index(name)]
    if not all(w[:1].isupper() or w.lower() in leading for w in before):
        return False  # "The postman threw Tom a letter": Tom is no subject
    lowered = [w.lower() for w in quoted]
    if any(w in lexicon.negations or w.endswith(("n't", "n’t")) for w in lowered):
        return False
    return not any(w in lexicon.subordinators for w in lowered)


def _bare(candidate: Candidate, lexicon: Lexicon) -> bool:
    """Whether a story's sentence has no one in it (no character, no "I" or "we" of the
    narrator) and no word of feeling, judgment or picture ("The sun burns as it has not
    burned this year"). Not told in German, where every noun has a capital and a name cannot
    be told from a thing."""
    if lexicon.capitalised_nouns or candidate.sentence is None:
        return False
    if candidate.features & {"person", "speaker", PERSONAL, CHARGED}:
        return False
    return not any(w.lower() in lexicon.first_person_plural for w in candidate.sentence.words)


def point_follows(
    candidate: Candidate, parsed: ParsedSection, words: SectionWords, lexicon: Lexicon
) -> bool:
    """Whether a story's quote stops before its point, which comes too soon after it to be
    left out and too late to be quoted with it: its sentence turns after a semicolon or a
    dash ("…; but smaller than the seminary", "… the spirit -- when Providence …"), a plan
    is closed by a short line saying what it means (`_closes_on_its_sense`), or the
    quote ends its paragraph and the next one opens on a short exclamation answering it
    ("Good God! what a hovel!")."""
    sentence = candidate.sentence
    if sentence is None or candidate.within or candidate.quotable is not None:
        return False
    span = candidate.quote_span(MAX_WORDS, words)
    if span is None:
        return False
    rest = sentence.text[span[1] :].strip()
    if rest.startswith((*_DASHES, ";")):
        following = [w.lower() for w in WORD.findall(rest)[:1]]
        if following and following[0] in words.quote.turning:
            return True  # "…; but smaller than the seminary": the turn is the point
        dash = rest.startswith(_DASHES)
        return dash and bool(following) and following[0] in words.quote.subordinators
    if _closes_on_its_sense(candidate, parsed, rest, lexicon):
        return True
    if WORD.search(rest) or sentence.followed or sentence.index + 1 >= len(parsed.sentences):
        return False  # cut at a comma, or its paragraph goes on: other rules weigh that
    after = parsed.sentences[sentence.index + 1]
    if in_speech(after, parsed) or count_quote_words(after.text) > _ANSWERING_WORDS:
        return False
    # The next paragraph opening on an exclamation: "Sancto Deus! que antro!".
    return after.block == sentence.block + 1 and after.text.rstrip(".… ").endswith("!")


def _closes_on_its_sense(
    candidate: Candidate, parsed: ParsedSection, rest: str, lexicon: Lexicon
) -> bool:
    """Whether a plan quoted whole is followed by one short line closing its paragraph that
    says what it means ("If the sea is calm I cross to the harbour on Saturday. The doctor
    expects me."): what the plan leads the readers to expect is said there, just past the
    quote. The line tells no further thing done ("He packed his bag." is the next step, not
    the plan's sense), and speaks of the plan (`_takes_up`) unless the plan is a letter's,
    whose writer comments on his own plans. `rest` is what the quote leaves of its sentence."""
    sentence = candidate.sentence
    if sentence is None or PLAN not in candidate.features or WORD.search(rest):
        return False
    if not sentence.followed or sentence.index + 1 >= len(parsed.sentences):
        return False
    closing = parsed.sentences[sentence.index + 1]
    if (
        closing.followed
        or in_speech(closing, parsed)
        or count_quote_words(closing.text) > _CLOSING_WORDS
        or statement_class(closing.text, lexicon) == EVENT
    ):
        return False
    return LETTER in candidate.features or _takes_up(sentence, closing, lexicon)


def _takes_up(plan: Sentence, closing: Sentence, lexicon: Lexicon) -> bool:
    """Whether a line speaks of the plan before it: it points back with a pronoun or a
    demonstrative ("She was glad of it"), or takes up a word of the plan ("If the wind
    dropped he would sail by noon. The wind did not drop.")."""
    said = [w.lower() for w in closing.words]
    pointers = lexicon.back_pointers | lexicon.third_person | lexicon.demonstratives
    if any(w in pointers for w in said):
        return True

    def content(words: list[str]) -> set[str]:
        stems = lexicon.lower_stems(words)
        return {s for w, s in zip(words, stems, strict=True) if w not in lexicon.function_words}

    return bool(content(said) & content([w.lower() for w in plan.words]))


def is_spoken_to(candidate: Candidate) -> bool:
    """Whether the narrator's quote speaks to a figure as "you" ("Cahiu o throno de teu
    predecessor"; ADDRESSED, found with what the quoted words are): who is spoken to, and
    why, the apostrophe before it says. Not a question put to them ("Quando arriverai a
    sapere …?"): its questions (why it is asked now, how the lines after answer it) have the
    readers say whom it asks."""
    return ADDRESSED in candidate.features and not candidate.features & {SPOKEN, ASKING}


def with_sentence_before(
    candidate: Candidate, parsed: ParsedSection, words: SectionWords
) -> Candidate:
    """A sentence quoted whole that opens on a word pointing back ("Zum Beispiel …?", "For
    example …", "He …"), quoted with the sentence before it in its paragraph when the two fit
    in one quote, that one says something and stands on its own, and (before a question) it
    is a question too: what the word points to is then in the quote. Otherwise
    the candidate as it is, to be passed over for one that stands on its own."""
    sentence = candidate.sentence
    if sentence is None or candidate.from_anchor or candidate.within or not sentence.preceded:
        return candidate
    span = candidate.quote_span(MAX_WORDS, words)
    if span is None or span[0] != 0 or not candidate.dangles(words):
        return candidate
    before = parsed.sentences[sentence.index - 1]
    if count_quote_words(before.text) < _JOINED_LEADS or _leans_past_opening(sentence.text, words):
        return candidate  # "Lo saprà. E poi chissà …": a scrap explains nothing
    if any(w.lower() in words.demonstratives for w in before.words):
        return candidate  # "… keep in mind these two points.": it leans on what came before
    if _asks(sentence) and not _asks(before):
        return candidate  # a question is asked of as a question: after one, or alone
    if count_quote_words(before.text) + count_quote_words(sentence.text) > MAX_WORDS:
        return candidate
    block = parsed.blocks[sentence.block - 1]
    start = before.start
    if (
        block[start] in _OPENING_MARKS
        and _OPENING_MARKS[block[start]] not in block[start + 1 : sentence.end]
    ):
        # '"Wie könnte …? Zum Beispiel …?"': the speech goes on past the two sentences.
        start += 1
    text = block[start : sentence.end]
    joined = Candidate(
        move=candidate.move,
        strength=candidate.strength - _JOINED_PENALTY,
        features=candidate.features - {"preceded"} | _position_features(before) & {"preceded"},
        slots=dict(candidate.slots),
        sentence=replace(sentence, start=start, text=text, preceded=before.preceded),
        anchor=(0, len(text)),
        key_phrase=candidate.key_phrase,
        quotable=QuotableText(text, words.quote),
    )
    if joined.quote_span(MAX_WORDS, words) is None or joined.dangles(words):
        return candidate
    return joined


def _leans_past_opening(text: str, words: SectionWords) -> bool:
    """Whether a sentence points back after its first words too ("¿Y dónde dejaste esa
    llave?"): the sentence before need not be what it points to."""
    leads = [m.group().lower() for m in islice(WORD.finditer(text), _POINTER_LEADS)]
    return any(w in words.demonstratives or w in words.back_pointers for w in leads[2:])


def _quality(
    candidate: Candidate, words: SectionWords, lexicon: Lexicon, kind: TextKind, *, argument: bool
) -> float | None:
    """How well the candidate's quote stands on its own, less what it leaves out that its
    kind of text needs; None if it cannot be quoted."""
    quality = candidate.quote_quality(words)
    if quality is None:
        return None
    if object_points_back(candidate, words):
        quality -= _OBJECT_BACK_PENALTY
    if argument and candidate.announces(words):
        quality -= _ANNOUNCING
    elif kind == TextKind.STORY and stops_at_colon(candidate, words):
        quality -= _ANNOUNCING  # "Vedo delle immagini bizzarre …: una locomotiva …"
    if kind == TextKind.STORY and candidate.move is MoveKind.CENTRAL:
        if is_cut_short(candidate, words):
            quality -= CUT_SHORT_PENALTY
        if _timetable(candidate, lexicon):
            quality -= _TIMETABLE_PENALTY
    return quality


def _quoted_features(
    candidate: Candidate,
    parsed: ParsedSection,
    lexicon: Lexicon,
    words: SectionWords,
    kind: TextKind,
) -> set[str]:
    """What the quoted words are (an event, a general statement, a question answered in the
    next lines, a character's words …): the question put to them must fit them."""
    assert candidate.sentence is not None
    span = candidate.quote_span(MAX_WORDS, words)
    quoted = candidate.sentence.text[span[0] : span[1]] if span else None
    key = (candidate.sentence, quoted)
    if key not in words.features:
        words.features[key] = sentence_features(candidate.sentence, parsed, lexicon, quoted)
    features = set(words.features[key])
    if in_speech(candidate.sentence, parsed) or (
        span and opens_speech_before(candidate.sentence.text, span[0])
    ):
        features.add(SPOKEN)  # a character's words, not the narrator's
    if quoted is not None:
        if kind == TextKind.VERSE and rhymes(quoted):
            features.add(RHYMED)
        if kind == TextKind.VERSE and figures(quoted, lexicon):
            features.add(FIGURED)
        if _rhetorical(quoted, lexicon):
            features.add(RHETORICAL)
        if is_question(quoted) or "?" in quoted:
            # "what would you have answered?" fits it; a question with its tag after it
            # ("¿Ciego? -dijo el médico …") asks too: no impression to name.
            features.add(ASKING)
    return features


def _mark_turn(candidate: Candidate, words: SectionWords) -> None:
    """Mark a verse quote that opens on a turn against the lines before it ("Pourtant, sous
    la tutelle …", "Yet …"), with the turn as the text writes it: what it turns against is
    not in the quote, so that is what is asked of it. A poem's first words turn on nothing."""
    span = candidate.quote_span(MAX_WORDS, words) if candidate.sentence else None
    if span is None or candidate.sentence is None:
        return
    if span[0] == 0 and candidate.sentence.index == 0:
        return
    turn = opening_turn(candidate.sentence.text[span[0] : span[1]], words.quote.opening_turns)
    if turn is not None:
        candidate.features |= {TURNED}
        candidate.slots["turn"] = turn


def _mark_unnamed(
    candidate: Candidate, parsed: ParsedSection, lexicon: Lexicon, words: SectionWords
) -> None:
    """Mark a verse quote whose subject is a pronoun for someone named neither in it nor in
    a figure just before it ("Sur la table … posés pour son repas / Ils versent …"), with the
    pronoun as the text writes it: the question asks whom it means rather than leave it."""
    span = candidate.quote_span(MAX_WORDS, words) if candidate.sentence else None
    if span is None or candidate.sentence is None:
        return
    quote = candidate.sentence.text[span[0] : span[1]]
    pronoun = unnamed_subject(quote, lexicon)
    if pronoun is None or figure_before(parsed, candidate.sentence, span[0], quote, lexicon):
        return  # no one left unnamed, or a lead names the figure ("Sur l'Enfant : …")
    candidate.features |= {UNNAMED}
    candidate.slots["pronoun"] = pronoun


def object_points_back(candidate: Candidate, words: SectionWords) -> bool:
    """Whether the quote's verb acts on a pronoun standing for a thing named before the quote
    ("allowed to discuss it", "gli prenderò"): the reader sees what is done, not to what."""
    span = candidate.quote_span(MAX_WORDS, words) if candidate.sentence else None
    if span is None or candidate.sentence is None or words.objects_back is None:
        return False
    return bool(words.objects_back.search(candidate.sentence.text[span[0] : span[1]]))


def stops_at_colon(candidate: Candidate, words: SectionWords) -> bool:
    """Whether a story's quote stops at a colon its sentence goes on after: what the colon
    announces (the image, the list, the words said) is what the sentence is for."""
    span = candidate.quote_span(MAX_WORDS, words) if candidate.sentence else None
    if span is None or candidate.sentence is None:
        return False
    text = candidate.sentence.text
    return text[span[1] : span[1] + 1] == ":" and bool(text[span[1] + 1 :].strip())


def is_cut_short(candidate: Candidate, words: SectionWords) -> bool:
    """Whether the quote stops at a comma with more of its sentence left out than quoted, and
    what is left out opens on a subordinate clause or holds a pause before its last words."""
    if candidate.sentence is None:
        return False
    span = candidate.quote_span(MAX_WORDS, words)
    if span is None:
        return False
    rest = candidate.sentence.text[span[1] :]
    left_out = count_quote_words(rest)
    if not rest.lstrip().startswith(",") or left_out < _CUT_SHORT_WORDS:
        return False
    if left_out < count_quote_words(candidate.sentence.text[: span[1]]):
        return False  # the quote holds most of its sentence
    following = [w.lower() for w in WORD.findall(rest)]
    # "…, quando a velha ponte caiu, …": a clause that qualifies the words quoted;
    # "… tudo... o que ninguém sabe dizer": a pause before the sentence's last word.
    return following[0] in words.quote.subordinators or bool(_PAUSE.search(rest))


def leaves_out_clause(candidate: Candidate, words: SectionWords) -> bool:
    """Whether a story's quote stops at a comma before a clause of its sentence at least
    `_LEFT_OUT_WORDS` long and at least half as long as the quote, in a sentence only a little
    too long to quote whole: the clause it ends on is often the one the sentence is for
    ("… climbed onto the kitchen table, | and sang the whole of the old song …")."""
    if candidate.sentence is None:
        return False
    span = candidate.quote_span(MAX_WORDS, words)
    if span is None:
        return False
    rest = candidate.sentence.text[span[1] :].lstrip("\"'”’»")
    if rest[:1] != ",":
        return False
    left_out = count_quote_words(rest)
    quoted = count_quote_words(candidate.sentence.text[span[0] : span[1]])
    if left_out >= _LEFT_OUT_SHARE * quoted:
        return True  # a quarter of its sentence or less: what it leaves is most of it
    if count_quote_words(candidate.sentence.text) > _LEFT_OUT_SENTENCE:
        return False  # a long sentence's clause may well make a point of its own
    return left_out >= _LEFT_OUT_WORDS and 2 * left_out >= quoted


def _rhetorical(quoted: str, lexicon: Lexicon) -> bool:
    """Whether the quoted question answers itself ("Was Wunder, wenn …?"): asking the
    readers for their own answer asks for the text's."""
    return is_question(quoted) and any(p.search(quoted) for p in lexicon.cues.get("rhetorical", ()))


def _timetable(candidate: Candidate, lexicon: Lexicon) -> bool:
    """Whether a story's sentence tells the clock, a distance or a lapse of time ("At nine
    o'clock the guests went home", "five miles from the coast"): it moves the story on and holds
    little to discuss."""
    if candidate.sentence is None:
        return False
    return any(p.search(candidate.sentence.text) for p in lexicon.cues.get("timetable", ()))


def _only_the_clock(candidate: Candidate, lexicon: Lexicon) -> bool:
    """Whether a story's sentence tells the clock or a lapse of time and nothing that strikes
    ("At nine o'clock the guests went home, and by ten the house was dark"): the
    story moves on, no moment to tell another way. A waking or a word of feeling in it ("Some
    time after, she was woken by a strange knocking") is a moment all the same."""
    if candidate.move is not MoveKind.CENTRAL:
        return False
    return not candidate.features & {CHARGED, ARRIVAL} and _timetable(candidate, lexicon)


def _standing_alone(
    candidates: list[Candidate], words: SectionWords, *, strict: bool = False
) -> list[Candidate]:
    """Of each move's candidates, leave out those whose quote leans on the sentence before
    when another of the same move stands on its own: the reader sees only the quote. When
    `strict`, leave out every one that leans once enough sentences stand on their own."""
    dangles = {id(c) for c in candidates if c.dangles(words)}
    standing = {c.move for c in candidates if id(c) not in dangles}
    grounds = {c.order for c in candidates if id(c) not in dangles}
    if strict and len(grounds) >= _STANDING_ENOUGH:
        # Enough sentences stand on their own for a full set of prompts: none leans.
        return [c for c in candidates if id(c) not in dangles]
    return [c for c in candidates if id(c) not in dangles or c.move not in standing]


def _without_links(candidates: list[Candidate], words: SectionWords) -> list[Candidate]:
    """Leave out the quotes opening on a link to what came before ("En efecto; allá veo …",
    "Infatti …") once enough sentences stand on their own: the link says the quote is the
    second half of something the reader does not see."""
    if words.points_back is None:
        return candidates
    linked = {id(c) for c in candidates if _opens_on_link(c, words)}
    grounds = {c.order for c in candidates if id(c) not in linked}
    if not linked or len(grounds) < _STANDING_ENOUGH:
        return candidates
    return [c for c in candidates if id(c) not in linked]


def _opens_on_link(candidate: Candidate, words: SectionWords) -> bool:
    span = candidate.quote_span(MAX_WORDS, words) if candidate.sentence else None
    if span is None or candidate.sentence is None or words.points_back is None:
        return False
    if candidate.from_anchor:
        return False  # a definition quoted from its verb ("è la pratica di …") opens on it
    return bool(words.points_back.search(candidate.sentence.text[span[0] : span[1]]))


def _speech(
    candidate: Candidate,
    sentence: Sentence,
    speaker: str,
    anchor: tuple[int, int],
    *,
    within: bool = False,
) -> Candidate:
    """A character's words, put as theirs by name, as strong as the candidate they came from."""
    return Candidate(
        move=MoveKind.SPEECH,
        strength=candidate.strength,
        features=_position_features(sentence) | {"speaker"},
        slots={"speaker": speaker},
        sentence=sentence,
        anchor=anchor,
        within=within,
    )


def story_speakers(
    candidates: list[Candidate], parsed: ParsedSection, lexicon: Lexicon
) -> list[Candidate]:
    """Name who speaks a story's quoted words where the text names them ("said Mrs.
    Hale"): each candidate on such a sentence gets the speaker, and a question a named
    character asks becomes their speech too, so the prompt can say who asks it."""
    speeches = {c.sentence.index for c in candidates if c.sentence and c.move is MoveKind.SPEECH}
    names: dict[int, str | None] = {}
    extra: list[Candidate] = []
    for candidate in candidates:
        sentence = candidate.sentence
        if sentence is None or "speaker" in candidate.features:
            continue
        if sentence.index not in names:
            names[sentence.index] = named_speaker(parsed, sentence, lexicon)
            inside = speaker_in_open_speech(parsed, sentence, lexicon)
            if names[sentence.index] is None and inside is not None:
                # "«Ma fille, … reprit M. Lemaire, … Je n'ai, ma fille, …»": a line
                # of a long speech is its speaker's, asked of as theirs.
                names[sentence.index] = inside
                # A line quoted whole, not cut.
                whole = count_quote_words(sentence.text) <= MAX_WORDS
                if whole and sentence.index not in speeches:
                    speeches.add(sentence.index)
                    extra.append(_speech(candidate, sentence, inside, (0, len(sentence.text))))
        name = names[sentence.index]
        if name is None:
            continue
        candidate.features = candidate.features | {"speaker"}
        candidate.slots.setdefault("speaker", name)
        span = spoken_words(sentence.text)
        asked = span is not None and sentence.text[: span[1]].rstrip().endswith("?")
        if asked and span is not None and asks_a_fact(sentence.text[span[0] : span[1]], lexicon):
            continue  # "¿En dónde estamos?": what would you have answered? Where they were.
        if candidate.move is MoveKind.QUESTION and asked and sentence.index not in speeches:
            speeches.add(sentence.index)
            extra.append(_speech(candidate, sentence, name, span or (0, 0), within=True))
    return extra


def _speaker_slots(
    sentence: Sentence, speakers: dict[int, Speaker]
) -> tuple[set[str], dict[str, str]]:
    speaker = speakers.get(sentence.block)
    if speaker is None:
        return set(), {}
    stage = set(stage_features(speaker))
    if speaker.listener is None:
        return {"speaker"} | stage, {"speaker": speaker.name}
    return {"speaker", "listener"} | stage, {
        "speaker": speaker.name,
        "listener": speaker.listener,
    }


@dataclass(frozen=True)
class SectionSources:
    """What a section's candidates are drawn from: its speakers, moves, sentences by
    centrality and key phrases. The same however wide the pool of central sentences or
    lenient the quotes, so worked out once for every draw (`prepare_section`)."""

    speakers: dict[int, Speaker]
    moves: tuple[Move, ...]
    central: dict[int, float]
    ranked: tuple[Sentence, ...]  # the prose, most central first
    weights: dict[int, float]  # `_central_weight` of each of them, by index
    names: frozenset[str]
    phrases: tuple[Candidate, ...]  # copied for each draw: a draw changes its candidates


def _sources(
    parsed: ParsedSection,
    lexicon: Lexicon,
    stopwords: frozenset[str],
    title: str | None,
    kind: TextKind,
) -> SectionSources:
    speakers = play_speakers(parsed, lexicon) if kind in (TextKind.DRAMA, TextKind.DIALOGUE) else {}
    sentences = parsed.sentences
    prose = _prose(sentences, kind, speakers)
    terms = [
        lexicon.lower_stems([w for w in map(str.lower, s.words) if w not in stopwords])
        for s in sentences
    ]
    title_terms = {lexicon.stem(w) for w in WORD.findall(title or "")} - {""}
    scores = centrality([terms[s.index] for s in prose])
    central = {s.index: score for s, score in zip(prose, scores, strict=True)}
    wanted = MOVES_OF[kind]
    moves = [m for m in detect_moves(parsed, lexicon) if m.move in wanted]
    if lexicon.detects_moves:
        moves += detect_kind_moves(parsed, lexicon, kind, speakers)
    weights = {s.index: _central_weight(s, central, terms, title_terms) for s in prose}
    ranked = sorted(prose, key=lambda s: (-weights[s.index], s.index))
    names = names_in(sentences, lexicon, stopwords) if kind == TextKind.STORY else frozenset()
    phrases: list[Candidate] = []
    if kind in (TextKind.ARGUMENT, TextKind.DIALOGUE):
        # A word said twice in a story or a poem is seldom what it is about.
        phrases = key_phrase_candidates(parsed, lexicon, stopwords)
    return SectionSources(
        speakers, tuple(moves), central, tuple(ranked), weights, names, tuple(phrases)
    )


def _raw_candidates(
    parsed: ParsedSection,
    lexicon: Lexicon,
    kind: TextKind,
    sources: SectionSources,
    *,
    wide: bool = False,
    letter: bool = False,
) -> list[Candidate]:
    out = [_from_move(m, sources.central.get(m.sentence.index, 0.0)) for m in sources.moves]
    speakers, names = sources.speakers, sources.names
    pool = _central_pool(list(sources.ranked), wide=wide)
    if letter:
        pool += _self_told(sources.ranked, pool, lexicon)
    for sentence in pool:
        weight = sources.weights[sentence.index]
        out.append(_central_candidate(sentence, weight, lexicon, kind, speakers, names, parsed))
    out += [replace(c, slots=dict(c.slots), _quotes={}, _dangles=None) for c in sources.phrases]
    return out


def _prose(
    sentences: Sequence[Sentence], kind: TextKind, speakers: dict[int, Speaker]
) -> list[Sentence]:
    """Sentences to quote for their own sake; list items only when there is nothing else."""
    quotable = [s for s in sentences if has_quote_words(s.text, 3)]
    if kind == TextKind.STORY:
        # "El ciego … gritó:" announces the words that follow; it says nothing by itself,
        # but a section of nothing else is still asked about.
        quotable = [s for s in quotable if not s.text.rstrip().endswith(":")] or quotable
    prose = [s for s in quotable if s.kind == "sentence"] or quotable
    if speakers:
        # In a play, the characters' words: not the stage directions between them.
        prose = [s for s in prose if s.block in speakers] or prose
    return prose


def _central_pool(ranked: list[Sentence], *, wide: bool = False) -> list[Sentence]:
    """The most central statements, and each paragraph's best so quotes can spread out. The
    text's own questions come last (their strength is docked): a question quoted back is a
    weak prompt, but better than none."""
    statements = [s for s in ranked if not _asks(s)]
    pool = statements[:_CENTRAL_POOL]
    # Wide: a paragraph counts as quoted from only by a sentence short enough to quote
    # whole; one whose best sentence runs past the limit offers its next best too.
    seen_blocks = {s.block for s in pool if not wide or count_quote_words(s.text) <= MAX_WORDS}
    for sentence in statements[_CENTRAL_POOL:]:
        if wide and count_quote_words(sentence.text) > MAX_WORDS:
            continue
        if sentence.block not in seen_blocks:
            seen_blocks.add(sentence.block)
            pool.append(sentence)
    pool.extend([s for s in ranked if _asks(s)][:_CENTRAL_POOL])
    return pool


def _self_told(
    ranked: Sequence[Sentence], pool: Sequence[Sentence], lexicon: Lexicon
) -> list[Sentence]:
    """In a letter, each paragraph's best sentence in which the writer tells of himself ("I
    sleep by day and keep watch by night beside the lamp"), when the pool holds no such
    sentence of that paragraph: what the letter's own question, how its writer comes across,
    is asked of. Such sentences are short and plain, seldom the most central."""

    def own(sentence: Sentence) -> bool:
        return tells_of_self(map(str.lower, sentence.words), lexicon)

    told = {s.block for s in pool if own(s)}
    out = []
    for sentence in ranked:
        if sentence.block in told or _asks(sentence) or not own(sentence):
            continue
        if count_quote_words(sentence.text) <= MAX_WORDS:  # quoted whole: no clause of it cut
            told.add(sentence.block)
            out.append(sentence)
    return out


def _central_candidate(
    sentence: Sentence,
    weight: float,
    lexicon: Lexicon,
    kind: TextKind,
    speakers: dict[int, Speaker],
    names: frozenset[str],
    parsed: ParsedSection,
) -> Candidate:
    features, slots = _speaker_slots(sentence, speakers)
    if kind == TextKind.STORY and _has_person(sentence, lexicon, names):
        features.add("person")
        person = _one_person(sentence, lexicon, names)
        if person:
            slots = {**slots, "person": person}
            if _introduced(person, sentence, parsed):
                features.add("introduced")
    return Candidate(
        move=MoveKind.CENTRAL,
        strength=0.3 + 0.45 * weight - (0.25 if _asks(sentence) else 0.0),
        features=_position_features(sentence) | features,
        slots=slots,
        sentence=sentence,
        anchor=(0, len(sentence.text)),
    )


def key_phrase_candidates(
    parsed: ParsedSection, lexicon: Lexicon, stopwords: frozenset[str]
) -> list[Candidate]:
    """The phrases an argument keeps coming back to, best first."""
    function_words = lexicon.function_words | stopwords
    phrases = key_phrases([s.text for s in parsed.sentences], function_words, top=12, min_count=2)
    out: list[Candidate] = []
    for rank, phrase in enumerate(phrases):
        if len(out) == _KEY_PHRASE_POOL:
            break
        occurrences = occurrences_of(phrase.phrase, parsed.text)
        if occurrences < 2:
            continue
        if is_name(phrase.phrase, parsed.text):
            continue  # "Marta" recurs in a story, but is no phrase to discuss
        if is_titled(phrase.phrase, parsed.text, lexicon.person_titles, occurrences):
            continue  # "señor alcalde" names one man: there is no sense to shift
        if any(w in lexicon.saying_verbs for w in phrase.key.split()):
            continue  # "parla": the text speaks of things; speaking is not what it discusses
        if standalone_occurrences(phrase.phrase, parsed.text) < 2:
            continue  # "psico" of "psico–analisi" is half a word, not a phrase that recurs
        if lexicon.capitalised_nouns and not ends_on_noun(phrase.phrase, parsed.text):
            continue  # "gewiss", "Guten": no German noun, nothing a text keeps coming back to
        out.append(
            Candidate(
                move=MoveKind.KEYPHRASE,
                strength=0.45 - 0.03 * rank + 0.05 * (len(phrase.key.split()) - 1),
                features=frozenset(),
                slots={"key_phrase": phrase.phrase},
                key_phrase=phrase.key,
            )
        )
    return out


def names_in(
    sentences: Sequence[Sentence], lexicon: Lexicon, stopwords: frozenset[str]
) -> frozenset[str]:
    """Words capitalised inside sentences and never written in lower case: the section's
    names ("Gregor", "Golfín"). None in German, where every noun has a capital."""
    if lexicon.capitalised_nouns:
        return frozenset()
    inner: set[str] = set()
    lower: set[str] = set()
    for sentence in sentences:
        for i, word in enumerate(WORD.findall(sentence.text)):
            if word[:1].isupper() and i > 0:
                inner.add(word)
            elif word[:1].islower():
                lower.add(word)
    return frozenset(
        w for w in inner if w.lower() not in lower and w.lower() not in stopwords and len(w) > 2
    )


def _has_person(sentence: Sentence, lexicon: Lexicon, names: frozenset[str]) -> bool:
    """Whether someone is in the sentence: a name, "she", "said", "I". A moment
    is asked about for its people only when it has some ("a small town, not sad" has none)."""
    people = lexicon.narrative_markers | lexicon.speech_verbs | lexicon.first_person
    words = WORD.findall(sentence.text)
    return any(w.lower() in people or w in names for w in words)


_PERSON_LEADS = 5  # a quote is about someone it names among its first words


def _leads(person: str, quoted: str) -> bool:
    """Whether `person` comes among the first words of the quote: its subject, not a
    name in passing ("… the famous saying of Bentham")."""
    name = person.split()[-1]
    return name in WORD.findall(quoted)[:_PERSON_LEADS]


def _one_person(sentence: Sentence, lexicon: Lexicon, names: frozenset[str]) -> str | None:
    """The one character a sentence names, as the text calls them ("the Mole", "Golfín");
    None when it names none or several."""
    found: set[str] = {
        w
        for w in WORD.findall(sentence.text)
        if w in names
        and w.lower() not in lexicon.function_words
        and w.lower().rstrip(".") not in lexicon.person_titles
        and f"{w}!" not in sentence.text  # an oath or a call ("Santo Deus!"), not a character
    }
    if len(found) != 1:
        return None
    name = found.pop()
    before = re.search(r"(\w+\.?)\s+" + re.escape(name) + r"(?!\w)", sentence.text)
    if before and before.group(1).lower() in lexicon.name_articles:
        return f"{before.group(1).lower()} {name}"
    if before and before.group(1).lower().rstrip(".") in lexicon.person_titles:
        return f"{before.group(1)} {name}"  # "Mr. Otis"
    return name


_MET_IN = 1  # paragraphs naming a person before the reader has made up their mind on them


def _introduced(person: str, sentence: Sentence, parsed: ParsedSection) -> bool:
    """Whether the section names `person` in at most one paragraph before the sentence's
    own: a first impression is still forming ("D. Gumersindo, muy aseado …"), not of
    someone on stage since the chapter began."""
    name = person.split()[-1]
    earlier = {
        s.block
        for s in parsed.sentences[: sentence.index]
        if s.block != sentence.block and name in WORD.findall(s.text)
    }
    return len(earlier) <= _MET_IN


def _asks(sentence: Sentence) -> bool:
    return sentence.text.rstrip().rstrip("\"'”’»)").endswith("?")


def is_name(phrase: str, text: str) -> bool:
    """Capitalised wherever it occurs, so a proper name rather than a notion."""
    if not phrase[:1].isupper():
        return False
    lowered = phrase[0].lower() + phrase[1:]
    return not re.search(_standing(lowered[0], re.escape(lowered[1:]), r"\w"), text)


def is_titled(phrase: str, text: str, titles: frozenset[str], count: int | None = None) -> bool:
    """Whether a phrase names a person by a title: it opens on one ("señor alcalde"), or a
    title comes before it wherever it occurs ("il Marchese"); `count` is how often it occurs
    (`occurrences_of`), if already known."""
    words = phrase.lower().split()
    if not words or not titles:
        return False
    if words[0].rstrip(".") in titles:
        return True
    if count is None:
        count = occurrences_of(phrase, text)
    if count == 0:
        return False
    before = [w.lower() for w in words_before(phrase, text)]
    return len(before) == count and all(w in titles for w in before)


_WORD_CHAR = re.compile(r"\w")
_SPACE_CHAR = re.compile(r"\s")


def words_before(phrase: str, text: str) -> list[str]:
    r"""What `re.findall(r"(?<!\w)(\w+)\.?\s+" + phrase + r"(?!\w)", text, re.I)` gives, with
    the phrase's words apart by any spaces: the word before each occurrence, found by going
    back from the phrase, which the engine finds fast by its first letter, rather than by
    trying a word at every place in the text."""
    phrase_at = re.compile(r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.IGNORECASE)
    found: list[str] = []
    end = 0  # where the last match ended: findall's matches do not overlap
    occurrence = phrase_at.search(text)
    while occurrence is not None:
        start = occurrence.start()
        # The spaces, the full stop that may close the word, then the word, all before it;
        # the phrase opens on something other than a space, so each is found one way only.
        i = start
        while i > 0 and _SPACE_CHAR.match(text, i - 1):
            i -= 1
        if i < start:
            if i > 0 and text[i - 1] == ".":
                i -= 1
            word_end = i
            while i > 0 and _WORD_CHAR.match(text, i - 1):
                i -= 1
            if i < word_end and i >= end:
                found.append(text[i:word_end])
                end = occurrence.end()
        occurrence = phrase_at.search(text, start + 1)
    return found


def standalone_occurrences(phrase: str, text: str) -> int:
    """How often `phrase` occurs on its own, not joined by a hyphen to another word."""
    standing = _standing(phrase[0], re.escape(phrase[1:]), r"[\w\-–]")
    return len(re.findall(standing, text, re.IGNORECASE))


def _position_features(sentence: Sentence) -> frozenset[str]:
    features = set()
    if sentence.preceded:
        features.add("preceded")
    if sentence.followed:
        features.add("followed")
    return frozenset(features)


def _central_weight(
    sentence: Sentence,
    central: dict[int, float],
    terms: list[list[str]],
    title_terms: set[str],
) -> float:
    weight = central.get(sentence.index, 0.0)
    words = len(sentence.text.split())
    if words < 6:
        weight *= 0.6  # too short to say much on its own
    if title_terms and title_terms & set(terms[sentence.index]):
        weight += 0.1
    return weight


def _from_move(move: Move, central: float) -> Candidate:
    return Candidate(
        move=move.move,
        strength=move.strength + _CENTRALITY_BONUS * central,
        features=move.features | _position_features(move.sentence),
        slots=dict(move.slots),
        sentence=move.sentence,
        anchor=move.anchor,
        from_anchor=move.from_anchor,
        within=move.within,
    )


def _verse_start(quote: str, sentence: Sentence) -> int | None:
    """Where a verse quote starts in its sentence: the quote shows its lines apart by " / ",
    the sentence has them on lines of their own."""
    lines = (re.escape(line) for line in re.split(r"\s+/\s+|\s+", quote) if line)
    found = re.search(r"\s+".join(lines), sentence.text)
    return None if found is None else found.start()


def _opens_on_quote(text: str) -> bool:
    """Whether a template opens on its quote ("“{quote}” — …"), so a lead can stand before."""
    # French sets its marks apart by a space: "« {quote} »".
    return text.lstrip('“«„"‘» \u00a0\u202f').startswith("{quote}")


def _render(candidate: Candidate, template: Template, words: SectionWords) -> Prompt | None:
    values = dict(candidate.slots)
    if candidate.sentence is None:
        text = template.render(values)
        if MIN_CHARS <= len(text) <= MAX_CHARS and text.endswith("?"):
            return Prompt(
                kind=template.kind,
                text=text,
                quote=None,
                paragraph=None,
                key_phrase=candidate.slots["key_phrase"],
                template=template.id,
                move=candidate.move,
            )
        return None
    for max_words in _SHRINK:
        span = candidate.quote_span(max_words, words)
        if span is None:
            continue
        quote = candidate.sentence.text[span[0] : span[1]]
        if "person" in template.slots and not _leads(values["person"], quote):
            continue  # a shorter quote that no longer names them
        values["quote"] = (
            shown_lines(quote) if TextKind.VERSE in candidate.features else " ".join(quote.split())
        )
        text = template.render(values)
        if len(text) > MAX_CHARS:
            continue
        if len(text) < MIN_CHARS or not text.endswith("?"):
            return None
        return Prompt(
            kind=template.kind,
            text=text,
            quote=quote,
            paragraph=candidate.sentence.block,
            key_phrase=None,
            template=template.id,
            move=candidate.move,
        )
    return None


def shown_lines(quote: str) -> str:
    """A quote of verse as a question shows it: its lines kept apart by " / ", each line's
    words as they stand."""
    return " / ".join(" ".join(line.split()) for line in quote.split("\n") if line.strip())


def fitting_templates(candidate: Candidate, templates: Sequence[Template]) -> tuple[Template, ...]:
    """The templates whose needs the candidate's features and slots meet, in order."""
    slots = candidate.slots | {"quote": ""}
    return tuple(t for t in templates if t.fits(candidate.features, slots))


def _fit_score(candidate: Candidate, template: Template, same_move: int, uses: int) -> float:
    """How well a template fits a candidate, less what the section has asked already."""
    score = candidate.strength * template.weight
    score -= _SAME_MOVE_PENALTY * same_move + _TEMPLATE_USE_PENALTY * uses
    if template.last_resort and SCRAP in candidate.features:
        score -= _SCRAP_LAST_RESORT_PENALTY
    anything = template.last_resort and not template.needs  # a question any line can take
    if anything and template.kind == _EVALUATIVE and BARE in candidate.features:
        score -= _BARE_LAST_RESORT_PENALTY
    return score


class SectionChoice:
    """Choosing one section's prompts under the variety rules."""

    def __init__(
        self,
        parsed: ParsedSection,
        language: PromptLanguage,
        words: SectionWords,
        candidates: list[Candidate],
        balance: Balance,
    ) -> None:
        self.parsed = parsed
        self.language = language
        self.words = words
        self.candidates = candidates
        self.balance = balance
        self.chosen: list[_Choice] = []
        self._fitting: dict[
            tuple[PromptKind, bool], list[tuple[Candidate, tuple[Template, ...]]]
        ] = {}

    def _fits(
        self, kind: PromptKind, last_resort: bool = False
    ) -> list[tuple[Candidate, tuple[Template, ...]]]:
        """Each candidate with the templates of `kind` that fit it, in order, those asked
        only as a last resort among them when `last_resort`: the same for every pick in the
        section, so worked out once."""
        key = (kind, last_resort)
        if key not in self._fitting:
            assert self.language.templates is not None
            of_move: dict[MoveKind, list[Template]] = {}
            for template in self.language.templates.templates:
                if template.kind == kind and (last_resort or not template.last_resort):
                    of_move.setdefault(template.move, []).append(template)
            self._fitting[key] = [
                (candidate, fitting_templates(candidate, of_move.get(candidate.move, ())))
                for candidate in self.candidates
            ]
        return self._fitting[key]

    def _options(
        self,
        kind: PromptKind,
        *,
        reuse_sentences: bool,
        ignore_cap: bool,
        skip: _Choice | None,
        last_resort: bool = False,
    ) -> list[tuple[float, int, str, Candidate, Template]]:
        kept = [c for c in self.chosen if c is not skip]
        used_sentences = {order for c in kept for order in c.candidate.orders}
        used_templates = {c.template.id for c in kept}
        used_phrases = {c.candidate.key_phrase for c in kept if c.candidate.key_phrase}
        moves = Counter(c.candidate.move for c in kept)
        quote_blocks = {c.prompt.paragraph for c in kept if c.prompt.paragraph}
        cap = self.balance.cap
        options = []
        for candidate, templates in self._fits(kind, last_resort):
            if not reuse_sentences and candidate.orders & used_sentences:
                continue
            if candidate.key_phrase in used_phrases and not reuse_sentences:
                continue
            for template in templates:
                if template.id in used_templates:
                    continue
                uses = self.balance.templates[template.id]
                if cap is not None and uses >= cap and not ignore_cap:
                    continue
                score = _fit_score(candidate, template, moves[candidate.move], uses)
                story = TextKind.STORY in candidate.features
                if kind == _EVALUATIVE and story and leaves_out_clause(candidate, self.words):
                    score -= _LEFT_OUT_PENALTY  # a feeling asked of half a sentence
                if candidate.key_phrase:
                    score -= _PHRASE_REUSE_PENALTY * self.balance.phrases[candidate.key_phrase]
                elif candidate.sentence and candidate.sentence.block not in quote_blocks:
                    score += _NEW_PARAGRAPH_BONUS
                options.append((score, candidate.order, template.id, candidate, template))
        options.sort(key=lambda o: (-o[0], o[1], o[2]))
        return options

    def _pick(self, kind: PromptKind, skip: _Choice | None = None) -> _Choice | None:
        quoted = {c.prompt.quote for c in self.chosen if c is not skip and c.prompt.quote}
        # On a passage not asked about yet, the questions fitted to what a sentence does
        # first, then one any sentence can take; a passage asked about already only after.
        passes = [(False, False, False), (False, True, False), (False, False, True)]
        passes += [(False, True, True), (True, True, False), (True, True, True)]
        if any(c.template.kind == kind for c in self.chosen if c is not skip):
            # An extra question of a kind already asked: fitted, and on a new passage.
            passes = passes[:2]
        for reuse, ignore_cap, last_resort in passes:
            for score, _, _, candidate, template in self._options(
                kind,
                reuse_sentences=reuse,
                ignore_cap=ignore_cap,
                skip=skip,
                last_resort=last_resort,
            ):
                prompt = _render(candidate, template, self.words)
                if prompt is not None and (not prompt.quote or prompt.quote not in quoted or reuse):
                    return _Choice(candidate, template, prompt, score)
        return None

    def fill(self, plan: Sequence[PromptKind]) -> None:
        frame = any(FRAME in c.features for c in self.candidates)
        order = _FRAME_FILL_ORDER if frame else _FILL_ORDER
        slots = sorted(range(len(plan)), key=lambda i: (order[plan[i]], i))
        for i in slots:
            kind = plan[i]
            choice = self._pick(kind)
            if choice is None:
                continue  # an extra core question we cannot vary: three or four will do
            self.chosen.append(choice)
        self._spread_paragraphs()
        self._fitting.clear()  # the picks are made: a whole reading's would add up

    def _spread_paragraphs(self) -> None:
        """Quote at least two paragraphs when the section has two or more: the weakest
        choice moves to another paragraph on a question fitted to one of its sentences, or,
        where none fits, on one any sentence longer than a scrap can take. Within the other
        paragraphs nothing better is left, so the last resort `_pick` falls back on is open
        there too."""
        if len(self.parsed.prose_blocks) < 2:
            return
        for last_resort in (False, True):
            if self._spread_once(last_resort):
                return

    def _spread_once(self, last_resort: bool) -> bool:
        """One round of `_spread_paragraphs`; whether two paragraphs are quoted after it."""
        for weakest in sorted(self.chosen, key=lambda c: c.score):
            blocks = {c.prompt.paragraph for c in self.chosen if c.prompt.paragraph}
            if len(blocks) >= 2:
                return True
            others = {c.prompt.paragraph for c in self.chosen if c is not weakest}
            others.discard(None)
            for _, _, _, candidate, template in self._options(
                weakest.template.kind,
                reuse_sentences=False,
                ignore_cap=True,
                skip=weakest,
                last_resort=last_resort,
            ):
                if candidate.sentence is None or candidate.sentence.block in others:
                    continue
                if not others and weakest.prompt.paragraph == candidate.sentence.block:
                    continue
                if template.last_resort and SCRAP in candidate.features:
                    continue  # a few words asked anything: worse than the fitted question
                prompt = _render(candidate, template, self.words)
                if prompt is None:
                    continue
                self.chosen[self.chosen.index(weakest)] = _Choice(candidate, template, prompt, 0)
                break
        return len({c.prompt.paragraph for c in self.chosen if c.prompt.paragraph}) >= 2

    def result(self) -> tuple[Prompt, ...]:
        ordered = sorted(
            self.chosen,
            key=lambda c: (_KIND_ORDER[c.template.kind], c.candidate.order, c.template.id),
        )
        for choice in ordered:
            self.balance.templates[choice.template.id] += 1
            if choice.candidate.key_phrase:
                self.balance.phrases[choice.candidate.key_phrase] += 1
        return tuple(self._with_subject(c) for c in ordered)

    def _with_subject(self, choice: _Choice) -> Prompt:
        """The prompt, led by the name of whom its story quote calls by a pronoun only ("Of
        Mrs. Hale: “… into her voice” — …"), when the sentences just before name exactly
        one person; as it was otherwise. The questions are chosen already: this only names."""
        prompt, candidate, template = choice.prompt, choice.candidate, choice.template
        templates = self.language.templates
        sentence = candidate.sentence
        if (
            templates is None
            or templates.subject_lead is None
            or sentence is None
            or prompt.quote is None
            or not {TextKind.STORY, TextKind.VERSE} & candidate.features
            or template.slots & {"person", "speaker", "listener"}  # it names someone already
            or not _opens_on_quote(template.text)
        ):
            return prompt
        if TextKind.VERSE in candidate.features:
            return self.with_figure(prompt, sentence)
        start = sentence.text.find(prompt.quote)
        if start < 0:
            return prompt  # quoted with the sentence before it: its own subject
        lexicon = self.language.lexicon
        names = self._story_names()
        if not leaves_someone_unnamed(prompt.quote, start == 0, lexicon, names):
            return prompt
        person = named_before(self.parsed, sentence, start, lexicon, names)
        if person is None:
            return prompt
        if not templates.subject_lead_article and person.split()[0] in lexicon.name_articles:
            return prompt  # "Über der Maulwurf": the article would have to decline
        text = templates.subject_lead.format(person=person) + prompt.text
        if len(text) > MAX_CHARS:
            return prompt
        return replace(prompt, text=text)

    def with_figure(self, prompt: Prompt, sentence: Sentence) -> Prompt:
        """A verse quote's prompt led by the figure its pronouns stand for ("Sur le Berger :
        « Et la Lune qui le suit … »"), in a lead that takes the figure with its article."""
        templates = self.language.templates
        quote = prompt.quote or ""
        start = _verse_start(quote, sentence)
        if templates is None or templates.verse_subject_lead is None or start is None:
            return prompt
        figure = figure_before(self.parsed, sentence, start, quote, self.language.lexicon)
        if figure is None:
            return prompt
        lead = templates.verse_subject_lead.format(person=figure)
        text = lead[:1].upper() + lead[1:] + prompt.text
        return prompt if len(text) > MAX_CHARS else replace(prompt, text=text)

    def _story_names(self) -> frozenset[str]:
        lexicon = self.language.lexicon
        if lexicon.capitalised_nouns:
            return german_names(self.parsed.sentences, lexicon)
        return names_in(self.parsed.sentences, lexicon, self.words.stopwords)


_PASSAGES = 5


def _passages(section: SectionChoice) -> tuple[Passage, ...]:
    """The section's most quotable passages, in reading order: what a facilitator can build
    questions on when there are no templates in the reading's language."""
    best = sorted(
        (c for c in section.candidates if c.sentence is not None and c.move is MoveKind.CENTRAL),
        key=lambda c: (-c.strength, c.order),
    )
    out: dict[int, Passage] = {}
    for candidate in best:
        span = candidate.quote_span(MAX_WORDS, section.words)
        if span is None or candidate.sentence is None or candidate.order in out:
            continue
        quote = candidate.sentence.text[span[0] : span[1]]
        out[candidate.order] = Passage(quote, candidate.sentence.block)
        if len(out) == _PASSAGES:
            break
    return tuple(out[order] for order in sorted(out))


@dataclass
class DraftedSection:
    """A section's candidate quotes, drafted apart from every other section's: on another
    process when the reading is long (`generate_reading_prompts`), so nothing in it refers to
    the lexicon, which is loaded once in each process instead."""

    parsed: ParsedSection
    words: SectionWords
    candidates: list[Candidate]
    count: int  # how many prompts to choose: 0 when there is nothing to quote


def prepare_section(
    text: str, language: PromptLanguage, title: str | None, kind: TextKind
) -> DraftedSection:
    """A section parsed, its word lists and its candidates, and how many prompts to choose."""
    parsed = parse_section(
        text, language.lexicon, title, speeches=kind in (TextKind.DRAMA, TextKind.DIALOGUE)
    )
    parsed = without_apparatus(parsed, language.lexicon)
    # A story's preface or editor's frame argues and explains: it is asked about as such.
    frame = kind == TextKind.STORY and is_frame(parsed, language.lexicon)
    asked_as: TextKind = TextKind.ARGUMENT if frame else kind
    words = section_words(language.lexicon, parsed, asked_as)
    extra = frozenset({FRAME}) if frame else frozenset()
    if kind == TextKind.STORY and not frame and is_letter(parsed, language.lexicon):
        extra |= {LETTER}  # not in a frame: a found letter there is asked about as a frame
    # Every draw below shares them: the lenient quotes' words have the same stopwords.
    sources = _sources(parsed, language.lexicon, words.stopwords, title, asked_as)
    candidates = section_candidates(
        parsed, language.lexicon, words, title, asked_as, extra, sources=sources
    )
    length = sum(len(s.words) for s in parsed.sentences)
    grounds = len({c.order for c in candidates})
    if grounds < prompt_count(length):
        # Too few quotable sentences among the most central (long sentences that cannot be
        # quoted whole): let each such paragraph offer a shorter one.
        wider = section_candidates(
            parsed, language.lexicon, words, title, asked_as, extra, wide=True, sources=sources
        )
        if len({c.order for c in wider}) > grounds:
            candidates, grounds = wider, len({c.order for c in wider})
    if not candidates:
        # Nothing quotable by the rules (one sentence past the limit, with no bound inside):
        # a quote cut at a word is better than a section with no prompts.
        words = section_words(language.lexicon, parsed, asked_as, lenient=True)
        candidates = section_candidates(
            parsed, language.lexicon, words, title, asked_as, extra, sources=sources
        )
        grounds = len({c.order for c in candidates})
    if not candidates:
        return DraftedSection(parsed, words, [], 0)
    return DraftedSection(parsed, words, candidates, max(3, min(prompt_count(length), grounds)))


def _drafted(text: str, language: str, kind: TextKind) -> DraftedSection:
    """`prepare_section` for one section of a reading, wherever it runs."""
    return prepare_section(text, language_for(language), None, kind)


def _result(
    drafted: DraftedSection, language: PromptLanguage, balance: Balance, kind: TextKind
) -> PromptSet:
    """The section's prompts chosen from its candidates, with template use balanced across
    the reading so far."""
    section = SectionChoice(drafted.parsed, language, drafted.words, drafted.candidates, balance)
    if language.templates is None:
        return PromptSet((), language.code, language.note, kind, _passages(section))
    section.fill(_PLANS.get(drafted.count, ()))
    if len(section.chosen) < min(_PLANS):
        # Two prompts cannot open, probe and close a discussion: a section whose few words
        # fit no question of one of the three kinds gets none, as one with nothing to quote.
        return PromptSet((), language.templates.language, None, kind)
    return PromptSet(section.result(), language.templates.language, None, kind)


def _prompts_for(
    text: str, language: PromptLanguage, title: str | None, balance: Balance, kind: TextKind
) -> PromptSet:
    drafted = prepare_section(text, language, title, kind)
    result = _result(drafted, language, balance, kind)
    if _asks_plainly(result, drafted, language, kind):
        return _asked_plainly(text, language, title, balance, kind)
    return result


def _asks_plainly(
    result: PromptSet, drafted: DraftedSection, language: PromptLanguage, kind: TextKind
) -> bool:
    """Whether a section with something to quote got no prompts only because its kind's
    questions cannot make up the three kinds (a lone line of speech in a story)."""
    return (
        not result.prompts
        and bool(drafted.candidates)
        and language.templates is not None
        and kind != TextKind.ARGUMENT
    )


def _asked_plainly(
    text: str, language: PromptLanguage, title: str | None, balance: Balance, kind: TextKind
) -> PromptSet:
    """The plain questions every text can take, for a section `_asks_plainly` about."""
    plain = _result(
        prepare_section(text, language, title, TextKind.ARGUMENT),
        language,
        balance,
        TextKind.ARGUMENT,
    )
    return PromptSet(plain.prompts, plain.language, plain.fallback_note, kind)


def reading_kind(sections: Sequence[str], language: str = "en") -> TextKind:
    """The kind of text the sections make: argument, story, drama, verse or dialogue."""
    return detect_kind(sections, lexicon_for(base_language(language)))


def generate_prompts(
    text: str, *, language: str = "en", title: str | None = None, kind: TextKind | None = None
) -> PromptSet:
    """Three to five grounded discussion prompts for one section, opening to closing.

    `text` holds the section's blocks separated by blank lines; `kind` is the kind of text
    (detected from this section when not given). The same text always gives the same
    prompts. A section with nothing to quote (no block of three words and no phrase said
    twice, such as a lone heading) gets an empty set. A language without templates gets no
    prompts: passages to discuss and a note saying so.
    """
    chosen = language_for(language)
    kind = kind or detect_kind([text], chosen.lexicon)
    return _prompts_for(text, chosen, title, Balance(), kind)


def generate_reading_prompts(
    sections: Sequence[str],
    *,
    language: str = "en",
    kind: TextKind | None = None,
    executor: Executor | None = None,
) -> list[PromptSet]:
    """Prompts for every section of a reading, in order.

    Generating the whole reading at once balances template use across sections: no template
    carries more than about a third of the prompts. A section with nothing to quote gets an
    empty set. The kind of text is detected from all the sections when not given. With an
    `executor` (a process pool), a reading of `PARALLEL_FROM_SECTIONS` sections or more has
    its sections drafted on it: the same prompts, sooner.
    """
    chosen = language_for(language)
    kind = kind or detect_kind(sections, chosen.lexicon)
    # Each section's candidates are its own: a long reading's are drafted on every core
    # when an executor is given. Only the choice among them is balanced across the reading.
    draft = partial(_drafted, language=language, kind=kind)
    if executor is not None and len(sections) >= PARALLEL_FROM_SECTIONS:
        chunk = max(1, math.ceil(len(sections) / _CHUNKS))
        drafts = list(executor.map(draft, sections, chunksize=chunk))
    else:
        drafts = [draft(text) for text in sections]
    balance = Balance(cap=max(2, math.ceil(sum(d.count for d in drafts) / 3)))
    results = [_result(drafted, chosen, balance, kind) for drafted in drafts]
    return [
        _asked_plainly(text, chosen, None, balance, kind)
        if _asks_plainly(result, drafted, chosen, kind)
        else result
        for text, drafted, result in zip(sections, drafts, results, strict=True)
    ]
