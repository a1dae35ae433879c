"""The discussion-prompt rules (issue 4), checked on the seed and on texts of other kinds."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.parsing import parse_reading
from bot.reading.blocks import BlockKind, classify
from bot.reading.prompts import PromptSet, TextKind, generate_prompts, generate_reading_prompts
from tests.reading.prompts.checks import check_prompt, check_section

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT / "seeds" / "mass-organizations.txt"
TEXTS = ROOT / "tests" / "fixtures" / "texts"


def sections_of(path: Path) -> list[str]:
    """The sections' texts of `path` uploaded as `/reading add` takes it, prompts aside."""
    reading = parse_reading(path.read_bytes(), path.name, with_prompts=False)
    return [s.text for s in reading.sections]


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
    alone = generate_prompts(section, language="nl", kind=TextKind.STORY)
    in_a_reading = generate_reading_prompts([section], language="nl", kind=TextKind.STORY)[0]
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
