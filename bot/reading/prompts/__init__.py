"""Discussion prompts drawn from a section's own words (Shared Inquiry: factual,
interpretive and evaluative questions). Pure and deterministic: no Discord, no database."""

from bot.reading.prompts.engine import (
    PARALLEL_FROM_SECTIONS,
    generate_prompts,
    generate_reading_prompts,
    reading_kind,
)
from bot.reading.prompts.kinds import KIND_NAMES, TEXT_KINDS, TextKind, parse_kind
from bot.reading.prompts.model import (
    STAGE_LABELS,
    Passage,
    Prompt,
    PromptKind,
    PromptSet,
    prompt_kind,
)

__all__ = [
    "KIND_NAMES",
    "PARALLEL_FROM_SECTIONS",
    "STAGE_LABELS",
    "TEXT_KINDS",
    "Passage",
    "Prompt",
    "PromptKind",
    "PromptSet",
    "TextKind",
    "generate_prompts",
    "generate_reading_prompts",
    "parse_kind",
    "prompt_kind",
    "reading_kind",
]
