"""The prompts a section gets, as plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.reading.prompts.kinds import TextKind


class PromptKind(StrEnum):
    """Where a question goes in a discussion (Shared Inquiry), in discussion order; the values
    are stored."""

    FACTUAL = "factual"  # the opening: its answer is in the text
    INTERPRETIVE = "interpretive"  # the core: the text answers it in more than one way
    EVALUATIVE = "evaluative"  # the closing: the text set against the reader's experience


class MoveKind(StrEnum):
    """What a sentence does that a question is asked about (moves.py, kind_moves.py), or
    what the engine picks it for; a template's id names its move ("en.claim.interpretive")."""

    DEFINITION = "definition"
    CONTRAST = "contrast"
    ENUMERATION = "enumeration"
    CLAIM = "claim"
    CAUSE = "cause"
    EXAMPLE = "example"
    OBJECTION = "objection"
    QUESTION = "question"  # a question the text asks
    SPEECH = "speech"  # a character's words
    TURN = "turn"
    CHOICE = "choice"
    IMAGE = "image"
    CENTRAL = "central"  # a sentence central to the section
    KEYPHRASE = "keyphrase"  # a phrase the section repeats


# What each kind is called where members see a discussion's order (plain text: the Discord
# side and the command-line preview both show it).
STAGE_LABELS: dict[PromptKind, str] = {
    PromptKind.FACTUAL: "Opening",
    PromptKind.INTERPRETIVE: "Core",
    PromptKind.EVALUATIVE: "Closing",
}


# A question's length in characters: what the engine writes, and what a model's prompts are
# held to.
MIN_CHARS = 40
MAX_CHARS = 350


def move_kind(value: str) -> MoveKind | None:
    """The move named `value`, or None when there is none."""
    try:
        return MoveKind(value)
    except ValueError:
        return None


def prompt_kind(value: str) -> PromptKind | None:
    """The kind whose stored value is `value`, or None when there is none."""
    try:
        return PromptKind(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Prompt:
    """One discussion question, grounded in its section's own words."""

    kind: PromptKind
    text: str  # the question, ends with "?"
    quote: str | None  # verbatim 3–25 words from the section, or None when grounded by key_phrase
    paragraph: int | None  # 1-based block index of the quote
    key_phrase: str | None  # a phrase occurring at least twice in the section, when no quote
    template: str  # template id, e.g. "en.definition.interpretive"
    move: str  # a MoveKind, or "model" (checked.MODEL_TEMPLATE) for a model's question


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
    kind: TextKind = TextKind.ARGUMENT  # the kind of text the prompts were drafted for
    passages: tuple[Passage, ...] = ()  # when the language has no templates: what to discuss
