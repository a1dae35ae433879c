"""The discussion-prompt rules (issue 4), checked on the seed and on texts of other kinds."""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from itertools import takewhile
from pathlib import Path

import pytest

from bot.parsing import parse_reading
from bot.reading.blocks import BlockKind, classify
from bot.reading.markup import plain_words
from bot.reading.prompts import Prompt, PromptSet, generate_prompts, generate_reading_prompts
from bot.reading.prompts.apparatus import apparatus_blocks
from bot.reading.prompts.engine import shown_lines
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.quotes import MAX_WORDS
from bot.reading.prompts.sentence_kinds import SCRAP_WORDS
from bot.reading.prompts.sentences import parse_section

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "seeds" / "mass-organizations.txt"
TEXTS = ROOT / "tests" / "fixtures" / "texts"

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


def sections_of(path: Path) -> list[str]:
    """The sections' texts of `path` uploaded as `/reading add` takes it, prompts aside."""
    reading = parse_reading(path.read_bytes(), path.name, with_prompts=False)
    return [s.text for s in reading.sections]


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


def paragraphs(section: str, language: str, kind: str | None = None) -> int:
    """Paragraphs (not headings, not list items) with a sentence a quote can stand on: three
    words running in it, one more than a function word, no word pointing back opening it (a
    question's "Who" asks), and no pronoun among its first words before a name (an
    argument's "The it group." leans).
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

    def stands(sentence: str) -> bool:
        found = re.findall(r"\w+", sentence)
        words = [w.lower() for w in found]
        lead = list(takewhile(lambda w: not w[:1].isupper(), found[1:6]))
        return (
            bool(run.search(sentence))
            and (kind != "story" or len(found) > SCRAP_WORDS)
            and words[0] not in (asking if sentence.rstrip().endswith("?") else leaning)
            and not any(w in lexicon.back_pointers for w in lead)
            and any(w not in lexicon.stopwords for w in words)
        )

    def clauses(sentence: str) -> list[str]:
        if len(sentence.split()) <= MAX_WORDS:
            return [sentence]
        return re.split(r"(?<=[;:])\s+", sentence)

    # A chapter's summary line under its heading is the book's signpost, not its text.
    summaries = apparatus_blocks(parse_section(section, lexicon), lexicon)
    return sum(
        1
        for number, b in enumerate(blocks, 1)
        if b.kind is BlockKind.PARAGRAPH
        and number not in summaries
        and any(
            stands(c) for s in re.split(r"(?<=[.!?])\s+", _said_text(b.text)) for c in clauses(s)
        )
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
    if paragraphs(section, language, prompt_set.kind) >= 2:
        assert len({p.paragraph for p in quoted}) >= 2, [p.quote for p in quoted]


def check_reading(sets: Sequence[PromptSet], sections: Sequence[str], language: str) -> None:
    assert len(sets) == len(sections)
    for prompt_set, section in zip(sets, sections, strict=True):
        assert prompt_set.language == language
        check_section(prompt_set, section, language)
    uses = Counter(p.template for s in sets for p in s.prompts)
    total = sum(uses.values())
    assert max(uses.values()) <= math.ceil(total / 3), uses.most_common(3)


# The seed reading


@pytest.fixture(scope="module")
def seed_sections() -> list[str]:
    return sections_of(SEED)


@pytest.fixture(scope="module")
def seed_prompts(seed_sections: list[str]) -> list[PromptSet]:
    return generate_reading_prompts(seed_sections)


def test_seed_follows_every_rule(seed_sections: list[str], seed_prompts: list[PromptSet]) -> None:
    check_reading(seed_prompts, seed_sections, "en")
    assert all(s.fallback_note is None for s in seed_prompts)


def test_seed_prompts_come_from_every_kind_of_move(seed_prompts: list[PromptSet]) -> None:
    moves = {p.move for s in seed_prompts for p in s.prompts}
    assert {"definition", "contrast", "enumeration", "claim", "cause", "example"} <= moves


def test_seed_templates_are_varied(seed_prompts: list[PromptSet]) -> None:
    uses = Counter(p.template for s in seed_prompts for p in s.prompts)
    assert len(uses) >= 15
    assert max(uses.values()) <= sum(uses.values()) / 5


def _section_titled(sections: list[str], title: str) -> int:
    return next(i for i, s in enumerate(sections) if s.startswith(title))


def test_seed_definition_of_inter_classism(
    seed_sections: list[str], seed_prompts: list[PromptSet]
) -> None:
    prompts = seed_prompts[_section_titled(seed_sections, "No To Economicism")].prompts
    definition = next(p for p in prompts if p.move == "definition")
    assert definition.quote is not None
    assert definition.quote.startswith("is the belief that mass organizations recognize the State")
    assert definition.text.startswith("The text says inter-classism “is the belief that")


def test_seed_enumeration_of_the_four_functions(seed_sections: list[str]) -> None:
    section = seed_sections[_section_titled(seed_sections, "The Functions of Mass Organizations")]
    prompts = generate_prompts(section).prompts
    listed = [p for p in prompts if p.move == "enumeration" and p.quote]
    assert any("four fundamental historical functions" in (p.quote or "") for p in listed)


def test_seed_names_its_historical_examples(seed_prompts: list[PromptSet]) -> None:
    examples = " ".join(p.text for s in seed_prompts for p in s.prompts if p.move == "example")
    assert "the Biennio Rosso" in examples or "the Paris Commune" in examples


def test_seed_never_quotes_a_heading(
    seed_sections: list[str], seed_prompts: list[PromptSet]
) -> None:
    for section, prompt_set in zip(seed_sections, seed_prompts, strict=True):
        headings = {
            b.text
            for b in classify(section.split("\n\n"), markdown=False)
            if b.kind is BlockKind.HEADING
        }
        for prompt in prompt_set.prompts:
            if prompt.paragraph is not None:
                assert section.split("\n\n")[prompt.paragraph - 1] not in headings


def test_seed_single_sections_follow_the_rules(seed_sections: list[str]) -> None:
    for section in seed_sections:
        check_section(generate_prompts(section), section, "en")


# Other kinds of text, written for these tests


def test_essay_follows_every_rule() -> None:
    sections = sections_of(TEXTS / "essay.md")
    sets = generate_reading_prompts(sections)
    check_reading(sets, sections, "en")
    moves = {p.move for s in sets for p in s.prompts}
    assert {"definition", "contrast", "example"} <= moves


def test_essay_names_its_example_in_full() -> None:
    sections = sections_of(TEXTS / "essay.md")
    texts = [p.text for s in generate_reading_prompts(sections) for p in s.prompts]
    assert any("the Chautauqua Literary and Scientific Circle" in t for t in texts)


def test_narrative_follows_every_rule_and_asks_about_the_story() -> None:
    sections = sections_of(TEXTS / "narrative.txt")
    sets = generate_reading_prompts(sections)
    check_reading(sets, sections, "en")
    prompts = [p for s in sets for p in s.prompts]
    # A story is not an argument: no "why does the author insist" on a character's words.
    assert not {p.move for p in prompts} & {"claim", "example"}
    assert any(p.template.endswith(".story") or p.template.endswith(".scene") for p in prompts)
    assert not any(p.key_phrase == "Marta" for p in prompts)


def test_italian_essay_gets_italian_templates() -> None:
    sections = sections_of(TEXTS / "saggio.txt")
    sets = generate_reading_prompts(sections, language="it")
    check_reading(sets, sections, "it")
    assert all(s.fallback_note is None for s in sets)
    texts = " ".join(p.text for s in sets for p in s.prompts)
    assert "«" in texts
    assert "The text" not in texts


def test_italian_definition_keeps_its_article() -> None:
    sections = sections_of(TEXTS / "saggio.txt")
    texts = [p.text for s in generate_reading_prompts(sections, language="it") for p in s.prompts]
    definitions = [t for t in texts if "«è la pratica di" in t]
    assert definitions
    assert all("che la lettura lenta «è la pratica" in t for t in definitions)


def test_region_codes_use_the_base_language() -> None:
    section = sections_of(TEXTS / "saggio.txt")[0]
    prompt_set = generate_prompts(section, language="it-IT")
    assert prompt_set.language == "it"
    assert prompt_set.fallback_note is None


def test_language_without_templates_gets_no_english_prompts_but_passages_and_says_so() -> None:
    section = (
        "Leesclubs\n\n"
        "Een leesclub is een kleine groep mensen die regelmatig samenkomt om dezelfde tekst te "
        "lezen en te bespreken. Niemand is er om les te geven.\n\n"
        "Ieder brengt zijn eigen lezing mee en toetst die aan de lezing van de anderen. Zo "
        "wordt een moeilijke alinea een gemeenschappelijk onderwerp van gesprek."
    )
    prompt_set = generate_prompts(section, language="nl")
    assert prompt_set.prompts == ()
    assert prompt_set.language == "nl"
    assert prompt_set.fallback_note is not None
    assert "'nl'" in prompt_set.fallback_note
    assert prompt_set.passages
    blocks = section.split("\n\n")
    for passage in prompt_set.passages:
        assert passage.quote in blocks[passage.paragraph - 1]
        assert 3 <= len(passage.quote.split()) <= 25


def test_a_story_in_a_language_without_templates_gets_passages_section_by_section() -> None:
    # Regenerating one section's prompts gives what the whole reading's import gave it.
    section = (
        "Die avond kwam Jan laat thuis. Hij zette zijn fiets tegen de muur en keek omhoog naar "
        "het raam.\n\n"
        "Zijn moeder stond daar al een uur te wachten, met de lamp aan en de deur op een kier."
    )
    alone = generate_prompts(section, language="nl", kind="story")
    in_a_reading = generate_reading_prompts([section], language="nl", kind="story")[0]
    assert alone.prompts == ()
    assert alone.passages
    assert alone == in_a_reading


def test_a_lone_heading_gets_no_prompts() -> None:
    assert generate_prompts("Chapter 116").prompts == ()
    assert generate_prompts("").prompts == ()


def test_a_numeral_over_an_empty_line_gets_no_prompts_and_does_not_raise() -> None:
    assert generate_prompts("0\n").prompts == ()
    assert generate_prompts("IV\n \n").prompts == ()


def test_scraps_are_still_grounded() -> None:
    section = "Yes. No. Maybe."
    prompt_set = generate_prompts(section)
    assert 3 <= len(prompt_set.prompts) <= 5
    for prompt in prompt_set.prompts:
        check_prompt(prompt, section, "en")


def test_title_block_is_treated_as_a_heading() -> None:
    section = "Why we meet\n\nWe meet to read together, and reading together changes what we read."
    prompts = generate_prompts(section, title="Why we meet").prompts
    assert all(p.paragraph != 1 for p in prompts)


# Determinism


def test_same_text_same_prompts(seed_sections: list[str], seed_prompts: list[PromptSet]) -> None:
    assert generate_reading_prompts(seed_sections) == seed_prompts
    assert generate_prompts(seed_sections[1]) == generate_prompts(seed_sections[1])


_DUMP = """
import json, sys
from bot.parsing import parse_reading
sets = parse_reading(open(sys.argv[1], "rb").read(), sys.argv[1]).prompts
print(json.dumps([[p.text for p in s.prompts] for s in sets]))
"""


def test_same_prompts_whatever_the_hash_seed() -> None:
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        done = subprocess.run(
            [sys.executable, "-c", _DUMP, str(SEED)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=True,
        )
        outputs.append(json.loads(done.stdout))
    assert outputs[0] == outputs[1]
