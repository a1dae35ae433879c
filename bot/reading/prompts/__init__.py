"""Discussion prompts drawn from a section's own words (Shared Inquiry: factual,
interpretive and evaluative questions). Pure and deterministic: no Discord, no database."""

from bot.reading.prompts.engine import generate_prompts, generate_reading_prompts
from bot.reading.prompts.model import Prompt, PromptKind, PromptSet

__all__ = ["Prompt", "PromptKind", "PromptSet", "generate_prompts", "generate_reading_prompts"]
