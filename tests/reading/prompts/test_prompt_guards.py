"""Guards on the prompts in every language with templates, on small texts written for them:
no function word as a key phrase, no English around a text in another language, quotes that
stand alone (no cut at "Mr.", no markup, no pronoun pointing nowhere), speakers named in a
play, three to five prompts of the three kinds, the same prompts every time."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import stopwordsiso

from bot.reading.prompts import PromptSet, generate_reading_prompts, reading_kind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import SLOT, templates_for
from bot.reading.prompts.sentences import parse_section
from tests.reading.prompts import guard_texts
from tests.reading.prompts.checks import check_section
from tests.reading.prompts.guard_texts import READINGS

ROOT = Path(__file__).resolve().parents[3]
LANGUAGES = ("en", "it", "es", "fr", "de", "pt")
WORD = re.compile(r"\w+(?:['’]\w+)*")

IDS = [name for name, _, _ in READINGS]


def prompts_of(sections: list[str], language: str) -> list[PromptSet]:
    return generate_reading_prompts(sections, language=language)


def template_words(language: str) -> set[str]:
    templates = templates_for(language)
    assert templates is not None
    return {w.lower() for t in templates.templates for w in WORD.findall(SLOT.sub(" ", t.text))}


def english_only_words() -> set[str]:
    """Words of the English templates that no other language's templates use."""
    words = template_words("en")
    for language in LANGUAGES[1:]:
        words -= template_words(language)
    return words


def without_grounding(text: str, grounding: str | None) -> str:
    return text.replace(" ".join(grounding.split()), " ") if grounding else text


@pytest.mark.parametrize(("name", "language", "sections"), READINGS, ids=IDS)
def test_every_section_gets_three_to_five_prompts_of_the_three_kinds(
    name: str, language: str, sections: list[str]
) -> None:
    for prompt_set, section in zip(prompts_of(sections, language), sections, strict=True):
        assert prompt_set.language == language
        check_section(prompt_set, section, language)


@pytest.mark.parametrize(("name", "language", "sections"), READINGS, ids=IDS)
def test_no_key_phrase_is_or_is_bounded_by_a_function_word(
    name: str, language: str, sections: list[str]
) -> None:
    function_words = {w.lower() for w in stopwordsiso.stopwords(language)}
    for prompt_set in prompts_of(sections, language):
        for prompt in prompt_set.prompts:
            if prompt.key_phrase is None:
                continue
            words = prompt.key_phrase.lower().split()
            assert words[0] not in function_words, prompt.text
            assert words[-1] not in function_words, prompt.text


@pytest.mark.parametrize(
    ("name", "language", "sections"),
    [r for r in READINGS if r[1] != "en"],
    ids=[name for name, language, _ in READINGS if language != "en"],
)
def test_prompts_on_a_text_in_another_language_hold_no_english_template_words(
    name: str, language: str, sections: list[str]
) -> None:
    english = english_only_words()
    assert {"author", "what", "why", "your", "experience"} <= english
    for prompt_set, section in zip(prompts_of(sections, language), sections, strict=True):
        own = {w.lower() for w in WORD.findall(section)}
        for prompt in prompt_set.prompts:
            asked = without_grounding(prompt.text, prompt.quote or prompt.key_phrase)
            stray = {w.lower() for w in WORD.findall(asked)} & english - own
            assert not stray, (stray, prompt.text)


def abbreviations(language: str) -> set[str]:
    return {a.lower() for a in lexicon_for(language).abbreviations}


def ends_at_an_abbreviation(text: str, language: str) -> bool:
    words = text.rstrip().split()
    if not words or not words[-1].endswith("."):
        return False
    last = words[-1].rstrip(".").lower()
    return last in abbreviations(language) or (len(last) == 1 and last.isalpha())


@pytest.mark.parametrize("language", sorted(guard_texts.ABBREVIATED))
def test_sentences_run_on_past_titles_abbreviations_and_initials(language: str) -> None:
    text = guard_texts.ABBREVIATED[language]
    for sentence in parse_section(text, lexicon_for(language)).sentences:
        assert not ends_at_an_abbreviation(sentence.text, language), sentence.text
        assert len(sentence.text.split()) >= 4, sentence.text


@pytest.mark.parametrize("language", sorted(guard_texts.ABBREVIATED))
def test_quotes_never_end_or_start_at_an_abbreviation_or_initial(language: str) -> None:
    text = guard_texts.ABBREVIATED[language]
    (prompt_set,) = prompts_of([text], language)
    quoted = [p for p in prompt_set.prompts if p.quote]
    assert quoted
    for prompt in quoted:
        assert prompt.quote is not None
        assert prompt.paragraph is not None
        assert not ends_at_an_abbreviation(prompt.quote, language), prompt.quote
        block = text.split("\n\n")[prompt.paragraph - 1]
        before = block[: block.index(prompt.quote)]
        assert not ends_at_an_abbreviation(before, language), prompt.quote


MARKUP = re.compile(r"(?<!\w)_\w|\w_(?!\w)|\*|\[|\]|\^|^\s*[>#]|\s[>#]\s")


@pytest.mark.parametrize("text", [guard_texts.MARKED_UP, guard_texts.PLAY], ids=["md", "play"])
def test_quotes_hold_no_markup_footnote_markers_or_stage_directions(text: str) -> None:
    (prompt_set,) = prompts_of([text], "en")
    quoted = [p.quote for p in prompt_set.prompts if p.quote]
    assert len(quoted) >= 2
    for quote in quoted:
        assert not MARKUP.search(quote), quote
        assert "Rises" not in quote, quote
        assert "Hands" not in quote, quote


def test_the_kind_of_a_play_is_drama_and_its_prompts_name_the_speaker() -> None:
    assert reading_kind([guard_texts.PLAY]) == "drama"
    (prompt_set,) = prompts_of([guard_texts.PLAY], "en")
    assert prompt_set.kind == "drama"
    for prompt in prompt_set.prompts:
        assert prompt.quote is not None
        assert "Algernon" in prompt.text or "Lane" in prompt.text, prompt.text
        assert "the author" not in prompt.text, prompt.text


# Subject pronouns that point outside the quote when it opens on them.
PRONOUNS = {
    "en": {"he", "she", "it", "they", "him", "her", "them", "his", "its", "their"},
    "it": {"lui", "lei", "egli", "ella", "esso", "essa", "essi", "esse", "loro"},
    "es": {"él", "ella", "ellos", "ellas"},
    "fr": {"il", "elle", "ils", "elles"},
    "de": {"er", "sie", "es", "ihm", "ihn", "ihr"},
    "pt": {"ele", "ela", "eles", "elas"},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_quote_opening_on_a_pronoun_is_avoided_when_another_is_possible(
    language: str,
) -> None:
    pronouns = PRONOUNS[language]
    sections = guard_texts.STORIES[language]
    (prompt_set,) = prompts_of(sections, language)
    for prompt in prompt_set.prompts:
        assert prompt.quote is not None
        first = prompt.quote.split()[0].strip("\"'“‘«¿¡(—–-").lower()
        assert first not in pronouns, prompt.text


def test_the_only_sentences_without_a_pronoun_are_the_ones_quoted() -> None:
    (prompt_set,) = prompts_of([guard_texts.PRONOUN_STORY], "en")
    quotes = [p.quote or "" for p in prompt_set.prompts]
    assert any(q.startswith("The old clock") for q in quotes), quotes


PEOPLE_TEMPLATES = ("central.interpretive.story", "central.evaluative.story")


@pytest.mark.parametrize(
    ("language", "sections"),
    [*guard_texts.STORIES.items(), ("en", [guard_texts.PRONOUN_STORY])],
)
def test_a_moment_is_asked_about_for_its_people_only_when_someone_is_in_it(
    language: str, sections: list[str]
) -> None:
    lexicon = lexicon_for(language)
    people = lexicon.narrative_markers | lexicon.speech_verbs | lexicon.first_person
    names = {"Mara", "Marta", "Marthe", "Tomas", "Tommaso", "Tomás", "Thomas"}
    asked = [
        p
        for s in prompts_of(sections, language)
        for p in s.prompts
        if p.template.endswith(PEOPLE_TEMPLATES)
    ]
    for prompt in asked:
        assert prompt.quote is not None
        words = set(WORD.findall(prompt.quote))
        assert words & names or {w.lower() for w in words} & people, prompt.text


_DUMP = """
import json, sys
from bot.reading.prompts import generate_reading_prompts
from tests.reading.prompts.guard_texts import READINGS
out = [[[p.text for p in s.prompts] for s in generate_reading_prompts(secs, language=lang)]
       for _, lang, secs in READINGS]
print(json.dumps(out))
"""


def test_every_language_gives_the_same_prompts_every_time() -> None:
    here = [
        [[p.text for p in s.prompts] for s in prompts_of(secs, lang)] for _, lang, secs in READINGS
    ]
    assert here == [
        [[p.text for p in s.prompts] for s in prompts_of(secs, lang)] for _, lang, secs in READINGS
    ]
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        done = subprocess.run(
            [sys.executable, "-c", _DUMP],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=True,
        )
        assert json.loads(done.stdout) == here
