"""A story character's few words ("“Wait for me here, please!” said the Goose") carry too
little to ask what led to them: "what leads the Goose to say …?" is asked of a line that says
something, and the few words stay open to the questions that weigh a line as said."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import fitting_templates, section_candidates, section_words
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import SCRAP
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ("en", "de", "es", "fr", "it", "pt")

STORY = (
    "The Goose waddled round the farmyard all the long afternoon, looking for her goslings.\n\n"
    "“Wait for me here, please!” said the Goose. She squeezed under the gate and hurried "
    "across the muddy lane to the pond.\n\n"
    "“I have counted you twice, and one of you is still missing,” said the Goose.\n\n"
    "The Hen clucked softly and went back to her nest in the barn."
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_language_asks_what_leads_to_a_few_words_of_speech(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    story_speech = [
        t
        for t in templates.templates
        if t.move == "speech" and t.kind == "factual" and "story" in t.texts and not t.needs
    ]
    assert story_speech
    few = frozenset({"story", "speaker", "spoken", SCRAP})
    assert not any(t.fits(few, {"quote": "q", "speaker": "S"}) for t in story_speech)
    assert all(t.fits(few - {SCRAP}, {"quote": "q", "speaker": "S"}) for t in story_speech)


def test_a_five_word_cry_is_not_asked_what_leads_to_it() -> None:
    lexicon = lexicon_for("en")
    parsed = parse_section(STORY, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    templates = templates_for("en")
    assert templates is not None
    factual = tuple(t for t in templates.templates if t.move == "speech" and t.kind == "factual")
    speeches = {
        c.sentence.text: [t.id for t in fitting_templates(c, factual)]
        for c in section_candidates(parsed, lexicon, words, None, TextKind.STORY)
        if c.move == "speech" and c.sentence is not None
    }
    cry = next(ids for text, ids in speeches.items() if text.startswith("“Wait"))
    longer = next(ids for text, ids in speeches.items() if text.startswith("“I have"))
    assert "en.speech.factual" not in cry
    assert "en.speech.factual" in longer
