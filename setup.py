"""Packaging: `pip install .` installs the `bot` package with its migrations and seed texts.

The migrations and the bundled readings live beside `bot/` in the repository (Alembic and
people look for them there); installed, they become `bot/_migrations` and `bot/_seeds`.
Everything else is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(include=["bot", "bot.*"], exclude=["*.__pycache__"]),
        "bot._migrations",
        "bot._migrations.versions",
        "bot._seeds",
    ],
    package_dir={"bot._migrations": "migrations", "bot._seeds": "seeds"},
    package_data={
        # Data beside the code (prompt lexicons and templates), in whatever package it is.
        "": ["*.toml", "*.json", "*.txt"],
        "bot._migrations": ["script.py.mako"],
        "bot._seeds": ["*.txt", "*.md", "*.toml"],
    },
)
