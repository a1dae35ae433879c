"""A guild's settings: who its facilitators are, asked without waiting for the writers."""

from __future__ import annotations

import asyncio

from sqlalchemy import update

from bot.db import Database
from bot.db.models import Guild
from bot.services.root import Services
from tests.services.worlds import GUILD, OTHER_GUILD

ROLE, NEW_ROLE = 7001, 7002


async def test_the_facilitator_role_is_set_cleared_and_kept_per_guild(services: Services) -> None:
    assert await services.guilds.facilitator_role(GUILD) is None  # a guild never seen

    await services.guilds.set_facilitator_role(GUILD, ROLE)
    assert await services.guilds.facilitator_role(GUILD) == ROLE
    assert await services.guilds.facilitator_role(OTHER_GUILD) is None

    await services.guilds.set_facilitator_role(GUILD, None)
    assert await services.guilds.facilitator_role(GUILD) is None


async def test_a_facilitator_check_does_not_wait_for_a_writer_to_commit(
    services: Services, db: Database
) -> None:
    await services.guilds.set_facilitator_role(GUILD, ROLE)
    writing, checked = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        # On SQLite this holds the writers' turn, as a burst's batch does, until the check
        # is answered.
        async with db.session() as session:
            await session.execute(
                update(Guild).where(Guild.id == GUILD).values(facilitator_role_id=NEW_ROLE)
            )
            writing.set()
            await checked.wait()

    writing_task = asyncio.create_task(writer())
    await writing.wait()
    try:
        # The bound only keeps a check that waits from hanging the suite.
        role = await asyncio.wait_for(services.guilds.facilitator_role(GUILD), 5)
    finally:
        checked.set()
        await writing_task

    assert role == ROLE  # what was committed when the check read it
    assert await services.guilds.facilitator_role(GUILD) == NEW_ROLE
