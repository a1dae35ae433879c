"""What a language model is asked when it writes a section's prompts.

The model gets the section's text and the engine's own material for it: the moves found
(definitions, contrasts, claims…), the key phrases, the engine's drafted prompts with their
quotes, the language and, where the engine tells it, the kind of text. It is asked for 3–5
prompts in the reading's language, as JSON that `ANSWER_SCHEMA` describes.

Pure: builds messages, sends nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.reading.prompts.keyphrases import generic_stopwords, key_phrases
from bot.reading.prompts.lexicon import base_language, lexicon_for
from bot.reading.prompts.model import PromptKind, PromptSet
from bot.reading.prompts.moves import detect_moves
from bot.reading.prompts.sentences import parse_section

# Bump when the request changes, so cached answers to the old request are not reused.
BRIEF_VERSION = "1"
_MAX_MOVES = 10
_MAX_PHRASES = 8
_MOVE_WORDS = 30

ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "prompts": {
            "type": "array",
            "minItems": 3,
            "maxItems": 5,
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": [kind.value for kind in PromptKind]},
                    "text": {"type": "string"},
                    "quote": {"type": "string"},
                },
                "required": ["kind", "text", "quote"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["prompts"],
    "additionalProperties": False,
}

_LANGUAGE_NAMES = {
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fi": "Finnish",
    "fr": "French",
    "hu": "Hungarian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}

INSTRUCTIONS = """\
You write discussion questions for a reading group that follows Shared Inquiry.
You get one section of a text and notes on it: what its sentences do (moves), its key
phrases, and questions a rule-based engine drafted. Write 3 to 5 better questions about this
section, in this order:
- one "factual" question first, whose answer is in the text;
- one to three "interpretive" questions, which the text can answer in more than one way;
- one "evaluative" question last, setting the text against the readers' own experience.
Rules for every question:
- write it in {language_name} (language code {language}), whatever language the notes use;
- 40 to 350 characters, ending with a question mark;
- "quote" holds 3 to 25 words copied exactly, character for character, from the section
  (lines of verse quoted together may be kept apart by " / ");
- words inside quote marks in the question must also be copied exactly from the section;
- no two questions alike.
Answer with JSON only: {{"prompts": [{{"kind": "...", "text": "...", "quote": "..."}}]}}."""


@dataclass(frozen=True)
class Brief:
    """The messages asking for one section's prompts, and the language they ask for."""

    messages: list[dict[str, str]]
    language: str


def language_name(code: str) -> str:
    base = base_language(code)
    return _LANGUAGE_NAMES.get(base, base)


def _first_words(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def section_material(text: str, language: str) -> dict[str, Any]:
    """The engine's moves and key phrases for a section, as the model is shown them."""
    lexicon = lexicon_for(base_language(language))
    parsed = parse_section(text, lexicon)
    moves = [
        {
            "move": move.move,
            "paragraph": move.sentence.block,
            "sentence": _first_words(move.sentence.text, _MOVE_WORDS),
        }
        for move in detect_moves(parsed, lexicon)[:_MAX_MOVES]
    ]
    sentences = [s.text for s in parsed.sentences]
    stopwords = lexicon.stopwords or generic_stopwords(sentences)
    phrases = key_phrases(sentences, stopwords, top=_MAX_PHRASES, min_count=2)
    return {"moves": moves, "key_phrases": [p.phrase for p in phrases]}


def build_brief(
    text: str, language: str, engine: PromptSet, *, text_kind: str | None = None
) -> Brief:
    """The system and user messages asking for a section's prompts."""
    code = base_language(language)
    notes: dict[str, Any] = {"language": code}
    if text_kind:
        notes["kind_of_text"] = text_kind
    notes |= section_material(text, language)
    notes["engine_questions"] = [
        {
            "kind": p.kind,
            "text": p.text,
            **({"quote": p.quote} if p.quote else {"key_phrase": p.key_phrase}),
            "move": p.move,
        }
        for p in engine.prompts
    ]
    user = (
        "Notes (JSON):\n"
        + json.dumps(notes, ensure_ascii=False, indent=1)
        + "\n\nThe section, between the lines:\n-----\n"
        + text
        + "\n-----"
    )
    system = INSTRUCTIONS.format(language_name=language_name(code), language=code)
    return Brief(
        messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
        language=code,
    )
