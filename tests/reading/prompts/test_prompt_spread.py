"""Quotes spread over a section's paragraphs where the paragraphs have something to quote."""

from __future__ import annotations

from bot.reading.prompts import TextKind, generate_prompts
from tests.reading.prompts.checks import check_prompt, check_section, quotable_paragraphs


def test_a_paragraph_of_function_words_alone_is_nothing_to_spread_quotes_over() -> None:
    section = (
        "The the the. The, the the. The the the the. The the the the the.\n\n"
        "The\n\nthe the;\n\nThe the the.\n\nThe the it."
    )
    assert quotable_paragraphs(section, "en") == 0
    check_section(generate_prompts(section, language="en"), section, "en")


def test_quotes_come_from_two_paragraphs_when_two_hold_words_worth_quoting() -> None:
    section = (
        "The miller kept his accounts in a green ledger by the stove.\n\n"
        "The miller's daughter read the ledger aloud every winter evening.\n\n"
        "Nobody in the village trusted the ledger, least of all the miller."
    )
    assert quotable_paragraphs(section, "en") == 3
    prompts = generate_prompts(section, language="en").prompts
    assert len({p.paragraph for p in prompts if p.quote}) >= 2


def test_a_paragraph_only_a_question_for_any_line_fits_is_spread_to() -> None:
    # The second paragraph's one sentence describes, with no word of feeling in it: only the
    # questions any line can take fit it, while the first paragraph has fitted ones for all.
    section = (
        "Why was the dog barking at the well, and where had the farmer gone with the cart? "
        "The old barn behind the house was grey and quiet. "
        "Why had nobody fed the hens that morning?\n\n"
        "The house by the mill was ours that year."
    )
    prompt_set = generate_prompts(section, language="en")
    assert prompt_set.kind == "story"
    assert quotable_paragraphs(section, "en", "story") == 2
    assert "The house by the mill was ours that year" in [p.quote for p in prompt_set.prompts]
    check_section(prompt_set, section, "en")


def test_a_story_paragraph_of_a_scrap_is_not_spread_to_on_a_question_for_any_line() -> None:
    # Four words asked how they strike the readers: the fitted question stays where it was.
    section = (
        "Why was the dog barking at the well, and where had the farmer gone with the cart? "
        "The old barn behind the house was grey and quiet. "
        "Why had nobody fed the hens that morning?\n\n"
        "The mill was ours."
    )
    prompt_set = generate_prompts(section, language="en")
    assert quotable_paragraphs(section, "en", prompt_set.kind) == 1
    assert {p.paragraph for p in prompt_set.prompts} == {1}
    check_section(prompt_set, section, "en")


def test_a_paragraph_whose_only_sentence_leans_on_the_one_before_is_not_spread_to() -> None:
    section = (
        "And the the the the the the the group.\n\n"
        "The the the. The the the the. The the the the the. The the the the the group."
    )
    assert quotable_paragraphs(section, "en") == 1
    check_section(generate_prompts(section, language="en"), section, "en")


def test_a_short_sentence_opening_on_and_leans_past_its_colon_and_is_not_spread_to() -> None:
    # Quoted whole, the sentence opens on "And": the clause after its colon is no quote.
    section = (
        "The circle reads one chapter a week. Each member brings a question to the meeting. "
        "The group votes on the next book in spring. Nobody is asked to read aloud.\n\n"
        "And so it goes: The whole group decides on the next book together."
    )
    prompt_set = generate_prompts(section, language="en")
    assert quotable_paragraphs(section, "en", prompt_set.kind) == 1
    check_section(prompt_set, section, "en")


def test_a_lone_line_of_speech_in_a_story_gets_the_plain_questions() -> None:
    section = '"Where are you going?"'
    prompt_set = generate_prompts(section, language="en", kind=TextKind.STORY)
    assert prompt_set.kind == "story"
    assert [p.kind for p in prompt_set.prompts] == ["factual", "interpretive", "evaluative"]
    for prompt in prompt_set.prompts:
        check_prompt(prompt, section, "en")
