"""The rules every discussion prompt and every section's prompts keep, checked by the prompt
tests of many modules: `check_prompt` for one prompt, `check_section` for a section's set."""

from __future__ import annotations

import re
from itertools import takewhile

from bot.reading.blocks import BlockKind, classify
from bot.reading.markup import plain_words
from bot.reading.prompts import Prompt, PromptSet
from bot.reading.prompts.apparatus import apparatus_blocks
from bot.reading.prompts.engine import ASIDE_WORDS, shown_lines
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import MAX_WORDS
from bot.reading.prompts.sentence_kinds import SCRAP_WORDS, SHORT_REPLY_WORDS
from bot.reading.prompts.sentences import parse_section
from bot.reading.text import WORD

KIND_ORDER = {"factual": 0, "interpretive": 1, "evaluative": 2}
YES_NO = {
    "es": {"es", "son", "hay", "puede", "pueden", "tiene", "tienen"},
    "fr": {"est", "sont", "a", "ont", "peut", "peuvent"},
    "de": {"ist", "sind", "gibt", "hat", "haben", "kann", "können", "war", "waren"},
    "pt": {"é", "são", "há", "pode", "podem", "tem", "têm"},
    "en": {"is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would",
           "will", "shall", "may", "might", "must", "has", "have", "had", "am"},
    "it": {"è", "sono", "esiste", "esistono", "c'è", "può", "possono", "ha", "hanno"},
}  # fmt: skip
ASKING = {
    "es": ("qué", "cuál", "cuáles", "quién", "cómo", "por qué", "dónde", "cuándo", "cuánto",
           "hasta"),
    "fr": ("que", "qu", "quel", "quelle", "quels", "lesquels", "lequel", "qui", "comment",
           "pourquoi", "où", "quand", "jusqu", "de quel", "à quel"),
    "de": ("was", "welche", "welchen", "welches", "wer", "wen", "wie", "warum", "wo", "wann",
           "wofür", "worin", "womit", "worauf", "wessen", "woran", "an welchen"),
    "pt": ("que", "o que", "qual", "quais", "quem", "como", "porque", "onde", "quando", "quão",
           "até"),
    "en": ("what", "which", "who", "whom", "whose", "how", "why", "where", "when"),
    "it": ("che cosa", "quale", "quali", "qual", "come", "perché", "chi", "dove", "quando",
           "quanto"),
}  # fmt: skip
SLOT = re.compile(r"\{\w*\}")


def occurrences(phrase: str, text: str) -> int:
    pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)"
    return len(re.findall(pattern, text, re.IGNORECASE))


def shown_quote(prompt: Prompt) -> str:
    """The prompt's quote as its question shows it: the quote's words verbatim, with marks of
    speech inside it turned to nested marks (“… ‘Hold hard!’ …”), and lines of verse kept
    apart by " / ", the only changes allowed."""
    assert prompt.quote is not None
    templates = templates_for(prompt.template.split(".")[0])
    assert templates is not None
    template = next(t for t in templates.templates if t.id == prompt.template)
    lines = template.shown(shown_lines(prompt.quote))
    return lines if lines in prompt.text else template.shown(" ".join(prompt.quote.split()))


QUOTE_MARKS = (("“", "”"), ("«", "»"), ("„", "“"), ("«\u00a0", "\u00a0»"), ("« ", " »"))


def question_clause(prompt: Prompt) -> str:
    """The part of the prompt that asks: after the quote, the last clause before '?'."""
    text = prompt.text
    for grounding in (prompt.quote, prompt.key_phrase):
        if grounding:
            shown = shown_quote(prompt) if grounding == prompt.quote else grounding
            shown = " ".join(shown.split())
            # French guillemets hold the quote after a space, no-break or plain, as each
            # template writes it.
            for opening, closing in QUOTE_MARKS:
                text = text.replace(f"{opening}{shown}{closing}", "Q")
    return re.split(r"[.:;—]\s", text)[-1].strip()


def check_prompt(prompt: Prompt, section: str, language: str) -> None:
    """Every rule that holds for one prompt on its own. A quote is its paragraph's words,
    verbatim, without emphasis or footnote markers."""
    section = plain_words(section)
    blocks = section.split("\n\n")
    assert prompt.text.endswith("?"), prompt.text
    assert 40 <= len(prompt.text) <= 350, prompt.text
    assert prompt.template.startswith(f"{language}."), prompt.template
    assert prompt.template.split(".")[2] == prompt.kind
    assert prompt.template.split(".")[1] == prompt.move
    clause = question_clause(prompt)
    words = clause.lower().split()
    assert words, prompt.text
    assert words[0] not in YES_NO[language], f"yes/no question: {prompt.text}"
    assert any(re.search(rf"(?<!\w){w}(?!\w)", clause.lower()) for w in ASKING[language]), (
        prompt.text
    )
    if prompt.quote is not None:
        assert prompt.key_phrase is None
        assert prompt.paragraph is not None
        block = blocks[prompt.paragraph - 1]
        assert prompt.quote in block, (prompt.quote, block)
        assert 3 <= len(prompt.quote.split()) <= 25, prompt.quote
        assert sum(1 for t in prompt.quote.split() if re.search(r"\w", t)) >= 3
        # Cut at word bounds, never inside a word (the same words may also stand inside
        # longer ones earlier: "the the" within "the therefore").
        starts = [m.start() for m in re.finditer(re.escape(prompt.quote), block)]
        assert any(
            (start == 0 or not block[start - 1].isalnum())
            and (
                start + len(prompt.quote) == len(block)
                or not block[start + len(prompt.quote)].isalnum()
            )
            for start in starts
        ), prompt.quote
        assert shown_quote(prompt) in prompt.text
        shown = prompt.text.replace(shown_quote(prompt), "")
    else:
        assert prompt.key_phrase is not None
        assert prompt.paragraph is None
        assert occurrences(prompt.key_phrase, section) >= 2, prompt.key_phrase
        assert prompt.key_phrase in prompt.text
        shown = prompt.text.replace(prompt.key_phrase, "")
    assert not SLOT.search(shown), prompt.text


def sentences_holding(prompt: Prompt, section: str, language: str) -> set[int]:
    """The sentences (by the engine's own splitting) a quote could have come from."""
    assert prompt.quote is not None
    assert prompt.paragraph is not None
    parsed = parse_section(section, lexicon_for(language))
    block = plain_words(section).split("\n\n")[prompt.paragraph - 1]
    starts = [m.start() for m in re.finditer(re.escape(prompt.quote), block)]
    return {
        s.index
        for s in parsed.sentences
        if s.block == prompt.paragraph and any(s.start <= at < s.end for at in starts)
    } or {-prompt.paragraph}


def distinct_sentences(options: list[set[int]], taken: frozenset[int] = frozenset()) -> bool:
    """Whether each quote can be given a sentence of its own."""
    if not options:
        return True
    return any(
        distinct_sentences(options[1:], taken | {choice})
        for choice in options[0]
        if choice not in taken
    )


def quotable_paragraphs(section: str, language: str, kind: str | None = None) -> int:
    """Paragraphs (not headings, not list items) with a sentence a quote can stand on: three
    words running in it, one more than a function word, no word pointing back opening it (a
    question's "Who" asks), and no pronoun among its first words before a name (an
    argument's "The it group." leans). After an aside of three words or fewer the clause
    starts again, and may open on a word pointing back or name its thing by a demonstrative
    as a sentence may: "The, that b." leans as "That b." does ("Indeed, that was …").
    A chapter's summary line ("The the the. The the the. …" under a heading, before much
    longer text) is no paragraph to quote.
    A paragraph of "The the it." or "And the group." has nothing to quote on its own, nor, in
    a story, one whose sentences are scraps of a few words ("The the me."). A sentence short
    enough to be quoted whole is judged whole, past a colon or semicolon ("And the the: The
    the group." leans); only a longer one, which a quote may cut there, by its clauses."""
    blocks = classify(section.split("\n\n"), markdown=False)
    run = re.compile(r"\w+[^\w.!?]+\w+[^\w.!?]+\w+")
    lexicon = lexicon_for(language)
    leaning = lexicon.dangling - lexicon.sentence_openers
    # A question may open on "Who" or "Qui": it asks, it does not point back.
    asking = leaning - lexicon.interrogatives

    def leans_after_aside(sentence: str) -> bool:
        # Words as the engine counts them: "l'avouons" is one.
        aside, comma, clause = sentence.partition(",")
        if not comma or len(WORD.findall(aside)) > ASIDE_WORDS:
            return False
        rest = [w.lower() for w in WORD.findall(clause)[:2]]
        return bool(rest) and (
            rest[0] in leaning - lexicon.clause_words
            or any(w in lexicon.demonstratives for w in rest)
        )

    def stands(sentence: str) -> bool:
        found = re.findall(r"\w+", sentence)
        words = [w.lower() for w in found]
        lead = list(takewhile(lambda w: not w[:1].isupper(), found[1:6]))
        return (
            bool(run.search(sentence))
            and (kind != "story" or len(found) > SCRAP_WORDS)
            and words[0] not in (asking if sentence.rstrip().endswith("?") else leaning)
            and not any(w in lexicon.back_pointers for w in lead)
            and not leans_after_aside(sentence)
            and any(w not in lexicon.stopwords for w in words)
        )

    def clauses(sentence: str) -> list[str]:
        if len(sentence.split()) <= MAX_WORDS:
            return [sentence]
        return re.split(r"(?<=[;:])\s+", sentence)

    def settled_at_once(sentences: list[str], at: int) -> bool:
        # A story's question its next few words answer ("Who came? Nobody at all."): the
        # narrator's flourish, which the engine asks nothing of.
        if kind != "story" or not sentences[at].rstrip().endswith("?") or at + 1 >= len(sentences):
            return False
        reply = sentences[at + 1].rstrip()
        return not reply.endswith(("?", ":")) and len(WORD.findall(reply)) <= SHORT_REPLY_WORDS

    def quotable(paragraph: str) -> bool:
        sentences = re.split(r"(?<=[.!?])\s+", _said_text(paragraph))
        return any(
            stands(c)
            for at, s in enumerate(sentences)
            if not settled_at_once(sentences, at)
            for c in clauses(s)
        )

    # A chapter's summary line under its heading is the book's signpost, not its text.
    summaries = apparatus_blocks(parse_section(section, lexicon), lexicon)
    return sum(
        1
        for number, b in enumerate(blocks, 1)
        if b.kind is BlockKind.PARAGRAPH and number not in summaries and quotable(b.text)
    )


def _said_text(paragraph: str) -> str:
    """A paragraph without a last sentence that only announces what follows ("… he said:"),
    which a story's prompts do not quote."""
    text = paragraph.rstrip()
    if not text.endswith(":"):
        return text
    return " ".join(re.split(r"(?<=[.!?])\s+", text)[:-1])


def check_section(prompt_set: PromptSet, section: str, language: str) -> None:
    """Every rule that holds for one section's prompts together."""
    prompts = prompt_set.prompts
    assert 3 <= len(prompts) <= 5, [p.text for p in prompts]
    kinds = [p.kind for p in prompts]
    assert {"factual", "interpretive", "evaluative"} <= set(kinds)
    assert kinds == sorted(kinds, key=KIND_ORDER.__getitem__), kinds
    for prompt in prompts:
        check_prompt(prompt, section, language)
    templates = [p.template for p in prompts]
    assert len(set(templates)) == len(templates), templates
    quoted = [p for p in prompts if p.quote is not None]
    options = [sentences_holding(p, section, language) for p in quoted]
    assert distinct_sentences(options), [p.quote for p in quoted]
    if quotable_paragraphs(section, language, prompt_set.kind) >= 2:
        assert len({p.paragraph for p in quoted}) >= 2, [p.quote for p in quoted]
