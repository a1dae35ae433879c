"""Readings and their prompts in Discord: `/reading …` and `/prompts …`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.readings.cog import EditPrompt, ReadingsCog
from bot.services.model_prompts import MODEL_PROMPTS_JOB

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    model = bot.services.model_prompts
    # Registered even without an endpoint, so jobs queued while one was set end cleanly.
    bot.scheduler.register(MODEL_PROMPTS_JOB, model.handle)
    bot.modals.add(EditPrompt)
    await bot.add_cog(ReadingsCog(bot, model))
