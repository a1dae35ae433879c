"""Quotes spread over a section's paragraphs where the paragraphs have something to quote."""

from __future__ import annotations

from bot.reading.prompts import generate_prompts
from tests.reading.prompts.test_prompts import check_section, paragraphs


def test_a_paragraph_of_function_words_alone_is_nothing_to_spread_quotes_over() -> None:
    section = (
        "The the the. The, the the. The the the the. The the the the the.\n\n"
        "The\n\nthe the;\n\nThe the the.\n\nThe the it."
    )
    assert paragraphs(section, "en") == 0
    check_section(generate_prompts(section, language="en"), section, "en")


def test_quotes_come_from_two_paragraphs_when_two_hold_words_worth_quoting() -> None:
    section = (
        "The miller kept his accounts in a green ledger by the stove.\n\n"
        "The miller's daughter read the ledger aloud every winter evening.\n\n"
        "Nobody in the village trusted the ledger, least of all the miller."
    )
    assert paragraphs(section, "en") == 3
    prompts = generate_prompts(section, language="en").prompts
    assert len({p.paragraph for p in prompts if p.quote}) >= 2


def test_a_paragraph_whose_only_sentence_leans_on_the_one_before_is_not_spread_to() -> None:
    section = (
        "And the the the the the the the group.\n\n"
        "The the the. The the the the. The the the the the. The the the the the group."
    )
    assert paragraphs(section, "en") == 1
    check_section(generate_prompts(section, language="en"), section, "en")
