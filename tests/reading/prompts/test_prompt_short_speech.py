"""A story character's few words ("“Stop here a minute, then!” said the Fox") carry too
little to ask what led to them: "what leads the Fox to say …?" is asked of a line that says
something, and the few words stay open to the questions that weigh a line as said."""

from __future__ import annotations

import pytest

from bot.reading.prompts.engine import _candidates, _fitting, _words
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.question_templates import templates_for
from bot.reading.prompts.sentence_kinds import SCRAP
from bot.reading.prompts.sentences import parse_section

LANGUAGES = ("en", "de", "es", "fr", "it", "pt")

STORY = (
    "The Fox walked along the river bank all the long morning, looking for his old friend.\n\n"
    "“Stop here a minute, then!” said the Fox. He climbed into the little boat and rowed "
    "across to the far side of the river.\n\n"
    "“I have been looking for you since the sun came up,” said the Fox.\n\n"
    "The Badger shook his head slowly and went back into his warm house."
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_language_asks_what_leads_to_a_few_words_of_speech(language: str) -> None:
    templates = templates_for(language)
    assert templates is not None
    story_speech = [
        t for t in templates.for_move("speech", "factual") if "story" in t.texts and not t.needs
    ]
    assert story_speech
    few = frozenset({"story", "speaker", "spoken", SCRAP})
    assert not any(t.fits(few, {"quote": "q", "speaker": "S"}) for t in story_speech)
    assert all(t.fits(few - {SCRAP}, {"quote": "q", "speaker": "S"}) for t in story_speech)


def test_a_five_word_cry_is_not_asked_what_leads_to_it() -> None:
    lexicon = lexicon_for("en")
    parsed = parse_section(STORY, lexicon)
    words = _words(lexicon, parsed, "story")
    templates = templates_for("en")
    assert templates is not None
    factual = templates.for_move("speech", "factual")
    speeches = {
        c.sentence.text: [t.id for t in _fitting(c, factual)]
        for c in _candidates(parsed, lexicon, words, None, "story")
        if c.move == "speech" and c.sentence is not None
    }
    cry = next(ids for text, ids in speeches.items() if text.startswith("“Stop"))
    longer = next(ids for text, ids in speeches.items() if text.startswith("“I have"))
    assert "en.speech.factual" not in cry
    assert "en.speech.factual" in longer
