"""What a chosen sentence is, so that the question put to it fits it.

A moment to live through ("when have you found yourself in a moment like this?") needs an
event: someone doing something, told in the past. A general statement ("one never …", "on ne
…", "man muss …") is asked about as a claim; a portrait or a view as a description; a plan or
a supposition ("if he let himself fall …") as a thought. The text's own question is answered
when the lines after it in the same paragraph go on without asking, spoken when it is a
character's, and open otherwise. A section that opens on a preface or an editor's frame is
asked about as an argument, not as a story. The rules are small and read word lists from the
language's lexicon.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import islice

from bot.reading.prompts.lexicon import Folded, Lexicon
from bot.reading.prompts.sentences import ParsedSection, Sentence
from bot.reading.text import WORD

# The features a sentence's class adds to a candidate; templates need or exclude them.
EVENT, GENERAL, DESCRIPTION, PLAN = "event", "general", "description", "plan"
GREETING = "greeting"
# A story told in letters, in a section that opens on one's greeting ("Querida hermana: …"):
# what its writer tells of himself is asked about as the writer's.
LETTER = "letter"
# A narrator's word to the reader ("espero que o leitor perceba agora"): no scene's or
# portrait's question fits it; questions of its own ask what the narrator tells the reader,
# why the story breaks off for it, and what the reader would answer.
ASIDE = "aside"
ANSWERED, SPOKEN, OPEN = "answered", "spoken", "open"
PERSONAL = "personal"
# The speaker or writer himself ("I", "me"), not only something of his ("my father"): what
# a letter's writer tells of himself. Told by a pronoun only: Spanish, Italian and Portuguese
# often show the first person in the verb alone ("Vivo junto al faro"), which is not told.
SELF = "self"
# Words put to someone as "thou" ("Troppe strade buie ci sono per te"): said to
# them, no portrait of what the narrator sees.
ADDRESSED = "addressed"
# What someone did again and again ("Every Sunday morning she baked …"): told in summary,
# no scene to have been in.
HABIT = "habit"
# The quoted words ask something: only then is "what would you have answered?" a question.
ASKING = "asking"
# A question that answers itself ("Was Wunder, wenn …?"): no answer of the readers' own.
RHETORICAL = "rhetorical"
FRAME = "frame"
# What the quoted words hold, for questions that need it: a word of feeling, judgment or
# picture ("charged": an impression has words to carry it, a picture has details); a feeling
# named or shown ("feeling": a moment with something at stake, to put oneself in); an arrival,
# a waking, a discovery or a sudden turn ("arrival": something set going, to expect from).
CHARGED, FEELING, ARRIVAL = "charged", "feeling", "arrival"
# A story's feeling shown in the one person its quote names as its subject, neither denied
# ("Tom did not laugh") nor explained in the quote ("… when he read that …"): what brought it
# on is left to find before it (engine.py).
FELT = "felt"
# Where someone or something stands, and nothing more ("Mr. A and B were in the hall by the
# stairs"): no portrait to draw, no moment to weigh.
PLACED = "placed"
# A quote of a few words ("Even on Sunday"): too little for a portrait or an impression.
SCRAP = "scrap"
# A story's sentence that tells the clock, a distance or a lapse of time and nothing that
# strikes, no feeling, judgment, picture or arrival ("At nine o'clock the guests went home"):
# it moves the story on, no moment to tell another way (engine.py).
TIMED = "timed"
# A story's sentence with no one in it and no word of feeling, judgment or picture ("The sun
# burns as it has not burned this year"): the question how it strikes the readers asks
# little of it.
BARE = "bare"
# Something done, planned, meant or decided ("he took up the violin", "Tomorrow I dine at …", "he
# wanted to cross the river"): what leads up to it and what comes of it can be asked. A view,
# a portrait or a remark has neither.
COURSE = "course"
# A plan that is a supposition ("if he let himself fall …", "he would go"), not a thing
# arranged ("Tomorrow I dine at …"): asked about as one or the other, never "this plan or
# supposition".
SUPPOSED = "supposed"
# A likeness ("great stones, like the remains of a cargo battered by the waves"): what the
# image makes one see, not what the readers have lived like it.
LIKENESS = "likeness"
SCRAP_WORDS = 5
# Quoted lines of verse of which two rhyme: a question on "their rhymes" has some to hear.
RHYMED = "rhymed"
# Verse quoted from a sentence that opens on a turn against the lines before ("Pourtant, …",
# "Yet …"): what it turns against, in the lines before, is the question to ask.
TURNED = "turned"
# Verse that names the poem's figures ("Le Berger solitaire s'endort sous les étoiles"): who
# is in the lines is no question to ask of it.
FIGURED = "figured"
# Verse that speaks of someone by a pronoun as its subject ("Ils versent du vin amer …") and
# names them nowhere, in the lines quoted or just before: whom it means is asked with it.
UNNAMED = "unnamed"
_RHYME_LETTERS = 3  # "splendide" and "lucide" share "ide"; "pieux" and "splendide" nothing

_SPEECH_MARKS = '“”"«»„‘’'
_SINGLE_OPENING = re.compile(r"(?:^|(?<=[\s(—–-]))'(?=\w)")
_SINGLE_CLOSING = re.compile(r"(?<=[\w.!?…,;:])'(?=[\s.,;:!?)—–-]|$)")
_DASH_OPENERS = ("—", "–", "-")
# A character's words set in quotation marks inside a sentence ("»Anna, komm herein, ich
# bitte dich.«"): not the narrator's.
_QUOTED_SPEECH = re.compile(r'«[^»]*»|»[^«]*«|“[^”]*”|„[^“”]*[“”]|"[^"]*"')
_MIN_FRAME_WORDS = 2
_FRAME_BLOCKS = 3  # how many of a section's first paragraphs a frame is looked for in
# A general statement names its generic subject early: "Chi di … s'intende, sa …", "On ne
# voit bien …"; later, "quien"/"who" is a relative pronoun ("con la calma de quien vive …").
_GENERIC_WITHIN = 3
_GREETING_WORDS = 6  # "Querida hermana y buena amiga:" — the greeting ends by then
_DATELINE_WORDS = 6  # "Harbour Light, 3 June 1851": a line of place and date above a letter


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


@cache
def _phrases(phrases: frozenset[str]) -> re.Pattern[str] | None:
    """One pattern for a list's entries of two words or more ("l'homme", "the one who")."""
    many = sorted((p for p in phrases if len(WORD.findall(p)) > 1), key=len, reverse=True)
    if not many:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, many)) + r")(?!\w)", re.I)


def _opens_on(text: str, words: list[str], listed: frozenset[str]) -> bool:
    """Whether one of `listed` comes among the first words of `text`."""
    if any(w in listed for w in words[:_GENERIC_WITHIN]):
        return True
    pattern = _phrases(listed)
    found = pattern.search(text) if pattern else None
    return bool(found and len(WORD.findall(text[: found.start()])) < _GENERIC_WITHIN)


def _tags(text: str, lexicon: Lexicon) -> frozenset[str]:
    """The verbs of saying that tell a saying: all of them in a character's words; in
    narration those that open the sentence or stand after a comma or a dash ("Disse um
    pescador que …", "…, said an old fisherman"). Elsewhere such a verb is a thing
    done ("he took up the violin", "she cried all night")."""
    if is_spoken(text):
        return lexicon.speech_verbs
    placed = {w.lower() for w in re.findall(r"(?:^|[,;—–-])\s*(\w+)", text.strip())}
    return frozenset(placed & lexicon.speech_verbs)


def _past_action(words: list[str], lexicon: Lexicon, sayings: frozenset[str]) -> bool:
    for i, word in enumerate(words):
        if word in lexicon.state_verbs or word in sayings:
            continue  # "was", "had"; and "said" by a quote tells a saying, not a thing done
        if word in lexicon.past_verbs:
            return True
        if word in lexicon.past_exceptions:
            continue
        if not word.endswith(lexicon.past_endings):
            continue  # most words: no ending to look for one by one
        ending = next(e for e in lexicon.past_endings if word.endswith(e))
        if ending and len(word) >= len(ending) + 3 and not _after_state(words, i, lexicon):
            return True
    return False


def _after_state(words: list[str], i: int, lexicon: Lexicon) -> bool:
    """Whether the word at i, a past form by its ending, is a participle after a copula in a
    relative clause, maybe past one adverb ("a garden that was never tended by
    anyone"): it describes what the clause's noun is like. "Mrs. Hale was awakened" still
    tells a thing that happened."""
    for k in range(max(1, i - 2), i):
        if words[k] in lexicon.copulas and words[k - 1] in lexicon.subordinators:
            return True
    return False


def is_hypothetical(words: list[str], lexicon: Lexicon) -> bool:
    """A plan or a supposition: it opens on "if", "wenn", "si", "perhaps" …, or holds a
    conditional ("would", "hätten", "sarebbe")."""
    if words and words[0] in lexicon.hypothetical:
        return True
    return any(w in lexicon.conditional for w in words)


def is_greeting(text: str, lexicon: Lexicon, words: list[str] | None = None) -> bool:
    """A letter's greeting: "Dear Sir,", "Querida hermana y buena amiga:", "Lieber Freund!".
    It names whom the letter is to between its salutation and its mark: "Liebe, so dachte
    ich, …" and "Caro, muito caro, …" name no one; "Dear me, …" and "Dear reader, …" no one
    a letter is sent to. `words` are the text's words in lower case, if already found."""
    words = _words(text) if words is None else words
    if not words or is_spoken(text):
        return False
    if " ".join(words[:2]) in lexicon.salutations:
        salutation = 2  # "my dear", "mi querido"
    elif words[0] in lexicon.salutations:
        salutation = 1
    else:
        return False
    head = " ".join(text.split()[:_GREETING_WORDS])
    marks = [head.index(mark) for mark in (":", ",", "!") if mark in head]
    if not marks:
        return False
    named = _words(head[: min(marks)])[salutation:]
    not_sent_to = lexicon.first_person | lexicon.readers_addressed | lexicon.reader_words
    return bool(named) and not any(w in not_sent_to for w in named)


def tells_of_self(words: Iterable[str], lexicon: Lexicon) -> bool:
    """Whether lower-case `words` name the speaker or writer himself ("I", "me", "j'ai",
    "chamam-me"), not only what is his ("my father")."""
    return any(w in lexicon.first_person_self for w in _with_bound_pronouns(words))


def in_first_person(words: Iterable[str], lexicon: Lexicon) -> bool:
    """Whether lower-case `words` hold the first person singular, a possessive ("my") or a
    pronoun bound to another word ("m'appelle", "chamam-me")."""
    return any(
        w in lexicon.first_person or w in lexicon.first_person_elided
        for w in _with_bound_pronouns(words)
    )


def _with_bound_pronouns(words: Iterable[str]) -> Iterator[str]:
    """`words`, each followed by the pronouns it holds bound to it, which a word keeps as part
    of itself: the elided one before an apostrophe, with it ("j'ai", "m'hanno": "j'", "m'"),
    and the parts a hyphen joins ("chamam-me", "dis-moi": "me", "moi"). Pronouns written into
    the verb ("llámanme") are not told."""
    for word in words:
        yield word
        head, apostrophe, _ = word.replace("’", "'").partition("'")
        if apostrophe:
            yield head + apostrophe
        if "-" in word:
            yield from word.split("-")


def is_letter(parsed: ParsedSection, lexicon: Lexicon) -> bool:
    """Whether a section is a letter: its first paragraph opens on a greeting, after nothing
    but headings or a short date line ("22 May", "Harbour Light, 3 June"). A greeting further
    on opens a letter quoted in the story, whose narrator is not its writer; and since the
    letter opens the section, every paragraph of it is the letter's."""
    for number, (block, role) in enumerate(zip(parsed.blocks, parsed.roles, strict=True), 1):
        first = next((s for s in parsed.sentences if s.block == number), None)
        if first is not None and is_greeting(first.text, lexicon):
            return True
        if role != "heading" and not _dateline(block):
            return False
    return False


def _dateline(block: str) -> bool:
    """Whether a block is a short line of place and date above a letter: a few words with a
    number, or with no mark ending a sentence."""
    words = WORD.findall(block)
    if not words or len(words) > _DATELINE_WORDS:
        return False
    return any(w.isdigit() for w in words) or not block.rstrip().endswith((".", "!", "?", "…"))


def statement_class(
    text: str, lexicon: Lexicon, words: list[str] | None = None, folded: Folded | None = None
) -> str:
    """EVENT, GENERAL, DESCRIPTION, PLAN, GREETING or ASIDE for a sentence that asks
    nothing; `words` are its words in lower case and `folded` is `Folded.of(text)`, if
    already made."""
    words = _words(text) if words is None else words
    folded = Folded.of(text) if folded is None else folded  # once for every cue gate
    if is_greeting(text, lexicon, words):
        return GREETING
    if not is_spoken(text) and (
        any(w in lexicon.reader_words for w in words) or _exhorts(text, lexicon, folded)
    ):
        return ASIDE
    if is_hypothetical(words, lexicon):
        return PLAN
    action = _past_action(words, lexicon, _tags(text, lexicon))
    # A general statement is the narrator's or the author's: not a character's line, and
    # not about "me" ("hardly anyone here understands my wish …").
    personal = is_spoken(text) or in_first_person(words, lexicon)
    if (
        not action
        and not personal
        and (_opens_on(text, words, lexicon.generic_subjects) or _maxim(text, lexicon, folded))
    ):
        return GENERAL
    return EVENT if action else DESCRIPTION


def _maxim(text: str, lexicon: Lexicon, folded: Folded | None = None) -> bool:
    """Whether the sentence is a maxim: a saying put to a sage or a proverb ("…, said an old
    philosopher", "as the proverb has it"), or an abstract thing said in the present to be
    another ("Virtue is its own reward", "La paciencia es la madre de la ciencia")."""
    cues = lexicon.cues.get("maxim")
    return cues is not None and cues.first_match(text, folded) is not None


def is_supposed(
    words: list[str], lexicon: Lexicon, text: str, folded: Folded | None = None
) -> bool:
    """Whether a plan is a supposition: a conditional, or an opener of supposing ("if",
    "perhaps"), rather than a thing arranged for a day to come ("Tomorrow I dine at …")."""
    if any(w in lexicon.conditional for w in words):
        return True
    arranged = lexicon.cues.get("arranged")
    return arranged is None or arranged.first_match(text, folded) is None


def _exhorts(text: str, lexicon: Lexicon, folded: Folded | None = None) -> bool:
    """Whether the narrator bids the reader along ("Let us now light our cigars", "vamos
    accender", "Revenons à …"): a word to the reader, though it does not name them."""
    cues = lexicon.cues.get("hortative")
    return cues is not None and cues.first_match(text, folded) is not None


def _intends(text: str, lexicon: Lexicon, folded: Folded | None = None) -> bool:
    """Whether someone means, tries or decides to do something ("wollte über die Brücke fahren",
    "decided to"): a course set, though nothing is done yet."""
    return any(
        cues is not None and cues.first_match(text, folded) is not None
        for cues in (lexicon.cues.get("intention"), lexicon.cues.get("choice"))
    )


def tone_features(
    text: str, lexicon: Lexicon, words: list[str] | None = None, folded: Folded | None = None
) -> set[str]:
    """CHARGED, FEELING, LIKENESS and ARRIVAL, as the words of `text` hold them, or PLACED
    when it holds none and only tells where someone stands; SCRAP for a few words. `words`
    are its words in lower case and `folded` is `Folded.of(text)`, if already made."""
    words = _words(text) if words is None else words
    folded = Folded.of(text) if folded is None else folded  # once for every cue gate
    features: set[str] = set()
    image = lexicon.cues.get("image")
    if image is not None and image.first_match(text, folded) is not None:
        features |= {LIKENESS, CHARGED}  # a likeness paints, whatever its words
    if lexicon.feeling_words.found_in(words):
        features |= {FEELING, CHARGED}
    elif lexicon.judging_words.found_in(words):
        features.add(CHARGED)
    turn = lexicon.cues.get("turn")
    if lexicon.arrival_words.found_in(words) or (
        turn is not None and turn.first_match(text, folded)
    ):
        features.add(ARRIVAL)
    position = lexicon.cues.get("position")
    if not features and position is not None and position.first_match(text, folded) is not None:
        features.add(PLACED)
    if len(words) <= SCRAP_WORDS:
        features.add(SCRAP)
    return features


def narrated(text: str) -> str:
    """The text without the words it sets in quotation marks: what the narrator says."""
    return _QUOTED_SPEECH.sub(" ", text)


def is_spoken(text: str) -> bool:
    """A character's words: in quotation marks, or opened by a dialogue dash."""
    return any(mark in text for mark in _SPEECH_MARKS) or text.lstrip().startswith(_DASH_OPENERS)


def _rhyme_key(word: str) -> str:
    bare = unicodedata.normalize("NFD", word.lower())
    letters = "".join(ch for ch in bare if ch.isalpha())
    return letters[-_RHYME_LETTERS:]


def rhymes(quote: str) -> bool:
    """Whether two of the quoted lines end on words that rhyme (the same last letters):
    "… un trône splendide, / … ses bras pieux" holds no rhyme, its partners left out."""
    ends = [WORD.findall(line)[-1] for line in quote.splitlines() if WORD.search(line)]
    keys = [_rhyme_key(w) for w in ends]
    return any(
        len(keys[i]) == _RHYME_LETTERS and keys[i] == keys[j] and ends[i].lower() != ends[j].lower()
        for i in range(len(keys))
        for j in range(i + 1, len(keys))
    )


def opening_turn(quote: str, turns: frozenset[str]) -> str | None:
    """The turn a quote opens on, as the text writes it ("Pourtant", "Sin embargo"): one or
    two first words listed in `turns`; None when it opens on none."""
    words = WORD.findall(quote)[:2]
    for count in (2, 1):
        if len(words) >= count and " ".join(words[:count]).lower() in turns:
            return " ".join(words[:count])
    return None


def opens_speech_before(text: str, start: int) -> bool:
    """Whether a speech mark opened in `text` before `start` is still open there: words
    quoted from `start` are a character's ("Sa femme va criant …: « Puisqu'il … Je ferai …")."""
    before = text[:start]
    return before.count("«") > before.count("»") or before.count("“") > before.count("”")


def in_speech(sentence: Sentence, parsed: ParsedSection) -> bool:
    """Whether a sentence is a character's words: it opens on a speech mark or a dialogue
    dash, or a quotation opened earlier in its paragraph is still open where it starts."""
    if sentence.text.lstrip().startswith(tuple(_SPEECH_MARKS) + _DASH_OPENERS):
        return True
    block = parsed.blocks[sentence.block - 1] if 0 < sentence.block <= len(parsed.blocks) else ""
    before = block[: sentence.start]
    opened = before.count("«") + before.count("„")
    closed = before.count("»")
    if "„" in before:
        closed += before.count("“")  # German: „ … “
    else:
        opened += before.count("“")
        closed += before.count("”")
    if block.lstrip("-—– ").startswith("'"):
        # "-- 'Não, não é! … É uma lavoira …'": a paragraph opening on a plain single quote
        # marks speech with it; an apostrophe inside a word ("lh'o", "n'esses") is no mark.
        opened += len(_SINGLE_OPENING.findall(before))
        closed += len(_SINGLE_CLOSING.findall(before))
    return opened > closed or before.count('"') % 2 == 1 or _dashed_speech_open(block, before)


def _dashed_speech_open(block: str, before: str) -> bool:
    """Whether a sentence stands in a paragraph opened by a dialogue dash: the whole
    paragraph is the character's, a tag in it aside ("-Sí, señora -contestó el pastor. No
    he bajado nunca al valle …"), so a later sentence is theirs too ("-Mi perro es muy viejo …
    Al poco rato … me acordé de que …")."""
    return bool(before.strip()) and block.lstrip().startswith(_DASH_OPENERS)


def is_question(text: str) -> bool:
    return text.rstrip().rstrip("\"'”’»)").endswith("?")


SHORT_REPLY_WORDS = 4  # "Tirando a ponte, nenhum.": an answer in a few words, no new thought


def answered_at_once(sentence: Sentence, parsed: ParsedSection) -> bool:
    """Whether the narrator's question is answered by the next sentence in a few words ("Que outro
    caminho tem a aldeia …? Tirando a ponte, nenhum."): a flourish the narrator settles at once,
    with nothing left for readers to ask of it."""
    block = parsed.blocks[sentence.block - 1] if 0 < sentence.block <= len(parsed.blocks) else ""
    spoken = is_spoken(sentence.text) or block.lstrip().startswith(_DASH_OPENERS)
    if spoken or in_speech(sentence, parsed):
        return False  # a character's question, answered by another or left to hang
    after = [s for s in parsed.sentences if s.block == sentence.block and s.index > sentence.index]
    if not after or is_question(after[0].text):
        return False
    if after[0].text.rstrip().endswith(":"):
        return False  # "Que faire ? Voici ce que je propose :": the answer is still to come
    return len(WORD.findall(after[0].text)) <= SHORT_REPLY_WORDS


def question_class(sentence: Sentence, parsed: ParsedSection) -> frozenset[str]:
    """ANSWERED when the same paragraph goes on without asking; SPOKEN for a character's
    question; OPEN when neither: a question the reader may answer."""
    features = set()
    after = [s for s in parsed.sentences if s.block == sentence.block and s.index > sentence.index]
    if after and not is_question(after[0].text):
        features.add(ANSWERED)
    elif after and any(not is_question(s.text) for s in after):
        features.add(ANSWERED)  # a run of questions the paragraph then answers
    block = parsed.blocks[sentence.block - 1] if 0 < sentence.block <= len(parsed.blocks) else ""
    # "-Claro. ¿Y dónde dejaste la llave?": a later sentence of a line opened by a
    # dialogue dash is the character's too.
    if is_spoken(sentence.text) or block.lstrip().startswith(_DASH_OPENERS):
        features.add(SPOKEN)
    if not features:
        features.add(OPEN)
    return frozenset(features)


def sentence_features(
    sentence: Sentence, parsed: ParsedSection, lexicon: Lexicon, quoted: str | None = None
) -> frozenset[str]:
    """The class of a sentence, as template features; a statement is judged by the words
    `quoted` of it when given, since the question is put to what the reader sees."""
    text = quoted or sentence.text
    words = _words(text)  # once for every test below
    folded = sentence.folded if text == sentence.text else Folded.of(text)
    if is_question(sentence.text):
        return question_class(sentence, parsed) | tone_features(text, lexicon, words, folded)
    kind = statement_class(text, lexicon, words, folded)
    features = {kind} | tone_features(text, lexicon, words, folded)
    if kind in (EVENT, PLAN) or _intends(text, lexicon, folded):
        features.add(COURSE)
    if kind == PLAN and is_supposed(words, lexicon, text, folded):
        features.add(SUPPOSED)
    if in_first_person(words, lexicon):
        # "I shall not dwell on …": the writer's own stance, nothing to agree with.
        features.add(PERSONAL)
        if tells_of_self(words, lexicon):
            features.add(SELF)
    if any(p.search(text) for p in lexicon.cues.get("habitual", ())):
        features.add(HABIT)
    if any(w in lexicon.second_person for w in _words(narrated(text))):
        features.add(ADDRESSED)
    return frozenset(features)


def _heading(block: str) -> str:
    """A heading's words, without its number: "1. Prefazione" → "prefazione"."""
    words = [w for w in _words(block) if not w.isdigit() and not re.fullmatch(r"[ivxlc]+", w)]
    return " ".join(words)


def is_frame(parsed: ParsedSection, lexicon: Lexicon) -> bool:
    """Whether a section opens on a preface, an address to the reader or an editor's frame:
    a heading such as "Préface" or "Al lector", or two frame words ("manuscript", "legajo",
    "lettore") in its first paragraphs."""
    if not lexicon.frame_headings and not lexicon.frame_words:
        return False
    first = parsed.blocks[0] if parsed.blocks else ""
    if (parsed.roles and parsed.roles[0] != "paragraph") or len(WORD.findall(first)) <= 4:
        heading = _heading(first)
        if heading in lexicon.frame_headings or any(
            heading.startswith(h + " ") for h in lexicon.frame_headings
        ):
            return True
    opening = [
        b for b, role in zip(parsed.blocks, parsed.roles, strict=True) if role == "paragraph"
    ][:_FRAME_BLOCKS]
    found = {w for b in opening for w in _words(b) if w in lexicon.frame_words}
    return len(found) >= _MIN_FRAME_WORDS


def is_dateline(text: str, lexicon: Lexicon) -> bool:
    """A place and a date signing a preface or a letter ("Oberengadin im Juni 1885."): a
    short line with a year that opens on a place's name, nothing to discuss."""
    # A paragraph past the sixth word is no dateline: its other words need not be cut.
    words = [m.group() for m in islice(WORD.finditer(text), _DATELINE_WORDS + 1)]
    if not words or len(words) > _DATELINE_WORDS or lexicon.dates is None:
        return False
    place = words[0][:1].isupper() and words[0].lower() not in lexicon.stopwords
    return place and bool(lexicon.dates.search(text))
