"""The declarative base, its naming convention, the UTC datetime type every model uses, and
the wall-clock time of day."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import DateTime, MetaData, String, TypeDecorator
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names make migrations reproducible on SQLite's batch mode and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class LocalTime(TypeDecorator[time]):
    """A time of day on the wall clock of the row's time zone, to the minute, stored "HH:MM"."""

    impl = String(5)
    cache_ok = True

    def process_bind_param(self, value: time | None, dialect: object) -> str | None:
        return None if value is None else f"{value:%H:%M}"

    def process_result_value(self, value: str | None, dialect: object) -> time | None:
        return None if value is None else time.fromisoformat(value)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(AsyncAttrs, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
