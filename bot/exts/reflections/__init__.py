"""Reflections in Discord: `/reflect` and the Reflect button, one's own reflections, and the
digests that close sections.

A section's digest shows the lines of every cog that is a `DigestContributor`
(`bot.exts.features`: the votes' and the meeting's). The messages showing shared reflections
(`SharedReflections`) are the service's Discord side: the digests' poster, and what
`Reflections.forget_member` settles and refreshes when a member uses /forget-me
(`bot.exts.privacy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.reflections.cog import ReflectionsCog
from bot.exts.reflections.poster import SharedReflections

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    service = bot.services.reflections
    digests = bot.services.digests
    shared = SharedReflections(bot, service)
    digests.poster = shared
    service.messages = shared
    await bot.add_cog(ReflectionsCog(bot, shared))
