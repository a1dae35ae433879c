"""`pip install .` gives a working `study-circle` command, with its migrations and readings.

The wheel is built offline with the pinned build backend (requirements-dev.txt), from a copy
of the sources, and installed into a folder of its own: the command then runs from there,
not from this checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = (
    "bot",
    "migrations",
    "seeds",
    "setup.py",
    "pyproject.toml",
    "requirements.in",
    "README.md",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the project installed in it (no dependencies: those are this venv's)."""
    work = tmp_path_factory.mktemp("package")
    source = work / "source"
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(path, source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    offline = ["--no-deps", "--no-index", "--no-build-isolation"]
    subprocess.run([*pip, "wheel", *offline, "-w", str(work / "dist"), str(source)], check=True)
    [wheel] = (work / "dist").glob("study_circle-*.whl")
    target = work / "site"
    subprocess.run([*pip, "install", *offline, "--target", str(target), str(wheel)], check=True)
    return target


def _run(installed: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISCORD_TOKEN", "DATABASE_URL", "PYTHONPATH", "LOG_FORMAT"}
    }
    env["PYTHONPATH"] = str(installed)
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'study-circle.db'}"
    return subprocess.run(
        [str(installed / "bin" / "study-circle"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wheel_holds_the_migrations_the_readings_and_the_console_script(
    installed: Path,
) -> None:
    assert (installed / "bot" / "_migrations" / "env.py").is_file()
    assert sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py")) == sorted(
        p.name for p in (installed / "bot" / "_migrations" / "versions").glob("*.py")
    )
    assert (installed / "bot" / "_seeds" / "mass-organizations.toml").is_file()
    data = [
        path.relative_to(ROOT)
        for path in (ROOT / "bot").rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"}
    ]
    assert data
    assert [path for path in data if not (installed / path).is_file()] == []
    [dist_info] = installed.glob("study_circle-*.dist-info")
    assert "study-circle = bot.cli:main" in (dist_info / "entry_points.txt").read_text()
    with zipfile.ZipFile(next((installed.parent / "dist").glob("*.whl"))) as wheel:
        assert not [name for name in wheel.namelist() if name.startswith("tests/")]


def test_the_installed_command_migrates_a_database(installed: Path, tmp_path: Path) -> None:
    result = _run(installed, tmp_path, "migrate")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Database is at revision ")
    assert (tmp_path / "study-circle.db").is_file()


def test_the_installed_command_previews_the_bundled_reading(
    installed: Path, tmp_path: Path
) -> None:
    result = _run(installed, tmp_path, "preview")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Mass Organizations\n")


def test_the_installed_command_runs_from_the_installed_package(
    installed: Path, tmp_path: Path
) -> None:
    result = _run(installed, tmp_path, "--version")

    assert result.returncode == 0, result.stderr
    assert "Study Circle" in result.stdout
    where = subprocess.run(
        [sys.executable, "-c", "import bot; print(bot.__file__)"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(installed), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed)
