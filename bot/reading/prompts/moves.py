"""What a section does, sentence by sentence: definitions, contrasts, enumerations, claims,
causal links and named examples, each a `Move` that a question can be built from."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.reading.blocks import MAX_ITEM_WORDS
from bot.reading.prompts.lexicon import Cues, Folded, Lexicon
from bot.reading.prompts.model import MoveKind
from bot.reading.prompts.sentence_kinds import is_question
from bot.reading.prompts.sentences import ParsedSection, Sentence
from bot.reading.text import WORD

_QUOTE_OPEN = '“"‘«'
_QUOTE_CLOSE = {"“": "”", '"': '"', "‘": "’", "«": "»"}
_CLAUSE_BREAKS = ",;:—–()"
_MAX_TERM_WORDS = 4

STRENGTH: dict[MoveKind, float] = {
    MoveKind.DEFINITION: 1.0,
    MoveKind.ENUMERATION: 0.95,
    MoveKind.CONTRAST: 0.9,
    MoveKind.EXAMPLE: 0.9,
    MoveKind.CAUSE: 0.8,
    MoveKind.CLAIM: 0.75,
}


@dataclass(frozen=True)
class Move:
    """One thing a sentence does, with the words a question about it must quote."""

    move: MoveKind
    sentence: Sentence
    anchor: tuple[int, int]  # offsets in sentence.text the quote must cover
    strength: float
    features: frozenset[str] = frozenset()
    slots: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    from_anchor: bool = False  # the quote starts where the anchor starts
    within: bool = False  # the quote stays inside the anchor (a character's words)


def _with_sequel(text: str, span: tuple[int, int], words: int = 5) -> tuple[int, int]:
    """Stretch a cue's span over the words after it: "On the other hand" says little alone."""
    following = list(WORD.finditer(text, span[1]))[:words]
    return (span[0], following[-1].end()) if following else span


def _both_sides(text: str, cue_start: int, lexicon: Lexicon) -> bool:
    """Whether a cause cue joins two parts of its own sentence ("X, and therefore Y", "X
    because Y", "Because X, Y") rather than pointing back at the sentence before ("For …",
    "It therefore …", "Sie liegen deshalb …"): only then is the link itself in the quote."""
    before = text[:cue_start].rstrip()
    words = WORD.findall(before)
    first = WORD.match(text, cue_start)
    cue = first.group(0).lower() if first else ""
    if not words:
        return cue in lexicon.subordinators and "," in text[cue_start:]
    if len(words) < 3:
        return False
    if cue in lexicon.dangling and cue not in lexicon.subordinators:
        # An adverb that points back links inside the sentence only where a clause opens on it.
        return before.endswith(tuple(",;:—–-")) or words[-1].lower() in lexicon.clause_words
    return True


def _about_the_telling(before: str, lexicon: Lexicon) -> bool:
    """Whether the clause just before a cause cue is about what the writer says or leaves
    unsaid ("non parlerò perché …", "lo digo porque …"): the reason then excuses the telling,
    and asking how far the link convinces misses the point."""
    clause = re.split(r"[,;:—–]", before)[-1]
    return any(w.lower() in lexicon.saying_verbs for w in WORD.findall(clause))


def _term_before(text: str, cue_start: int, lexicon: Lexicon) -> tuple[int, int] | None:
    """The defined term just before a cue: "economics simply means" → "economics"."""
    clause_start = max(text.rfind(c, 0, cue_start) for c in _CLAUSE_BREAKS) + 1
    spans = [
        (m.start() + clause_start, m.end() + clause_start)
        for m in re.finditer(r"\S+", text[clause_start:cue_start])
    ]

    def plain(span: tuple[int, int]) -> str:
        return text[span[0] : span[1]].strip('“”"‘’«»').lower()

    while spans and plain(spans[0]) in lexicon.term_trim - lexicon.articles:
        spans.pop(0)
    while spans and (
        plain(spans[-1]) in lexicon.term_trim
        or (bool(lexicon.adverb_endings) and plain(spans[-1]).endswith(lexicon.adverb_endings))
    ):
        spans.pop()
    if not spans or len(spans) > _MAX_TERM_WORDS:
        return None
    if plain(spans[0]) in lexicon.pronouns or not WORD.search(text[spans[0][0] : spans[-1][1]]):
        return None
    if any(plain(s) in lexicon.stopwords and plain(s) not in lexicon.term_trim for s in spans):
        return None
    if len(spans) == 1 and plain(spans[0]) in lexicon.articles:
        return None
    return spans[0][0], spans[-1][1]


def _display_term(term: str, at_start: bool, section: str, lexicon: Lexicon) -> str:
    term = term.strip('“”"‘’«»')
    first = term.split()[0].lower()
    if at_start and (first in lexicon.articles or first[:2] in ("l'", "l’")):
        return term[0].lower() + term[1:]  # "The State is …" → "the State"
    # "Inter-classism is …" opens a sentence; elsewhere the text writes "inter-classism", or
    # at least its first word in lower case ("Modern liberty", "the modern idea").
    if at_start and term[:1].isupper() and not term.isupper() and not lexicon.capitalised_nouns:
        lowered = term[0].lower() + term[1:]
        first_word = lowered.split()[0]
        if lowered in section or re.search(rf"(?<!\w){re.escape(first_word)}(?!\w)", section):
            return lowered
    return term


def _cued(cues: Cues | None, text: str, folded: Folded) -> Cues | tuple[()]:
    """The cue patterns worth trying on `text` (`folded` is `Folded.of(text)`): none when none of
    them matches."""
    return cues if cues is not None and cues.may_match(text, folded) else ()


def _definitions(
    sentence: Sentence, parsed: ParsedSection, lexicon: Lexicon, folded: Folded
) -> Iterator[Move]:
    text = sentence.text
    for pattern in _cued(lexicon.cues.get("definition"), text, folded):
        match = pattern.search(text)
        if not match:
            continue
        term_span = _term_before(text, match.start(), lexicon)
        if term_span is None:
            continue
        features = {"definiens"}
        if lexicon.definition_belief and lexicon.definition_belief.search(match.group(0)):
            features.add("belief")
        term_start, term_end = term_span
        shown = _display_term(text[term_start:term_end], term_start == 0, parsed.text, lexicon)
        yield Move(
            MoveKind.DEFINITION,
            sentence,
            (match.start(), match.end()),
            STRENGTH[MoveKind.DEFINITION],
            frozenset(features),
            {"term": shown},
            from_anchor=True,
        )
        return
    for pattern in _cued(lexicon.cues.get("naming"), text, folded):
        match = pattern.search(text)
        if not match:
            continue
        rest = text[match.end() :]
        if rest[:1] in _QUOTE_OPEN:
            close = rest.find(_QUOTE_CLOSE[rest[0]], 1)
            if close < 2:
                continue
            term_end = match.end() + close + 1
            term = rest[1:close]
        else:
            # The name runs over plain words up to punctuation: "is called direct action, …".
            words: list[re.Match[str]] = []
            for m in WORD.finditer(rest):
                gap = rest[words[-1].end() if words else 0 : m.start()]
                if gap.strip() or m.group(0).lower() in lexicon.stopwords:
                    break
                words.append(m)
                if len(words) == _MAX_TERM_WORDS:
                    break
            if not words:
                continue
            term_end = match.end() + words[-1].end()
            term = rest[: words[-1].end()]
        if not WORD.search(term) or len(term.split()) > _MAX_TERM_WORDS:
            continue
        yield Move(
            MoveKind.DEFINITION,
            sentence,
            (match.start(), term_end),
            STRENGTH[MoveKind.DEFINITION] * 0.9,
            frozenset({"named"}),
            {"term": term.strip(",;:. ")},
        )
        return


def _first_match(cues: Cues | None, text: str, folded: Folded) -> re.Match[str] | None:
    return cues.first_match(text, folded) if cues is not None else None


def count_phrase(text: str, lexicon: Lexicon) -> tuple[int, int] | None:
    """The span of a counted phrase: "four fundamental historical functions",
    "two principles of social self-management"."""
    if not lexicon.numbers or lexicon.numbers.isdisjoint(map(str.lower, WORD.findall(text))):
        return None  # most sentences count nothing: no need to walk their words
    tokens = list(WORD.finditer(text))
    for i, token in enumerate(tokens):
        if token.group(0).lower() not in lexicon.numbers:
            continue
        words: list[re.Match[str]] = []
        for nxt in tokens[i + 1 : i + 1 + _MAX_TERM_WORDS]:
            gap = text[(words[-1] if words else token).end() : nxt.start()]
            if gap.strip() or nxt.group(0).lower() in lexicon.stopwords:
                break
            words.append(nxt)
        head = words[-1].group(0).lower() if words else ""
        plural = head in lexicon.irregular_plurals or (
            len(head) > 3
            and head.endswith(lexicon.plural_endings)
            and not head.endswith(lexicon.singular_endings)
        )
        if not plural:
            continue
        end = words[-1].end()
        after = tokens[i + 1 + len(words) : i + 4 + len(words)]
        if (
            len(after) >= 2
            and after[0].group(0).lower() in lexicon.count_links
            and not text[end : after[0].start()].strip()
            and after[1].group(0).lower() not in lexicon.stopwords
            and not text[after[0].end() : after[1].start()].strip()
        ):
            end = after[1].end()
            if (
                len(after) == 3
                and after[2].group(0).lower() not in lexicon.stopwords
                and not text[after[1].end() : after[2].start()].strip()
            ):
                end = after[2].end()
        return token.start(), end
    return None


def _lists_items(rest: str) -> bool:
    """Whether the words after a counted phrase go on to name its items: a colon, or a run of
    two commas or semicolons before the sentence ends."""
    rest = rest.lstrip()
    return (
        rest.startswith(":")
        or rest.count(";") >= 2
        or (rest.count(",") >= 2 and (rest.startswith(("—", "–", "(")) or rest[:1] == ","))
    )


def _bulleted(item: Sentence, parsed: ParsedSection) -> bool:
    """Whether a list item has its bullet or number: lines of a quoted verse, set apart after
    a colon, are no list."""
    block = parsed.blocks[item.block - 1]
    line_start = block.rfind("\n", 0, item.start) + 1
    return bool(block[line_start : item.start].strip())


def _enumerations(parsed: ParsedSection, lexicon: Lexicon) -> Iterator[Move]:
    sentences = parsed.sentences
    leads: set[int] = set()
    i = 0
    while i < len(sentences):
        if sentences[i].kind != "item":
            i += 1
            continue
        j = i
        while j + 1 < len(sentences) and sentences[j + 1].kind == "item":
            j += 1
        lead = sentences[i - 1] if i > 0 else None
        items = sentences[i : j + 1]
        short = all(len(s.words) <= MAX_ITEM_WORDS for s in items)
        # A list's items carry bullets, or end in commas or semicolons; lines of verse
        # quoted after a colon do neither.
        marked = all(_bulleted(s, parsed) for s in items) or all(
            s.text.rstrip()[-1:] in ",;" for s in items[:-1]
        )
        if j > i and short and marked and lead is not None and lead.kind == "sentence":
            text = lead.text.rstrip()
            if text.endswith(":"):
                leads.add(lead.index)
                span = count_phrase(text, lexicon)
                features = {"lead", "items"}
                slots = {}
                if span:
                    features.add("count")
                    slots["count"] = text[span[0] : span[1]]
                    anchor = span
                else:
                    last_word = list(WORD.finditer(text))
                    anchor = (last_word[-1].start(), last_word[-1].end()) if last_word else (0, 1)
                yield Move(
                    MoveKind.ENUMERATION,
                    lead,
                    anchor,
                    STRENGTH[MoveKind.ENUMERATION] + (0.1 if span else 0.0),
                    frozenset(features),
                    slots,
                )
        i = j + 1
    for sentence in sentences:
        if sentence.kind != "sentence" or sentence.index in leads or is_question(sentence.text):
            continue
        span = count_phrase(sentence.text, lexicon)
        if span is None or not _lists_items(sentence.text[span[1] :]):
            continue  # "three times", "two steps from the gate": a number, not a list
        yield Move(
            MoveKind.ENUMERATION,
            sentence,
            span,
            STRENGTH[MoveKind.ENUMERATION],
            frozenset({"count"}),
            {"count": sentence.text[span[0] : span[1]]},
        )


def _names(text: str, lexicon: Lexicon, not_names: frozenset[str]) -> list[tuple[int, int]]:
    """Capitalised phrases that are not capitalised only for opening the sentence;
    `not_names` (stopwords and pronouns) never open one."""
    tokens = list(WORD.finditer(text))
    names: list[tuple[int, int]] = []
    run: list[int] = []

    def close() -> None:
        while run and tokens[run[-1]].group(0).lower() in lexicon.name_links:
            run.pop()
        while run and tokens[run[0]].group(0).lower() in not_names:
            run.pop(0)
        if run and run != [0]:
            names.append((tokens[run[0]].start(), tokens[run[-1]].end()))
        run.clear()

    for i, token in enumerate(tokens):
        word = token.group(0)
        joined = not run or not text[tokens[run[-1]].end() : token.start()].strip()
        capital = word[:1].isupper() and word.lower() != "i"
        links = (
            bool(run)
            and word.lower() in lexicon.name_links
            and i + 1 < len(tokens)
            and tokens[i + 1].group(0)[:1].isupper()
        )
        if joined and (capital or links):
            run.append(i)
        else:
            close()
            if capital:
                run.append(i)
    close()
    return names


def _noun_shaped(word: str, lexicon: Lexicon) -> bool:
    """A word a language's lexicon knows, or one ending like a noun ("-ung", "-heit")."""
    lowered = word.lower()
    return lowered in lexicon.function_words or lowered.endswith(lexicon.noun_endings)


def _clear_name_among_nouns(
    name: str, titled: bool, grade: int, recurring: bool, lexicon: Lexicon
) -> bool:
    """Where every noun has a capital, a name is clearly one only after a title ("Herr
    Samsa"), or as an event or body whose other words are no nouns ("Französische
    Revolution"), or as a place named twice after a preposition ("in Europa"); never when a
    word of it ends like a noun ("Selbstherrlichkeit der Bewegung")."""
    words = [w for w in name.split() if w.lower() not in lexicon.name_links]
    if titled:
        return True
    if grade == 0:
        return len(words) > 1 and not any(_noun_shaped(w, lexicon) for w in words[:-1])
    return grade == 2 and recurring and not any(_noun_shaped(w, lexicon) for w in words)


def _is_its_article(word: str, name: str, section: str, lexicon: Lexicon) -> bool:
    """Whether `word`, just before `name`, is the name's article. Where an article is also a
    preposition (pt "a"), it is one unless the section shows the name bare after another
    preposition: "para Santarem" makes "a Santarem" "to Santarem", where "para a Azambuja"
    keeps "a Azambuja"."""
    word = word.lower()
    if word not in lexicon.name_articles:
        return False
    if word not in lexicon.place_words:
        return True
    others = lexicon.place_words - lexicon.name_articles
    if not others:
        return True
    prepositions = "|".join(map(re.escape, sorted(others)))
    bare = re.compile(rf"(?<!\w)(?i:{prepositions})\s+{re.escape(name)}(?!\w)")
    return bare.search(section) is None


def _examples(
    sentence: Sentence,
    parsed: ParsedSection,
    lexicon: Lexicon,
    not_names: frozenset[str],
    folded: Folded,
) -> Iterator[Move]:
    text = sentence.text
    if not any(word[:1].isupper() for word in sentence.words[1:]):
        return  # a name has a capital past the sentence's first word
    names = _names(text, lexicon, not_names)
    if not names:
        return
    dated = bool(lexicon.dates and lexicon.dates.search(text))
    cued = _first_match(lexicon.cues.get("example"), text, folded) is not None

    def rank(span: tuple[int, int]) -> tuple[int, int]:
        """Events and bodies first, then full names, then places, then anything capitalised."""
        words = text[span[0] : span[1]].lower().split()
        if words[-1] in lexicon.event_words:
            return (0, span[0])
        if len(words) > 1:
            return (1, span[0])
        before = text[: span[0]].split()
        if before and before[-1].lower() in lexicon.place_words:
            return (2, span[0])
        return (3, span[0])

    name = min(names, key=rank)
    shown = text[name[0] : name[1]]
    before = text[: name[0]].split()
    if before and _is_its_article(before[-1], shown, parsed.text, lexicon):
        shown = f"{before[-1].lower()} {shown}"
    grade = rank(name)[0]
    recurring = parsed.text.count(text[name[0] : name[1]]) >= 2
    titled = bool(before) and before[-1].lower().rstrip(".") in lexicon.person_titles
    line_start = text[: name[0]].rstrip(" \t").endswith("\n") or name[0] == 0
    if line_start and not recurring:
        return  # a capital that opens a line of verse, or an imperative, is no name
    if lexicon.capitalised_nouns and not _clear_name_among_nouns(
        text[name[0] : name[1]], titled, grade, recurring, lexicon
    ):
        return  # German capitalises every noun: a capital makes no name
    # A name must be clearly one: an event or body, a full name, a title before it, or a
    # capital that comes back.
    clear = recurring or titled or grade == 1
    if not (grade == 0 or ((cued or dated) and clear) or (grade == 2 and recurring)):
        return
    strength = (
        STRENGTH[MoveKind.EXAMPLE] if (dated or grade == 0) else STRENGTH[MoveKind.EXAMPLE] - 0.15
    )
    yield Move(MoveKind.EXAMPLE, sentence, name, strength, frozenset({"name"}), {"name": shown})


def detect_moves(parsed: ParsedSection, lexicon: Lexicon) -> list[Move]:
    """Every move found in the section, in reading order; empty for a cue-less language."""
    if not lexicon.detects_moves:
        return []
    moves: list[Move] = list(_enumerations(parsed, lexicon))
    not_names = lexicon.stopwords | lexicon.pronouns
    for sentence in parsed.sentences:
        if sentence.kind != "sentence" or is_question(sentence.text):
            continue
        text = sentence.text
        folded = sentence.folded  # once for every cue gate
        moves.extend(_definitions(sentence, parsed, lexicon, folded))
        if match := _first_match(lexicon.cues.get("contrast"), text, folded):
            span = _with_sequel(text, match.span(), 3)
            # "The question is not whether X, but whether Y": a question turned round.
            turned = _first_match(lexicon.cues.get("contrast_reframed"), text, folded)
            features = frozenset({"reframed"}) if turned else frozenset()
            moves.append(
                Move(MoveKind.CONTRAST, sentence, span, STRENGTH[MoveKind.CONTRAST], features)
            )
        elif match := _first_match(lexicon.cues.get("contrast_weak"), text, folded):
            # "On the other hand" turns against what came before: quote the turn in full.
            span = _with_sequel(text, match.span(), 10)
            moves.append(
                Move(MoveKind.CONTRAST, sentence, span, STRENGTH[MoveKind.CONTRAST] - 0.25)
            )
        # "… is like a sailor who should sell his boat because …": what follows a likeness
        # belongs to the picture, not to the argument's claims and causes.
        likeness = _first_match(lexicon.cues.get("image"), text, folded)
        match = _first_match(lexicon.cues.get("claim"), text, folded)
        if match and not (likeness and likeness.start() < match.start()):
            span = _with_sequel(text, match.span(), 4)
            moves.append(Move(MoveKind.CLAIM, sentence, span, STRENGTH[MoveKind.CLAIM]))
        for cue, feature in (("cause_result", "result"), ("cause_reason", "reason")):
            if match := _first_match(lexicon.cues.get(cue), text, folded):
                if _about_the_telling(text[: match.start()], lexicon):
                    break  # "Del viaggio non parlerò perché …": an excuse, not a cause
                if likeness and likeness.start() < match.start():
                    break
                span = _with_sequel(text, match.span())
                linked = _both_sides(text, match.start(), lexicon)
                features = frozenset({feature, "linked"} if linked else {feature})
                moves.append(
                    Move(MoveKind.CAUSE, sentence, span, STRENGTH[MoveKind.CAUSE], features)
                )
                break
        moves.extend(_examples(sentence, parsed, lexicon, not_names, folded))
    moves.sort(key=lambda m: (m.sentence.index, m.move))
    return moves
