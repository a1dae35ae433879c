"""A story's evaluative question not asked of half a sentence: a quote cut at a comma before
the clause that carries the sentence's point ("… opened an inordinately large mouth, | and
shouted …") asks a feeling of words that hold none, as an English novel showed."""

from __future__ import annotations

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.engine import _leaves_out_clause
from tests.reading.prompts.story_candidates import candidates_on

CUT = (
    "The new boy then gathered up all his courage before the silent class, stood up slowly "
    "beside his desk, and shouted his strange long name at the top of his voice as if he "
    "were calling to someone far away."
)
OTHERS = (
    "The classroom smelled of chalk and wet wool, and the master sat reading at his tall "
    "desk.\n\n"
    "Nobody laughed at first; then the whole room burst out at once, and the master slammed "
    "his book shut in a rage.\n\n"
    "The boy sat down again, red to the ears, and stared at his hands until the bell rang."
)


def test_a_quote_cut_before_a_long_last_clause_leaves_it_out() -> None:
    found, words = candidates_on(f"{CUT}\n\n{OTHERS}", "The new boy", "en")
    assert any(_leaves_out_clause(c, words) for c in found)


def test_a_sentence_quoted_whole_leaves_nothing_out() -> None:
    whole = "The new boy then gathered up all his courage and shouted his strange long name."
    found, words = candidates_on(f"{whole}\n\n{OTHERS}", "The new boy", "en")
    assert not any(_leaves_out_clause(c, words) for c in found)


def test_a_long_sentence_cut_at_a_comma_keeps_a_clause_of_its_own() -> None:
    # Over forty words: the clause quoted may well make a point of its own.
    long = CUT[:-1] + ", while the master looked up from his book and the boys in the back row "
    long += "began to whisper."
    found, words = candidates_on(f"{long}\n\n{OTHERS}", "The new boy", "en")
    assert not any(_leaves_out_clause(c, words) for c in found)


def test_the_evaluative_question_is_not_asked_of_a_sentence_cut_before_its_point() -> None:
    prompts = generate_prompts(f"{CUT}\n\n{OTHERS}", language="en", kind="story").prompts
    evaluative = [p for p in prompts if p.kind == "evaluative"]
    assert evaluative
    assert all(p.quote is None or not CUT.startswith(p.quote) for p in evaluative)
