"""The features the prompt engine finds in a text's first sentence, for the tests of what a
sentence of a given kind may be asked."""

from __future__ import annotations

from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentence_kinds import sentence_features
from bot.reading.prompts.sentences import parse_section


def first_sentence_features(text: str, language: str) -> frozenset[str]:
    """What `text`'s first sentence is, as the engine reads it in `language`."""
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    return sentence_features(parsed.sentences[0], parsed, lexicon)
