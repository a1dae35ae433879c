"""A model's prompts are checked against the section: quotes verbatim, kinds, length, endings,
language, no repeats; the engine's prompts fill whatever fails."""

from __future__ import annotations

import json

import pytest

from bot.reading.prompts import generate_prompts
from bot.reading.prompts.checked import (
    MODEL_TEMPLATE,
    AnswerError,
    check_answer,
    is_model_written,
    language_matches,
    merge,
    parse_answer,
)
from bot.reading.prompts.model_brief import ANSWER_SCHEMA, build_brief, section_material

SECTION = (
    "The Commons\n\n"
    "A commons is a resource that a community manages together, by rules it sets for itself. "
    "Its members decide who may use the pasture, when, and how much.\n\n"
    "Critics said that shared land is always overused. Elinor Ostrom showed that many "
    "villages kept their “common pastures” healthy for centuries, because neighbours "
    "watched each other and punished cheats."
)
ITALIAN = (
    "I beni comuni\n\n"
    "Un bene comune è una risorsa che una comunità gestisce insieme, con regole che si dà da "
    "sola. I suoi membri decidono chi può usare il pascolo comune, quando e quanto.\n\n"
    "I critici dicevano che la terra condivisa viene sempre sfruttata troppo. Elinor Ostrom "
    "mostrò che molti villaggi mantennero sano il pascolo comune per secoli."
)


def _answer(*prompts: dict[str, str]) -> str:
    return json.dumps({"prompts": list(prompts)})


GOOD = [
    {
        "kind": "factual",
        "text": "According to the text, who decides who may use the pasture, and when?",
        "quote": "Its members decide who may use the pasture",
    },
    {
        "kind": "interpretive",
        "text": "Why would neighbours watching each other keep a pasture healthy for centuries?",
        "quote": "because neighbours watched each other and punished cheats",
    },
    {
        "kind": "evaluative",
        "text": "Which shared thing in your own life is kept by rules its users set themselves?",
        "quote": "by rules it sets for itself",
    },
]


def test_good_prompts_pass_and_keep_the_sections_own_words() -> None:
    checked = check_answer(_answer(*GOOD), SECTION, "en")
    assert checked.dropped == ()
    assert [p.kind for p in checked.accepted] == ["factual", "interpretive", "evaluative"]
    assert all(is_model_written(p) for p in checked.accepted)
    assert [p.paragraph for p in checked.accepted] == [2, 3, 2]
    for prompt in checked.accepted:
        assert prompt.quote is not None
        assert prompt.quote in SECTION


def test_a_quote_matches_across_quote_marks_and_whitespace_and_keeps_the_original() -> None:
    prompt = dict(GOOD[1], quote='kept their  "common pastures"\nhealthy for centuries')
    [accepted] = check_answer(_answer(prompt), SECTION, "en").accepted
    assert accepted.quote == "kept their “common pastures” healthy for centuries"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"quote": "the commons belong to everyone and no one"}, "not in the section"),
        ({"quote": "decide who"}, "3–25 words"),
        ({"quote": "pasture"}, "3–25 words"),
        ({"quote": " ".join(SECTION.split()[1:30])}, "3–25 words"),
        ({"quote": "embers decide who may use"}, "not in the section"),
        ({"kind": "rhetorical"}, "kind"),
        ({"text": "Who decides?"}, "characters long"),
        ({"text": "Tell us who decides who may use the pasture, and when."}, "question mark"),
        ({"text": "Does the text say that “commons are a tragedy” for every village at all?"},
         "quotes words that are not in the section"),
    ],
)  # fmt: skip
def test_a_prompt_that_breaks_a_rule_is_dropped_with_its_reason(
    change: dict[str, str], reason: str
) -> None:
    checked = check_answer(_answer(dict(GOOD[0], **change), GOOD[1]), SECTION, "en")
    [drop] = checked.dropped
    assert drop.number == 1
    assert reason in drop.reason
    assert [p.kind for p in checked.accepted] == ["interpretive"]


def test_ellipses_and_quote_marks_around_a_quote_are_not_part_of_it() -> None:
    prompt = dict(GOOD[1], quote="“…neighbours watched each other and punished cheats...”")
    [accepted] = check_answer(_answer(prompt), SECTION, "en").accepted
    assert accepted.quote == "neighbours watched each other and punished cheats"


def test_a_quote_across_two_paragraphs_is_dropped() -> None:
    prompt = dict(GOOD[0], quote="how much. Critics said that shared land")
    [drop] = check_answer(_answer(prompt), SECTION, "en").dropped
    assert "across paragraphs" in drop.reason


def test_a_question_in_another_language_is_dropped() -> None:
    italian = dict(GOOD[2], text="Quale bene condiviso nella tua vita è gestito da regole comuni?")
    checked = check_answer(_answer(GOOD[0], italian), SECTION, "en")
    assert [d.reason for d in checked.dropped] == ["its question is not in the reading's language"]
    assert language_matches(GOOD[0]["text"], "en-GB")
    assert not language_matches(GOOD[0]["text"], "it")


def test_quoted_words_do_not_decide_the_language() -> None:
    question = "Che cosa vuol dire il testo con “Its members decide who may use the pasture”?"
    assert language_matches(question, "it")


def test_a_repeated_prompt_is_dropped() -> None:
    again = dict(GOOD[0], text=GOOD[0]["text"].upper().replace("?", " ?"))
    checked = check_answer(_answer(GOOD[0], again), SECTION, "en")
    assert [d.reason for d in checked.dropped] == ["it repeats another prompt"]


def test_answers_are_read_from_fences_bare_lists_and_surrounding_words() -> None:
    fenced = "Here you are:\n```json\n" + _answer(*GOOD) + "\n```\nEnjoy!"
    assert len(parse_answer(fenced)) == 3
    assert len(parse_answer(json.dumps(GOOD))) == 3
    assert len(check_answer(fenced, SECTION, "en").accepted) == 3


@pytest.mark.parametrize(
    "content", ["", "I cannot help with that.", '{"prompts": "none"}', '{"prompts": [', "[]"]
)
def test_an_answer_without_prompts_cannot_be_read(content: str) -> None:
    with pytest.raises(AnswerError):
        parse_answer(content)


def test_merging_fills_the_engines_plan_and_keeps_all_three_kinds() -> None:
    engine = generate_prompts(SECTION, language="en")
    kinds = [p.kind for p in engine.prompts]
    only_core = check_answer(_answer(GOOD[1]), SECTION, "en").accepted
    merged = merge(engine, only_core)
    assert [p.kind for p in merged.prompts] == kinds
    assert [is_model_written(p) for p in merged.prompts].count(True) == 1
    assert merged.prompts[0] == engine.prompts[0]
    assert merged.prompts[-1] == engine.prompts[-1]


def test_merging_adds_the_models_extra_core_questions_up_to_five() -> None:
    engine = generate_prompts(SECTION, language="en")
    extra = [
        dict(
            GOOD[1], text=f"{opening} would neighbours who watch each other keep a pasture healthy?"
        )
        for opening in ("Why", "How far", "In what way", "For what reason")
    ]
    accepted = check_answer(_answer(*GOOD, *extra), SECTION, "en").accepted
    merged = merge(engine, accepted)
    assert len(merged.prompts) == 5
    assert [p.kind for p in merged.prompts] == [
        "factual", "interpretive", "interpretive", "interpretive", "evaluative"
    ]  # fmt: skip
    assert all(p.template == MODEL_TEMPLATE for p in merged.prompts)


def test_the_brief_holds_the_section_the_language_and_the_engines_material() -> None:
    engine = generate_prompts(ITALIAN, language="it")
    brief = build_brief(ITALIAN, "it", engine, text_kind="essay")
    system, user = brief.messages
    assert system["role"] == "system"
    assert "Italian" in system["content"]
    assert ITALIAN in user["content"]
    notes = json.loads(user["content"].split("Notes (JSON):\n", 1)[1].split("\n\nThe section")[0])
    assert notes["language"] == "it"
    assert notes["kind_of_text"] == "essay"
    assert [q["text"] for q in notes["engine_questions"]] == [p.text for p in engine.prompts]
    assert "pascolo comune" in notes["key_phrases"]
    moves = section_material(SECTION, "en")["moves"]
    assert moves
    for move in moves:
        assert move["sentence"] in SECTION.replace("\n\n", " ")
    assert ANSWER_SCHEMA["properties"]["prompts"]["maxItems"] == 5
