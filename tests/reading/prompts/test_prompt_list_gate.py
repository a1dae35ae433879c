"""pysbd with its list pass skipped where no list may be, and its sentences found again with
`str.find`, splits every text as pysbd does."""

from __future__ import annotations

import random

import pysbd
import pytest
from pysbd.lang.common import Common
from pysbd.languages import Language
from pysbd.lists_item_replacer import ListItemReplacer

from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.list_gate import FindingSegmenter, may_hold_list, with_list_gate

LANGUAGES = sorted({lexicon_for(code).segmenter for code in ["en", "it", "es", "fr", "de", "pt"]})

LISTS = [
    "Three steps: a. organise the workplace b. federate c. take over production. Then rest.",
    "The points (a) assembly, (b) mandate and (c) recall hold. So do i) this ii) that iii) more.",
    "We need 1. bread 2. roses 3. time. And 1) land 2) tools 3) seed, as said before.",
    "i. First. ii. Second. iii. Third.\nx. Tenth, perhaps. v. Fifth.",
    "See the list -1. one -2. two and ⁃1. three ⁃2. four, in 1936. Done (yes).",
    "Marks ♨ and ☝ stray into a text. 12. Twelve. 13. Thirteen.",
    "a. Alone at the start. Then z. at the end.",
    "Take 1) land 2) tools 3) seed and go",
]
PLAIN = [
    "Self-management grows from practice and from consciousness together. It takes time.",
    "Who decides? The assembly, not the committee; the members, not the officers.",
    "In 1936 the union had a million members. Its press printed daily (in Barcelona).",
]
PIECES = [*"abcivx", "ii", "iii", "1", "2", "3", "12", "13", "19", ".", ")", "(", "-", "⁃"]
PIECES += [
    " ",
    " ",
    " ",
    "\n",
    "Word",
    "so",
    "a. ",
    "b. ",
    "1. ",
    "2. ",
    "(a) ",
    "(b) ",
    "1) ",
    "2) ",
]


def segment(language: type[Common], text: str) -> list[str]:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    segmenter.language_module = language
    sentences: list[str] = segmenter.segment(text)
    return sentences


@pytest.mark.parametrize("code", LANGUAGES)
def test_texts_split_as_with_pysbds_own_list_pass(code: str) -> None:
    stock = Language.get_language_code(code)
    gated = with_list_gate(stock)
    rng = random.Random(f"lists {code}")
    texts = LISTS + PLAIN
    texts += ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    for text in texts:
        assert segment(gated, text) == segment(stock, text), text


def test_the_gate_lets_through_every_text_the_list_pass_changes() -> None:
    rng = random.Random("list pass")
    changed = 0
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 30))).replace("\n", "\r")
        if ListItemReplacer(text).add_line_break() != text:
            changed += 1
            assert may_hold_list(text), text
    assert changed > 100  # the random texts do hold lists


def test_prose_without_lists_skips_the_pass() -> None:
    assert not any(may_hold_list(text) for text in PLAIN)
    assert all(may_hold_list(text) for text in LISTS)


def test_a_language_whose_processor_has_its_own_process_keeps_it() -> None:
    slovak = Language.get_language_code("sk")
    assert with_list_gate(slovak) is slovak


@pytest.mark.parametrize("code", LANGUAGES)
def test_sentences_are_found_again_where_pysbd_finds_them(code: str) -> None:
    rng = random.Random(f"spans {code}")
    sentences = ["Yes.", "Yes!", "No.", "Dr. Who came.", "It is 3.5 km.", "Why? ", "Ja.", "…"]
    gaps = [" ", "  ", "\n", "", "\t", " \n "]
    for _ in range(200):
        text = "".join(rng.choice(sentences) + rng.choice(gaps) for _ in range(rng.randint(0, 9)))
        for char_span in (False, True):
            stock = pysbd.Segmenter(language=code, clean=False, char_span=char_span)
            finding = FindingSegmenter(language=code, clean=False, char_span=char_span)
            expected, found = stock.segment(text), finding.segment(text)
            if char_span:
                expected = [(s.sent, s.start, s.end) for s in expected]
                found = [(s.sent, s.start, s.end) for s in found]
            assert found == expected, text


def test_an_empty_sentence_is_found_again_as_pysbd_finds_it() -> None:
    stock, finding = pysbd.Segmenter(clean=False), FindingSegmenter(clean=False)
    for text in ["", "  a  b ", "a", "\n\nab  ab \n"]:
        for sentences in (["", "a", ""], ["a", "", "b", ""], ["ab", "ab", "", "x"]):
            stock.original_text = finding.original_text = text
            expected = stock.sentences_with_char_spans(sentences)
            found = finding.sentences_with_char_spans(sentences)
            assert [(s.sent, s.start, s.end) for s in found] == [
                (s.sent, s.start, s.end) for s in expected
            ], (text, sentences)


# What pysbd hides behind symbols and puts back: full stops inside abbreviations and numbers,
# "?!" and the like, ellipses, parentheses and quotes, full-width marks, new lines.
SYMBOL_PIECES = ["Mr. ", "Dr. Who", "3.14", "e.g. ", "?!", "!?", "??", "!!", "...", ". . . "]
SYMBOL_PIECES += ["(so) ", "(Why? Because.) ", '"Yes!" ', "'No?' ", "。", "！", "？", "．"]
SYMBOL_PIECES += ["،", ": ", "\n", " ", " ", "Word", "word", ". ", "? ", "! ", "1. ", "a"]


@pytest.mark.parametrize("code", LANGUAGES)
def test_sentences_holding_pysbds_symbols_split_as_with_pysbd(code: str) -> None:
    stock = Language.get_language_code(code)
    gated = with_list_gate(stock)
    rng = random.Random(f"symbols {code}")
    texts = [
        "".join(rng.choice(SYMBOL_PIECES) for _ in range(rng.randint(1, 25))) for _ in range(400)
    ]
    for text in texts + LISTS + PLAIN:
        assert segment(gated, text) == segment(stock, text), text
