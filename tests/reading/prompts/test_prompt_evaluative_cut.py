"""A story's evaluative question not asked of half a sentence: a quote cut at a comma before
the clause that carries the sentence's point ("… looked down at the tangle of weed and shells,
| and began to laugh …") asks a feeling of words that hold none."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from bot.reading.prompts.engine import leaves_out_clause
from tests.reading.prompts.story_candidates import candidates_on

CUT = (
    "The old fisherman hauled his net over the side, looked down at the tangle of weed and "
    "shells, and began to laugh so loudly that the gulls rose screaming from the water."
)
OTHERS = (
    "The harbour was grey and still, and the other boats had gone in long before noon.\n\n"
    "His son called out from the jetty; then the boy's dog began to bark, and the old man "
    "waved his cap in the air.\n\n"
    "The fisherman rowed home slowly, humming to himself, and tied up the boat as the rain began."
)


def test_a_quote_cut_before_a_long_last_clause_leaves_it_out() -> None:
    found, words = candidates_on(f"{CUT}\n\n{OTHERS}", "The old fisherman", "en")
    assert any(leaves_out_clause(c, words) for c in found)


def test_a_sentence_quoted_whole_leaves_nothing_out() -> None:
    whole = "The old fisherman hauled his net over the side and began to laugh at the weed."
    found, words = candidates_on(f"{whole}\n\n{OTHERS}", "The old fisherman", "en")
    assert not any(leaves_out_clause(c, words) for c in found)


def test_a_long_sentence_cut_at_a_comma_keeps_a_clause_of_its_own() -> None:
    # Over forty words: the clause quoted may well make a point of its own.
    long = CUT[:-1] + ", while his son watched from the jetty and the dog ran barking up and "
    long += "down the wet sand."
    found, words = candidates_on(f"{long}\n\n{OTHERS}", "The old fisherman", "en")
    assert not any(leaves_out_clause(c, words) for c in found)


# A scene whose other sentences the factual and interpretive questions take first, and where
# the cut sentence would be the evaluative question's best choice but for its cut.
SCENE = "\n\n".join(
    [
        CUT,
        "The fisherman rowed home slowly, humming to himself, and tied up the boat as the rain "
        "began.",
        "The boy ran down the jetty to meet him and helped him drag the boat onto the wet stones.",
        "At dusk his wife walked down to the jetty and carried the heavy basket up the hill to "
        "the cottage.",
    ]
)


def test_the_evaluative_question_is_not_asked_of_a_sentence_cut_before_its_point() -> None:
    prompts = generate_prompts(SCENE, language="en", kind=TextKind.STORY).prompts
    evaluative = [p for p in prompts if p.kind == "evaluative"]
    assert evaluative
    assert all(p.quote for p in evaluative)
    assert all(p.quote and not CUT.startswith(p.quote) for p in evaluative), evaluative
