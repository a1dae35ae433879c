"""Reflections in Discord: `/reflect` and the Reflect button, one's own reflections, digests
that close sections, `/settings` and `/forget-me`.

Hooks for other features, lists on the bot (`bot.app`):

- `bot.vote_summaries`: `async (guild_id, schedule_id, section_id) -> list[str]`, the lines
  a section's digest shows under "Vote" (the votes feature appends one; none by default);
- `bot.forget_hooks`: `async (guild_id, user_id) -> {label: count}`, run by `/forget-me`
  after reflections, progress and memberships are gone (e.g. `{"ballots in open votes": 2}`);
  a label is plural, and for a count of one its first word loses its "s".

Append in your extension's `setup`, e.g. `bot.forget_hooks.append(forget)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.reflections.cog import ReflectionsCog
from bot.exts.reflections.poster import SharedReflections
from bot.services.digests import Digests
from bot.services.posting import SECTION_CLOSED_JOB
from bot.services.reflections import SETTLE_JOB, Reflections

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    service = Reflections(bot.database, bot.clock, bot.scheduler)
    shared = SharedReflections(bot, service)
    digests = Digests(
        bot.database,
        bot.clock,
        bot.scheduler,
        shared,
        bot.vote_summaries,
        bot.meeting_summaries,
    )
    bot.scheduler.register(SECTION_CLOSED_JOB, digests.handle)
    bot.give_up_handlers[SECTION_CLOSED_JOB] = digests.give_up
    bot.scheduler.register(SETTLE_JOB, shared.handle_settle)
    bot.give_up_handlers[SETTLE_JOB] = shared.give_up_settle
    await bot.add_cog(ReflectionsCog(bot, service, digests, shared, bot.forget_hooks))
