"""The command line: preview in three formats, clear failures, no traceback."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.reading.prompts import TextKind

ROOT = Path(__file__).resolve().parents[1]


# Settings read the environment and ./.env: keep both out of these tests.
pytestmark = pytest.mark.usefixtures("clean_environment")


def test_preview_shows_every_section_of_the_bundled_reading(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["preview"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Mass Organizations\n10 sections")
    assert " 1. Introduction" in out
    assert "10. The Development of Revolutionary Libertarian Consciousness" in out
    assert "also: Defence and Sustenance Within Class Society" in out
    assert "“Mass organizations differ from anarchist communist" in out
    intro = out.split(" 1. Introduction", 1)[1].split(" 2. No To Economicism", 1)[0]
    assert "[factual]" in intro
    assert "[interpretive]" in intro
    assert "[evaluative]" in intro
    assert "¶" in intro


def test_preview_json_is_the_same_reading_for_tools(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["title"] == "Mass Organizations"
    assert data["language"] == "en"
    assert len(data["sections"]) == 10
    seventh = data["sections"][6]
    assert seventh["headings"] == [
        "The Functions of Mass Organizations",
        "Defence and Sustenance Within Class Society",
    ]
    assert seventh["words"] > 500
    assert seventh["minutes"] >= 1
    assert seventh["first_line"].startswith("We anarchist communists")
    for section in data["sections"]:
        assert 3 <= len(section["prompts"]) <= 5
        for prompt in section["prompts"]:
            assert set(prompt) >= {"kind", "text", "quote", "paragraph"}
            if prompt["quote"]:
                block = section["text"].split("\n\n")[prompt["paragraph"] - 1]
                assert prompt["quote"] in block


def test_preview_markdown_is_a_printable_guide(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Mass Organizations: discussion guide")
    assert "| 1 | Introduction | 242 | 1 |" in out
    assert "## 10. The Development of Revolutionary Libertarian Consciousness" in out
    intro = out.split("## 1. Introduction", 1)[1].split("## 2.", 1)[0]
    assert "1. **Opening** (factual):" in intro
    assert "**Core** (interpretive):" in intro
    assert "**Closing** (evaluative):" in intro
    assert "   > “" in intro


def test_preview_of_a_users_markdown_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "zine.md"
    path.write_text("# Why We Read\n\n" + "We read to think together. " * 30, "utf-8")
    assert main(["preview", str(path)]) == 0
    assert "  1. Why We Read" in capsys.readouterr().out


def test_preview_shows_the_opening_of_a_text_written_without_spaces(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "neko.txt"
    opening = "吾輩は猫である。名前はまだ無い。"
    path.write_text(opening * 20, "utf-8")
    assert main(["preview", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"“{opening}" in out  # not "“…”": the line is cut, not dropped


def test_preview_of_a_missing_or_wrongly_encoded_file_fails_clearly(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["preview", str(tmp_path / "nope.txt")]) == 1
    assert "there is no file at" in capsys.readouterr().err
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert main(["preview", str(binary)]) == 1
    err = capsys.readouterr().err
    assert "binary" in err
    assert "Traceback" not in err


def test_preview_reads_a_latin1_file_as_latin1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Ça va très bien.".encode("latin-1"))
    assert main(["preview", str(latin)]) == 0
    assert "Ça va très bien." in capsys.readouterr().out


def test_run_without_a_token_explains_how_to_get_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN" in err
    assert "discord.com/developers/applications" in err
    assert "python -m bot preview" in err


def test_a_wrong_setting_is_named_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://somewhere/db")
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "DATABASE_URL" in err


def test_migrate_creates_the_default_sqlite_file_on_first_use(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["migrate"]) == 0
    assert (tmp_path / "data" / "study-circle.db").exists()
    assert "Database is at revision" in capsys.readouterr().out


def test_python_dash_m_bot_preview_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "preview", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["sections"]) == 10


def test_a_database_with_broken_links_is_not_migrated_and_says_so_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import asyncio
    import sqlite3

    from bot.db.migrate import current_revision

    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", url)
        assert main(["migrate", "--to", "0011", "--yes"]) == 0
        # A row left pointing at a server that is gone, as a database written with foreign
        # keys off could hold: rebuilding a table for the next migration would break it.
        with sqlite3.connect(tmp_path / "old.db") as db:
            db.execute("INSERT INTO vote_settings VALUES (999, 'consensus')")
        capsys.readouterr()

        assert main(["migrate"]) == 1

    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "Traceback" not in err
    assert "broken links in vote_settings" in err
    assert "nothing was changed" in err
    assert asyncio.run(current_revision(url)) == "0011"


def test_migrate_to_steps_the_schema_down_for_an_older_release_and_back_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.db.revisions import revision_order

    newest, older = revision_order()[-1], revision_order()[-2]
    assert main(["migrate"]) == 0
    capsys.readouterr()

    assert main(["migrate", "--to", older]) == 2  # a step down drops data: asked for by name
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert f"would undo {newest} (" in err
    assert "back the database up, then run this again with --yes" in err

    assert main(["migrate", "--to", older, "--yes"]) == 0
    assert main(["migrate", "--to", newest]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"Undid {newest} (")
    assert out[1:] == [f"Database is at revision {older}.", f"Database is at revision {newest}."]


@pytest.mark.parametrize(
    ("revision", "said"),
    [
        ("9999", "there is no migration 9999 (this version knows 0001 to "),
        ("base", "`--to base` would delete every table of the bot"),
    ],
)
def test_migrate_to_a_revision_it_cannot_reach_says_why_in_one_line(
    revision: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    capsys.readouterr()

    assert main(["migrate", "--to", revision]) == 2

    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert said in err
    assert "Traceback" not in err


def test_an_older_release_meeting_a_newer_schema_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from tests.db.revisions import revision_order

    assert main(["migrate"]) == 0
    with sqlite3.connect(tmp_path / "data" / "study-circle.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    capsys.readouterr()

    assert main(["migrate"]) == 2

    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "at revision 9999, newer than this version of Study Circle knows" in err
    assert f"`migrate --to {revision_order()[-1]} --yes`" in err


def test_the_preview_offers_every_kind_of_text_and_no_other() -> None:
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    preview = commands.choices["preview"]
    [kind] = [action for action in preview._actions if "--kind" in action.option_strings]
    assert kind.choices == tuple(TextKind)
