"""The candidates a story's section offers on one of its sentences, for tests of the rules
that weigh them."""

from __future__ import annotations

from bot.reading.prompts.engine import Candidate, SectionWords, section_candidates, section_words
from bot.reading.prompts.kinds import TextKind
from bot.reading.prompts.lexicon import lexicon_for
from bot.reading.prompts.sentences import parse_section


def candidates_on(text: str, opening: str, language: str) -> tuple[list[Candidate], SectionWords]:
    """The candidates on the sentence opening with `opening`, read as a story, and the
    section's word lists."""
    lexicon = lexicon_for(language)
    parsed = parse_section(text, lexicon)
    words = section_words(lexicon, parsed, TextKind.STORY)
    candidates = section_candidates(parsed, lexicon, words, None, TextKind.STORY)
    found = [c for c in candidates if c.sentence and c.sentence.text.startswith(opening)]
    assert found
    return found, words
