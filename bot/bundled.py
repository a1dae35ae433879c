"""Where the files that ship with the bot are: in the repository, or in the installed package.

In a checkout, the Alembic migrations and the bundled readings sit beside `bot/`
(`migrations/`, `seeds/`); `pip install .` puts them inside it (`bot/_migrations`,
`bot/_seeds`, see setup.py).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _first_existing(installed: Path, checkout: Path) -> Path:
    return installed if installed.is_dir() else checkout


def migrations_dir() -> Path:
    """The Alembic script directory (env.py and versions/)."""
    return _first_existing(PACKAGE / "_migrations", PACKAGE.parent / "migrations")


def seeds_dir() -> Path:
    """The folder of bundled readings."""
    return _first_existing(PACKAGE / "_seeds", PACKAGE.parent / "seeds")
