"""Debug logging never prints raw Discord payloads, which could link members to ballots, nor
the values in database errors and statements."""

from __future__ import annotations

import io
import logging

from asyncpg import exceptions as asyncpg_exc
from sqlalchemy import create_engine, text
from sqlalchemy import exc as sa_exc

from bot.logging_setup import RAW_PAYLOAD_LOGGERS, configure_logging


def test_debug_logging_keeps_raw_discord_payloads_out() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    try:
        for name in RAW_PAYLOAD_LOGGERS:
            logging.getLogger(name).debug("INTERACTION_CREATE member 42 custom_id sc:vote:7:2")
        logging.getLogger("discord.ui.view").debug(
            "View interaction referenced an unknown item custom_id %s. Discarding",
            "sc:vote:7:pick:3",
        )
        logging.getLogger("bot.services").debug("our own debug line")
        text = stream.getvalue()
        assert "sc:vote:7:2" not in text
        assert "sc:vote:7:pick:3" not in text
        assert "our own debug line" in text
    finally:
        configure_logging("WARNING", stream=io.StringIO())


WORDS = "my brother lost his job"


def _integrity_error() -> sa_exc.IntegrityError:
    """A real SQLAlchemy error from an engine that shows parameters (the library's default)."""
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT UNIQUE)"))
        conn.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": WORDS})
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": WORDS})
    except sa_exc.IntegrityError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError("the insert should have failed")


def test_database_errors_are_logged_by_kind_never_with_their_values() -> None:
    error = _integrity_error()
    assert WORDS in str(error)  # what SQLAlchemy would print
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    try:
        log = logging.getLogger("some.library")
        log.warning("as an argument: %s / %r", error, error)
        log.warning("as a string made before: " + str(error))
        try:
            try:
                raise error
            except sa_exc.IntegrityError as inner:
                raise RuntimeError(f"wrapped: {inner}") from inner
        except RuntimeError:
            log.exception("with its traceback")
    finally:
        configure_logging("WARNING", stream=io.StringIO())
    text_ = stream.getvalue()
    assert WORDS not in text_
    assert "[parameters" not in text_
    assert text_.count("(sqlite3.IntegrityError SQLITE_CONSTRAINT_UNIQUE)") >= 4
    assert "during INSERT INTO notes" in text_
    assert "Traceback (most recent call last)" in text_
    assert "The above exception was the direct cause" in text_
    assert 'raise RuntimeError(f"wrapped: {inner}") from inner' in text_  # source lines stay


def test_postgresql_details_that_quote_a_row_are_left_out() -> None:
    driver = asyncpg_exc.UniqueViolationError(
        'duplicate key value violates unique constraint "uq_ballots_vote_id"'
    )
    driver.detail = f"Key (vote_id, voter_key)=(7, {WORDS}) already exists."
    driver.constraint_name = "uq_ballots_vote_id"
    error = sa_exc.IntegrityError("INSERT INTO ballots (vote_id) VALUES ($1)", (7,), driver)
    assert WORDS in str(error)
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    try:
        logging.getLogger("bot").error("failed: %s", error)
        logging.getLogger("bot").error("failed, as text: %s", str(driver))
    finally:
        configure_logging("WARNING", stream=io.StringIO())
    text_ = stream.getvalue()
    assert WORDS not in text_
    assert "UniqueViolationError 23505 (constraint uq_ballots_vote_id)" in text_
    assert "during INSERT INTO ballots" in text_


def test_debug_keeps_statement_and_row_logging_of_the_database_stack_off() -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", stream=stream)
    try:
        for name in ("aiosqlite", "asyncpg", "alembic.runtime.migration"):
            logging.getLogger(name).debug("executing INSERT (%s)", WORDS)
        for name in ("sqlalchemy.engine.Engine", "sqlalchemy.pool"):
            logging.getLogger(name).info("INSERT INTO ballots … (%s)", WORDS)
        logging.getLogger("alembic").info("Running upgrade")
        logging.getLogger("aiosqlite").warning("a warning still shows")
    finally:
        configure_logging("WARNING", stream=io.StringIO())
    text_ = stream.getvalue()
    assert WORDS not in text_
    assert "Running upgrade" in text_
    assert "a warning still shows" in text_
