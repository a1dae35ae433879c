"""Shared fixtures: a fresh, migrated database per test, on SQLite and (when configured)
on PostgreSQL too.

Set TEST_DATABASE_URL=postgresql+asyncpg://user@host:port/postgres to run every test that
uses `db` or `database_url` against PostgreSQL as well as SQLite.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.db import Database, create_database
from bot.db.engine import make_engine
from bot.db.migrate import upgrade_to_head
from tests.fakemodel import fake_model

__all__ = ["fake_model"]

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` need TEST_DATABASE_URL: without it they are left out (not
    skipped: they were never meant to run on SQLite)."""
    if POSTGRES_URL:
        return
    left_out = [item for item in items if item.get_closest_marker("postgres")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        only_postgres = metafunc.definition.get_closest_marker("postgres") is not None
        backends = [b for b in BACKENDS if b == "postgres" or not only_postgres]
        metafunc.parametrize("backend", backends, scope="session")


async def _postgres_admin(statement: str) -> None:
    engine = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture
async def empty_database_url(backend: str, tmp_path) -> AsyncIterator[str]:  # type: ignore[no-untyped-def]
    """The URL of a database that exists but has no tables."""
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'study-circle.db'}"
        return
    name = f"sc_test_{uuid.uuid4().hex[:12]}"
    await _postgres_admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def database_url(empty_database_url: str) -> str:
    """The URL of a fresh database migrated to the newest schema."""
    await upgrade_to_head(empty_database_url)
    return empty_database_url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """A fresh, migrated database for one test."""
    database = create_database(database_url)
    try:
        yield database
    finally:
        await database.dispose()
