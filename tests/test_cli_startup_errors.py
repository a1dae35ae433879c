"""What `migrate`, `run`, `sync` and `invite` say when they cannot start: one line that names
the setting and the thing out of reach (the database or Discord), never a traceback, and an
exit code that tells "try again later" (1) from "change a setting" (2)."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.cli import main

# aiosqlite printing a thread traceback after a failed open counts as a failure here.
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")

UNREACHABLE_POSTGRES = "postgresql+asyncpg://study:s3cret@127.0.0.1:{port}/study"
# A token whose first part is no application id.
MALFORMED_TOKEN = "not-a-token.x.y"
# A well-formed bot token (for user id 1234) that no Discord will ever accept.
PLAUSIBLE_TOKEN = "MTIzNA.GxxxxX.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    # `run` and `sync` configure logging for the process: put it back for the next tests.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _quiet_logs(clean_environment: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # None of the bot's variables from outside, and only critical log lines, so that stderr
    # holds the one line a failure prints.
    monkeypatch.setenv("LOG_LEVEL", "CRITICAL")


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_migrate_names_an_unreachable_postgres_in_one_line(
    monkeypatch: pytest.MonkeyPatch, closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_POSTGRES.format(port=closed_port))

    assert main(["migrate"]) == 1

    line = _one_line(capsys.readouterr().err)
    assert line.startswith("study-circle: Cannot reach the database in DATABASE_URL")
    assert f"127.0.0.1:{closed_port}" in line
    assert "s3cret" not in line


def test_migrate_names_an_unknown_database_host(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://study:study@no-such-host.invalid/db")

    assert main(["migrate"]) == 1

    line = _one_line(capsys.readouterr().err)
    assert "the host in DATABASE_URL" in line
    assert "no-such-host.invalid" in line


def test_migrate_names_a_sqlite_path_that_cannot_be_made(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{blocker / 'data' / 'bot.db'}")

    assert main(["migrate"]) == 2

    line = _one_line(capsys.readouterr().err)
    assert line.startswith("study-circle: Cannot open the database in DATABASE_URL")
    assert "folder" in line


def test_migrate_names_a_sqlite_file_that_cannot_be_opened(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-folder.db").mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'a-folder.db'}")

    assert main(["migrate"]) == 2

    assert "unable to open database file" in _one_line(capsys.readouterr().err)


def _test_server(**changes: str) -> str:
    """The tests' PostgreSQL server's URL, with another database name or user."""
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(**changes)  # type: ignore[arg-type]
    return url.render_as_string(hide_password=False)


@pytest.mark.postgres
def test_migrate_names_a_database_the_server_does_not_have(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", _test_server(database="no_such_circle"))

    assert main(["migrate"]) == 2

    line = _one_line(capsys.readouterr().err)
    assert line.startswith("study-circle: PostgreSQL has no database of that name in DATABASE_URL")
    assert "Check DATABASE_URL." in line


@pytest.mark.postgres
def test_migrate_names_a_user_the_server_refuses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", _test_server(username="no_such_reader"))

    assert main(["migrate"]) == 2

    assert _one_line(capsys.readouterr().err).startswith(
        "study-circle: PostgreSQL refused the user"
    )


def test_run_blames_the_database_not_discord_when_the_database_is_out_of_reach(
    monkeypatch: pytest.MonkeyPatch, closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", PLAUSIBLE_TOKEN)
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_POSTGRES.format(port=closed_port))

    assert main(["run"]) == 1

    line = _one_line(capsys.readouterr().err)
    assert "Cannot reach the database in DATABASE_URL" in line
    assert "Discord" not in line


def test_sync_blames_the_database_when_the_database_is_out_of_reach(
    monkeypatch: pytest.MonkeyPatch, closed_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", PLAUSIBLE_TOKEN)
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE_POSTGRES.format(port=closed_port))

    assert main(["sync"]) == 1

    assert "Cannot reach the database" in _one_line(capsys.readouterr().err)


def test_run_blames_discord_when_discord_is_out_of_reach(
    monkeypatch: pytest.MonkeyPatch,
    closed_port: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", PLAUSIBLE_TOKEN)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("DISCORD_API_BASE", f"http://127.0.0.1:{closed_port}/api/v10")

    assert main(["run"]) == 1

    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"study-circle: Cannot reach Discord at http://127.0.0.1:{closed_port}")
    assert "database" not in line


def test_invite_with_a_malformed_token_says_what_is_wrong_with_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", MALFORMED_TOKEN)

    assert main(["invite"]) == 2

    line = _one_line(capsys.readouterr().err)
    assert "DISCORD_TOKEN does not look like a bot token" in line
    assert "set DISCORD_TOKEN" not in line
    assert MALFORMED_TOKEN not in line


def test_invite_without_a_token_asks_for_one_or_a_client_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["invite"]) == 2

    assert "set DISCORD_TOKEN or pass --client-id" in _one_line(capsys.readouterr().err)


def test_preview_failures_share_one_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    codes = {
        main(["preview", str(tmp_path / "missing.txt")]),
        main(["preview", str(tmp_path)]),
        main(["preview", str(binary)]),
    }

    assert codes == {1}
    assert "Traceback" not in capsys.readouterr().err


def test_the_no_token_help_inside_the_image_speaks_of_the_container(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STUDY_CIRCLE_IMAGE", "1")

    assert main(["run"]) == 2

    err = capsys.readouterr().err
    assert "docker run --env DISCORD_TOKEN=" in err
    assert "in this folder" not in err
