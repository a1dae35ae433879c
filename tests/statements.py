"""What a database runs while a block of a test runs: its statements and its transactions.

with watching(db) as seen:
    await asyncio.gather(*clicks)
assert seen.transactions < len(clicks) // 10  # written together
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from bot.db import Database


@dataclass
class Seen:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0


@contextmanager
def watching(db: Database) -> Iterator[Seen]:
    """The statements run and the transactions begun on `db` inside the block."""
    seen = Seen()
    engine = db.engine.sync_engine

    def statement(_conn: object, _cursor: object, text: str, *_: object) -> None:
        seen.statements.append(text)

    def began(_conn: object) -> None:
        seen.transactions += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", began)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", began)
