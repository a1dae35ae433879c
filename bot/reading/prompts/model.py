"""The prompts a section gets, as plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

PromptKind = Literal["factual", "interpretive", "evaluative"]
KINDS: tuple[PromptKind, ...] = ("factual", "interpretive", "evaluative")


@dataclass(frozen=True)
class Prompt:
    """One discussion question, grounded in its section's own words."""

    kind: PromptKind
    text: str  # the question, ends with "?"
    quote: str | None  # verbatim 3–25 words from the section, or None when grounded by key_phrase
    paragraph: int | None  # 1-based block index of the quote
    key_phrase: str | None  # a phrase occurring at least twice in the section, when no quote
    template: str  # template id, e.g. "en.definition.interpretive"
    move: str  # definition, contrast, enumeration, claim, cause, example, central, keyphrase


@dataclass(frozen=True)
class Passage:
    """A verbatim passage worth discussing, offered when no questions can be drafted."""

    quote: str
    paragraph: int  # 1-based block index


@dataclass(frozen=True)
class PromptSet:
    """The prompts of one section, in discussion order: opening, core, closing."""

    prompts: tuple[Prompt, ...]
    language: str  # language of the templates used (the reading's, when it has none)
    fallback_note: str | None  # set when the reading's language has no templates
    kind: str = "argument"  # the kind of text the prompts were drafted for
    passages: tuple[Passage, ...] = ()  # when the language has no templates: what to discuss
