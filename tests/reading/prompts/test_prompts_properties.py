"""Property tests: any section with words in it gets 3 to 5 grounded prompts, without raising."""

from __future__ import annotations

import re
import string
from itertools import takewhile

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.reading.blocks import BlockKind, classify
from bot.reading.prompts import generate_prompts
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentences import count_quote_words, has_quote_words, parse_section
from tests.reading.prompts.checks import check_prompt, check_section

COMMON = [
    *("the", "a", "of", "and", "to", "in", "is", "that", "it", "for", "not", "but", "must"),
    *("because", "therefore", "means", "rather", "than", "group", "reading", "circle", "text"),
    *("question", "answer", "members", "power", "autonomy", "organization", "history"),
    *("people", "time", "work", "struggle", "should", "never", "always", "class"),
]
LETTERS = string.ascii_letters + "àèéìòùçñ"

word = st.one_of(st.sampled_from(COMMON), st.text(alphabet=LETTERS, min_size=1, max_size=12))
sentence = st.builds(
    lambda words, commas, end: (
        " ".join(w + ("," if i in commas else "") for i, w in enumerate(words)).capitalize() + end
    ),
    st.lists(word, min_size=3, max_size=24),
    st.sets(st.integers(0, 22), max_size=3),
    st.sampled_from([".", ".", ".", "!", "?", ":", ";"]),
)
paragraph = st.lists(sentence, min_size=1, max_size=6).map(" ".join)
heading = st.lists(word, min_size=1, max_size=6).map(lambda ws: " ".join(w.title() for w in ws))
item = st.lists(word, min_size=2, max_size=10).map(lambda ws: " ".join(ws).lower() + ";")
block = st.one_of(paragraph, paragraph, paragraph, heading, item)


@st.composite
def sections(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block, min_size=0, max_size=8))
    blocks.insert(draw(st.integers(0, len(blocks))), draw(paragraph))
    if draw(st.booleans()):
        blocks.insert(0, draw(heading))
    return "\n\n".join(blocks)


FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(sections(), st.sampled_from(["en", "it", "de", "fr"]))
# A story whose second paragraph's one sentence takes only a question any line can take: the
# quotes still spread to it.
@example(
    "The the the the the the? A a a. And the the. The the the the the? A a a the the.\n\n"
    "The the the the the j.",
    "fr",
)
# A paragraph whose one sentence opens on "And" and is quoted whole, past its colon: nothing
# in it stands alone, so one paragraph is quoted.
@example(
    "The the the. The the group. The, the the. The the the the.\n\nAnd the the: The the group.",
    "en",
)
# "The, that b." opens on "that" after a one-word aside: it leans, so one paragraph is quoted.
@example("The the the. The the group. The, the the. The the the the.\n\nThe\n\nThe, that b.", "en")
# A story of questions opening on "Who", whose last paragraph leans ("It was …"): a question
# opening on "Who" asks, so each question is quoted apart and no sentence twice.
@example(
    "Who had left the gate open? Why was the dog barking at the well? Where had the farmer gone"
    " with the cart? Who would feed the hens in the morning?\n\n"
    "It was nine o'clock by the kitchen clock.",
    "en",
)
# Five different sentences, three opening on "And" or "That": two stand on their own, and
# one of them is quoted twice.
@example(
    "The, the the.\n\nThe the the. And the the the. That the the.\n\nThe\n\nAnd the the.", "en"
)
# Under the heading "The", a paragraph of short phrases before three times its words reads as
# the chapter's summary line: only the last paragraph is quoted.
@example(
    "The\n\nThe the the. The the the. The the the. The the the the.\n\nThe the the the the."
    " The the the the the the the the the the the. The the the the the the the the the the the"
    " the the the the the the the the the the the the.",
    "fr",
)
# A question quoted in guillemets after plain spaces ("Le texte demande : « … : A circle a in
# history? » Quelle réponse …"): its own colons and "A" are the quote's, not a yes/no question.
@example(
    "Members means work and answer autonomy therefore answer members text it question!\n\n"
    "Because time than it never: Because autonomy in a: A circle a in history? For work should"
    " is class answer therefore to and answer not? Should duh than yrvtkbèciùh.",
    "fr",
)
# A story (French "j") whose question is followed by a line ending on a colon: the line
# announces the answer rather than gives it, so the question is no flourish settled at once.
@example("The the j? The the the:", "fr")
# An English story ("i") whose first paragraph's question the next three words answer: a
# flourish, and with "The the the." too short to quote, only the second paragraph is quoted.
@example(
    "The the the the the group? The the the.\n\n"
    "The the the the the group. The i the. The the the the the the.",
    "en",
)
def test_any_section_gets_three_to_five_grounded_prompts(section: str, language: str) -> None:
    prompt_set = generate_prompts(section, language=language)
    used = language
    assert prompt_set.language == used
    prompts = prompt_set.prompts
    assert 3 <= len(prompts) <= 5, section
    for prompt in prompts:
        check_prompt(prompt, section, used)
    kinds = [p.kind for p in prompts]
    assert kinds[0] == "factual"
    assert kinds[-1] == "evaluative"
    assert "interpretive" in kinds
    assert len({p.template for p in prompts}) == len(prompts)
    # With enough different sentences to go round, every rule of variety holds as well. A
    # sentence opening on a word that points back ("And the the.") is quoted by no question
    # of its own: with too few others, a sentence is quoted twice.
    lexicon = lexicon_for(language)
    leaning = lexicon.dangling - lexicon.sentence_openers
    parsed = parse_section(section, lexicon)
    standing = {
        s.text.lower()
        for s in parsed.sentences
        if s.kind == "sentence" and s.text.split()[0].lower().strip(",;:.!?") not in leaning
    }
    if len(standing) >= 5:
        check_section(prompt_set, section, used)


@FAST
@given(sections())
def test_the_same_section_gives_the_same_prompts(section: str) -> None:
    assert generate_prompts(section) == generate_prompts(section)


token = st.text(alphabet=LETTERS + string.digits + string.punctuation + "“”«»—’", max_size=15)
separator = st.sampled_from([" ", " ", " ", "\n", "\n\n", ", ", ". ", " — ", "\n\n\n"])


@FAST
@given(st.lists(st.tuples(token, separator), max_size=80))
# "0)" closes a parenthesis nothing opened: the one sentence cannot be quoted whole, and at
# four words it is quoted whole or not at all.
@example([("AA", " "), ("AA", " "), ("AA", " "), ("0)", " ")])
# The same with the parenthesis paired: something to quote.
@example([("AA", " "), ("AA", " "), ("AA", " "), ("(0)", " ")])
# A lone mark and markup open the sentence: it is quoted from the word after them.
@example([("@", " "), ("0<", " "), ("AA", " "), ("AA", " "), ("AA", " ")])
# A short line over a paragraph of markup and numbers is a heading; the paragraph has three
# words as a quote counts them ("0"), so the heading is not quoted, and nothing is.
@example([("AA", " "), ("AA", " "), ("AA", "\n\n"), ("{0", " "), ("0", " "), ("0", " ")])
# A sentence closing on a lone symbol is quoted as if it ended at the word before.
@example([("IF", " "), ("AA", " "), ("AA", " "), ("<", " ")])
# The sentence runs on from "O" over a word carrying markup to the three words on the last
# line: a quote may not hold the markup nor start after it in mid-sentence, so none is taken.
@example(
    [
        ("O", "\n"),
        ("h&4|lo`e^CIù}r\\", "\n"),
        ("Glc", " "),
        ("Glc", " "),
        ("Glc", " "),
        ("dBzF", "\n"),
    ]
)
def test_rough_text_never_raises(pieces: list[tuple[str, str]]) -> None:
    text = "".join(t + s for t, s in pieces)
    prompts = generate_prompts(text).prompts
    assert len(prompts) in (0, 3, 4, 5)
    for prompt in prompts:
        check_prompt(prompt, text, "en")
    # Three words of letters alone running in one sentence of one line, in a paragraph whose
    # brackets and quotation marks all pair up, with no markup in mid-sentence before them:
    # something to quote. The whole paragraph, since a sentence may run on past a line break
    # or a "!" before a small letter.
    quotable = any(
        paired(paragraph) and any(quotable_run(s) for s in re.split(r"[.!?…]\s", paragraph))
        for block in quoted_blocks(text)
        for paragraph in re.split(r"\n[ \t]*\n", block)
    )
    if quotable:
        assert prompts


def quoted_blocks(text: str) -> list[str]:
    """The blocks a quote may come from: paragraphs and list items, or every block when none
    of those has three words. A short line over a paragraph ("AA AA AA" over "{0 0 0") is a
    heading, quoted only when the section has nothing else to quote."""
    blocks = text.split("\n\n")
    kinds = classify([b if b.strip() else " " for b in blocks], markdown=False)
    prose = [b for b, k in zip(blocks, kinds, strict=True) if k.kind in PROSE]
    return prose if any(count_quote_words(b) >= 3 for b in prose) else blocks


PROSE = (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM)
# Three words of letters alone, running on one line.
RUN = re.compile(r"(?:(?<!\S)[^\W\d_]{2,}(?:[ \t]+|$)){3}")
# The marks markup starts with, which a quote never holds (bot.reading.prompts.quotes).
MARKUP = re.compile(r"[_*\[\]<>{}|#`]")


def quotable_run(sentence: str) -> bool:
    """Whether a line of the sentence holds a run of three words of letters with no word
    carrying markup before it in mid-sentence. A quote starts at the sentence's first word or
    where a clause opens, never holds markup, and passes over only what opens the sentence
    ("# ", "@ 0< "): after "O h|lo" nothing of "O h|lo Glc Glc Glc" may be quoted."""
    offset = 0
    for line in sentence.split("\n"):
        run = RUN.search(line)
        if run:
            before = sentence[: offset + run.start()].split()
            lead = sum(1 for _ in takewhile(passed_over, before))
            if not any(MARKUP.search(w) for w in before[lead:]):
                return True
        offset += len(line) + 1
    return False


def passed_over(word: str) -> bool:
    """Whether a quote passes over the word when it opens the sentence: it carries markup, or
    has no letter and is a number's scrap ("12", "0<") or symbols alone ("@", "•"), not a mark
    that pairs or a dash, which open a speech or an aside ("« Comme …", "- Man …")."""
    if MARKUP.search(word):
        return True
    if re.search(r"[^\W\d_]", word):
        return False
    return bool(re.search(r"\d", word)) or not re.search(r"[\"'“”‘’«»„‚()\[\]—–-]", word)


# The marks a quote keeps paired, as its sentence does: "“" opens what "”" closes.
PAIRED_MARKS = (("(", ")"), ("“", "”"), ("«", "»"))


def paired(text: str) -> bool:
    """Whether every bracket and quotation mark in the text closes one opened before it and
    is closed in it. A quote never shows an unpaired mark ("He came ) late.") and a sentence
    short enough is quoted whole or not at all, so such a sentence may have nothing to quote.
    """
    for opening, closing in PAIRED_MARKS:
        depth = 0
        for char in text:
            depth += (char == opening) - (char == closing)
            if depth < 0:
                return False
        if depth:
            return False
    return text.count('"') % 2 == 0


@FAST
@given(st.text(alphabet=" \n\t—–-’'.,;:!?…1aé", max_size=40), st.integers(-1, 6))
def test_a_text_has_so_many_words_when_it_counts_so_many(text: str, count: int) -> None:
    assert has_quote_words(text, count) == (count_quote_words(text) >= count)
