"""Whom a story's quote is about when it calls them by a pronoun only: "At the harvest supper
… a rare warmth came into her voice", after "Mrs. Hale the miller was a woman of few words
…". The quote stays as the text has it; the question names the person,
taken from the sentences just before it in its paragraph, when exactly one is named there."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import islice

from bot.reading.prompts.lexicon import Lexicon
from bot.reading.prompts.sentences import ParsedSection, Sentence
from bot.reading.prompts.speakers import name_in_tag, named_speaker
from bot.reading.text import WORD

# How far into the quote a pronoun leaves its subject to the reader: a quote is 25 words at
# most, and one a name opens is about that name.
_LEAD_WORDS = 12
_LOOK_BACK = 2  # sentences before the quote's own, in its paragraph, that may name them
_RECURS = 2  # a capitalised word said this often, or after a title, is a person's name
# An abbreviated title before a name ("D. Gumersindo", "M. Bovary").
_INITIAL = re.compile(r"[A-ZÀ-ÖØ-Þ]\.?$")


def _bare(token: str) -> str:
    """A word without what an apostrophe or "-même" joins to it: "He’s" is "he", "Elle-même"
    is "elle"."""
    return re.split(r"['’]|-(?=même)", token, maxsplit=1)[0].lower()


def leaves_someone_unnamed(
    quote: str, at_start: bool, lexicon: Lexicon, names: frozenset[str]
) -> bool:
    """Whether the quote speaks of a third person by a pronoun or possessive among its first
    words ("When he was twelve …", "… came into her voice"), or, where subjects are
    dropped, opens a sentence on a verb with none ("No se podía decir …"), and names no one
    itself."""
    tokens = WORD.findall(quote)
    if any(t in names for t in tokens):
        return False  # "When he was twelve, Charles …": the quote says whom it means
    if at_start and lexicon.subjectless is not None and lexicon.subjectless.match(quote):
        return True
    for i, token in enumerate(tokens[:_LEAD_WORDS]):
        if not _third_person(token, i, lexicon):
            continue
        following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if following in lexicon.impersonal_after:
            continue  # "il y a", "il faut": no one
        return True
    return False


def german_names(sentences: Sequence[Sentence], lexicon: Lexicon) -> frozenset[str]:
    """Where every noun has a capital: the capitalised words inside sentences that no
    article or possessive ever stands before ("Gregor", not "Zimmer"), never written small,
    with no noun's ending, and that the section also puts in the genitive ("Gregors", which
    no plural takes: not "Ideen"); and those after a title ("Herr Samsa")."""
    seen: set[str] = set()
    declined: set[str] = set()
    lower: set[str] = set()
    titled: set[str] = set()
    for sentence in sentences:
        words = WORD.findall(sentence.text)
        for i, word in enumerate(words):
            if word[:1].islower():
                lower.add(word)
                continue
            before = words[i - 1].lower() if i > 0 else ""
            if before.rstrip(".") in lexicon.person_titles:
                titled.add(word)
            if i == 0:
                continue
            seen.add(word)
            if before in lexicon.determiners:
                declined.add(word)
    plain = {
        w
        for w in seen - declined
        if len(w) > 2
        and f"{w}s" in seen
        and w.lower() not in lower
        and w.lower() not in lexicon.stopwords
        and not w.lower().endswith(lexicon.noun_endings)
    }
    return frozenset(plain | {w for w in titled if w.lower() not in lexicon.person_titles})


def named_before(
    parsed: ParsedSection,
    sentence: Sentence,
    start: int,
    lexicon: Lexicon,
    names: frozenset[str],
) -> str | None:
    """The one person named in the two sentences before the quote in its paragraph, or in
    its own sentence before it, as the text calls them ("Mr. Utterson", "D. Gumersindo");
    None when none or several are, or when the only one is who speaks the quote."""
    before = [
        s.text
        for s in parsed.sentences[max(0, sentence.index - _LOOK_BACK) : sentence.index]
        if s.block == sentence.block
    ]
    texts = [*before, sentence.text[:start]]
    speakers = {name_in_tag(t, lexicon) for t in (*before, sentence.text)}
    speakers.add(named_speaker(parsed, sentence, lexicon))
    spoken = {s.split()[-1] for s in speakers if s}
    if _pronoun_first(texts, lexicon, names):
        return None  # "… he could hear the Minister. He stepped …": "he" is someone else
    found = {
        name: shown
        for name, shown in _persons(texts, lexicon, names, parsed.text)
        if name not in spoken
    }
    if len(found) != 1:
        return None
    return next(iter(found.values()))


def _pronoun_first(texts: Sequence[str], lexicon: Lexicon, names: frozenset[str]) -> bool:
    """Whether the sentences before speak of a third person by a pronoun that no name in them
    stands before, or in a sentence that names no one ("… the Minister. He stepped …"): the
    pronoun runs on from further back, and whom it means is not named here."""
    named = False
    for text in texts:
        tokens = WORD.findall(text)
        mentions = any(t in names for t in tokens)
        for i, token in enumerate(tokens):
            if token in names:
                named = True
            elif _third_person(token, i, lexicon) and (not named or not mentions):
                return True
    return False


def _third_person(token: str, at: int, lexicon: Lexicon) -> bool:
    """Whether the word is a third person's pronoun or possessive; German "Sie" in
    mid-sentence is whom one speaks to."""
    if lexicon.capitalised_nouns and at > 0 and token[:1].isupper():
        return False
    return _bare(token) in lexicon.third_person


def _persons(
    texts: Iterable[str], lexicon: Lexicon, names: frozenset[str], whole: str
) -> Iterable[tuple[str, str]]:
    """Each name in the texts that recurs in the section or stands after a title, with how
    the text calls it there (its title or article before it)."""
    for text in texts:
        words = WORD.findall(text)
        for i, word in enumerate(words):
            if word not in names or word.lower() in lexicon.function_words:
                continue
            if word.lower().rstrip(".") in lexicon.person_titles:
                continue
            previous = words[i - 1] if i > 0 else ""
            titled = previous.lower() in lexicon.person_titles or bool(_INITIAL.match(previous))
            said = len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", whole))
            if not titled and said < _RECURS:
                continue
            if titled:
                dotted = re.search(rf"{re.escape(previous)}\.\s+{re.escape(word)}", text)
                yield word, f"{previous}{'.' if dotted else ''} {word}"
            elif previous.lower() in lexicon.name_articles:
                yield word, f"{previous.lower()} {word}"
            else:
                yield word, word


def figures(text: str, lexicon: Lexicon) -> list[str]:
    """The figures a poem names ("l'Enfant", "le Poète", "the Poet"): a capitalised word after
    a definite article, which a line's first word is not, as the text calls them. None where
    every noun has a capital: there the capital does not make a figure."""
    if lexicon.capitalised_nouns:
        return []
    found = []
    for match in _FIGURE.finditer(text):
        article, word = match.group(1).strip().lower(), match.group(2)
        elided = article[-1:] in "'’"
        if article in lexicon.name_articles or (elided and article[:-1] == "l"):
            found.append(f"{article}{'' if elided else ' '}{word}")
    return found


# An article and the capitalised word after it: "l'Enfant", "le Poète", "the Poet".
_FIGURE = re.compile(r"(?<!\w)(\w+(?:['’]|\s+))([A-ZÀ-ÖØ-Þ][\w'’-]*)")


def figure_before(
    parsed: ParsedSection, sentence: Sentence, start: int, quote: str, lexicon: Lexicon
) -> str | None:
    """Whom a verse quote calls by a pronoun only ("Et la Lune qui le suit …", after
    "Le Berger solitaire s'endort sous les étoiles"): the one figure named in the quote's own
    sentence before it or, when none is, in the sentence just before (a stanza often runs on
    from the last); None when none or several are, or when the quote names it itself."""
    if not third_person_in(quote, lexicon):
        return None
    texts = [sentence.text[:start]]
    if sentence.index > 0:
        texts.append(parsed.sentences[sentence.index - 1].text)
    if names_its_figure(quote, lexicon):
        return None  # "Le Berger lassé ferme ses yeux": the figure it names is whom "ses" means
    for text in texts:
        named = {f.lower(): f for f in figures(text, lexicon)}
        if not named:
            continue
        if len(named) != 1 or _object_pronoun(text, lexicon):
            return None  # "Et la Lune qui le suit": someone besides the figure is in play
        figure = next(iter(named.values()))
        return None if figure.lower() in {f.lower() for f in figures(quote, lexicon)} else figure
    return None


def _object_pronoun(text: str, lexicon: Lexicon) -> bool:
    return lexicon.object_pronoun is not None and bool(lexicon.object_pronoun.search(text))


def names_its_figure(quote: str, lexicon: Lexicon) -> bool:
    """Whether the quote names a figure before its first third-person pronoun, and that
    pronoun is no object ("Le Berger … / Sa mère", not "Et la Lune qui le suit"): the figure
    is whom its pronouns mean."""
    if lexicon.capitalised_nouns:
        return False
    first = next(
        (
            m.start()
            for i, m in enumerate(WORD.finditer(quote))
            if _third_person(m.group(), i, lexicon)
        ),
        len(quote),
    )
    if lexicon.object_pronoun is not None:
        found = lexicon.object_pronoun.search(quote)
        if found is not None and found.start() < first:
            return False  # "la Lune qui le suit": the one it follows is someone else
    return bool(figures(quote[:first], lexicon))


def third_person_in(quote: str, lexicon: Lexicon) -> bool:
    """Whether a third person's pronoun or possessive stands among the quote's first words."""
    tokens = WORD.findall(quote)[:_LEAD_WORDS]
    return any(
        _third_person(token, i, lexicon)
        and not (i + 1 < len(tokens) and tokens[i + 1].lower() in lexicon.impersonal_after)
        for i, token in enumerate(tokens)
    )


def unnamed_subject(quote: str, lexicon: Lexicon) -> str | None:
    """The pronoun, as the quote writes it, that opens the quote or one of its lines as the
    subject of someone it names nowhere before it ("… posés sur sa table / Ils versent …");
    None when there is none, when it is no one ("Il faut"), or when a name or a figure comes
    before it in the quote ("Le Berger … / Il …")."""
    found = list(islice(WORD.finditer(quote), _LEAD_WORDS))
    for i, match in enumerate(found):
        token = match.group()
        if _bare(token) not in lexicon.subject_pronouns:
            continue
        opens = i == 0 or "\n" in quote[found[i - 1].end() : match.start()]
        following = found[i + 1].group().lower() if i + 1 < len(found) else ""
        if not opens or following in lexicon.impersonal_after:
            return None  # "…, when he was aware": the subject is named just before
        return None if _named_in(quote[: match.start()], lexicon) else token
    return None


def _named_in(text: str, lexicon: Lexicon) -> bool:
    """Whether the words hold a name or a figure: a capitalised word not opening a line."""
    if figures(text, lexicon):
        return True
    for line in text.split("\n"):
        words = WORD.findall(line)
        if any(w[:1].isupper() for w in words[1:]):
            return True
    return False
