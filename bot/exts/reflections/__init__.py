"""Reflections in Discord: `/reflect` and the Reflect button, one's own reflections, digests
that close sections, `/settings` and `/forget-me`.

Other features take part through the protocols of `bot.services.features`: a section's
digest shows the lines of every `DigestContributor`, and `/forget-me` lists what every
`MemberData` says it holds (the members feature's progress and memberships among them) before
the member confirms, and has each forget it after reflections are gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.reflections.cog import ReflectionsCog
from bot.exts.reflections.modals import ReflectionModal
from bot.exts.reflections.poster import SharedReflections

if TYPE_CHECKING:
    from bot.app import StudyCircleBot


async def setup(bot: StudyCircleBot) -> None:
    service = bot.services.reflections
    digests = bot.services.digests
    shared = SharedReflections(bot, service)
    digests.poster = shared
    service.settling.settler = shared
    bot.modals.add(ReflectionModal)
    await bot.add_cog(ReflectionsCog(bot, service, digests, shared))
