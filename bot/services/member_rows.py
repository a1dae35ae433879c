"""A member's rows in one table, as `/forget-me` counts and forgets them.

A feature keeping member data (`bot.services.features.MemberData`) describes each table it
keeps them in once, by a `MemberRows`: its confirmation counts those rows and its
`forget_member` deletes them, or takes the member's name off them, by the same filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database, rows_matched
from bot.db.models import Base
from bot.services.features import Kept


class MemberRows:
    """The rows of `model` matching `where` that hold one member, said as `kept`: deleted,
    or, given `anonymise` (the values that take the member off them), kept without them."""

    def __init__(
        self,
        kept: Kept,
        model: type[Base],
        *where: ColumnElement[bool],
        anonymise: Mapping[str, Any] | None = None,
    ) -> None:
        if not where:
            raise ValueError(f"{kept.many!r}: a member's rows need a filter")
        if kept.anonymised != bool(anonymise):
            raise ValueError(f"{kept.many!r}: made anonymous exactly when `anonymise` is given")
        self.kept = kept
        self.model = model
        self.where = where
        self.anonymise = anonymise

    async def count(self, session: AsyncSession) -> int:
        """How many rows `forget` would change now."""
        query = select(func.count()).select_from(self.model).where(*self.where)
        return int(await session.scalar(query) or 0)

    async def forget(self, session: AsyncSession) -> int:
        """Delete the rows (or take the member off them); how many there were."""
        statement = (
            delete(self.model)
            if self.anonymise is None
            else update(self.model).values(dict(self.anonymise))
        )
        result = await session.execute(
            statement.where(*self.where).execution_options(synchronize_session=False)
        )
        return rows_matched(result)


async def count_rows(db: Database, rows: Iterable[MemberRows]) -> dict[Kept, int]:
    """Each `MemberRows`' count, read together: what `forget_rows` would report."""
    async with db.read() as session:
        return {part.kept: await part.count(session) for part in rows}


async def forget_rows(db: Database, rows: Iterable[MemberRows]) -> dict[Kept, int]:
    """Forget every `MemberRows` in one transaction; how many rows of each went."""
    async with db.session() as session:
        return {part.kept: await part.forget(session) for part in rows}
