"""The readings bundled in `seeds/`: each text file with a `.toml` of metadata beside it."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bot.bundled import seeds_dir

SEEDS_DIR = seeds_dir()
DEFAULT_SEED = "mass-organizations.txt"


@dataclass(frozen=True)
class Seed:
    path: Path
    title: str
    language: str

    def read_bytes(self) -> bytes:
        return self.path.read_bytes()


def load_seed(path: Path) -> Seed:
    """A seed text with the title and language from its metadata file."""
    meta_path = path.with_suffix(".toml")
    meta = tomllib.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
    return Seed(path, str(meta.get("title", path.stem)), str(meta.get("language", "en")))


def bundled_seeds() -> list[Seed]:
    """Every bundled reading, the default first."""
    paths = sorted(p for p in SEEDS_DIR.iterdir() if p.suffix in {".txt", ".md"})
    paths.sort(key=lambda p: p.name != DEFAULT_SEED)
    return [load_seed(p) for p in paths]


def default_seed() -> Seed:
    return load_seed(SEEDS_DIR / DEFAULT_SEED)
