"""Database access: the engine, sessions, batches of requests, and the typed models."""

from bot.db.engine import Coalescer, Database, create_database, rows_matched
from bot.db.models import Base

__all__ = ["Base", "Coalescer", "Database", "create_database", "rows_matched"]
