"""py3langid's model, unpacked once into the user's cache folder: the same scores as the
wheel's, remade when cut short, and unpacked in memory where nothing can be written."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import py3langid
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE

from bot import language_cache
from bot.language_cache import (
    TABLES,
    cache_folder,
    cached_identifier,
    load_identifier,
    model_cache,
    store_tables,
)

TEXTS = [
    "Nous lisons ensemble et nous parlons du livre chaque semaine, sans maître ni élève.",
    "The assembly decides what the committee does, and the members decide for the assembly.",
    "Die Versammlung entscheidet, was der Ausschuss tut, und die Mitglieder entscheiden mit.",
    "La asamblea decide lo que hace el comité, y los miembros deciden por la asamblea.",
    "L'assemblea decide che cosa fa il comitato, e i soci decidono per l'assemblea.",
    "A assembleia decide o que faz a comissão, e os sócios decidem pela assembleia.",
    "12 345 … ¿?",
    "",
]


def test_the_unpacked_model_scores_every_language_as_the_wheels_model(tmp_path: Path) -> None:
    cached = model_cache(tmp_path)
    unpacked = load_identifier(cached)  # from the wheel, unpacked into the cache
    assert sorted(p.name for p in cached.iterdir()) == sorted(f"{t}.npy" for t in TABLES)
    from_cache = load_identifier(cached)
    wheel = py3langid.langid.LanguageIdentifier.from_model_file(MODEL_FILE)
    for text in TEXTS:
        assert unpacked.rank(text) == from_cache.rank(text) == wheel.rank(text), text


def test_a_cache_cut_short_is_unpacked_again(tmp_path: Path) -> None:
    cached = model_cache(tmp_path)
    cached.mkdir()
    (cached / "ptc.npy").write_bytes(b"\x93NUMPY")  # a write cut short
    identifier = load_identifier(cached)
    assert identifier.classify(TEXTS[0])[0] == "fr"
    assert np.load(cached / "ptc.npy", mmap_mode="r").shape[1] == len(identifier.nb_classes)


def test_older_models_are_removed_and_a_cache_that_cannot_be_written_is_left(
    tmp_path: Path,
) -> None:
    older = tmp_path / "langid-0.3.0-123-456"
    older.mkdir()
    (older / "ptc.npy").write_bytes(b"old")
    tables = {"pc": np.zeros(3, dtype=np.float32)}
    store_tables(tmp_path / "langid-0.4.0-789-012", tables)
    assert [p.name for p in tmp_path.iterdir()] == ["langid-0.4.0-789-012"]
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    store_tables(blocked / "langid-0.4.0-789-012", tables)  # no error: the model is unpacked anyway
    assert blocked.read_text() == "not a folder"


def test_the_cache_lives_in_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "/srv/cache")
    assert cache_folder() == Path("/srv/cache/study-circle")
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_folder() == Path.home() / ".cache" / "study-circle"


def test_without_a_home_folder_the_model_is_unpacked_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_home(folder: Path | None = None) -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(language_cache, "model_cache", no_home)
    assert cached_identifier().classify(TEXTS[0] * 4)[0] == "fr"


def test_two_installations_of_one_model_share_its_unpacked_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = model_cache(tmp_path)
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    (copy / MODEL_FILE).parent.mkdir(parents=True, exist_ok=True)
    (copy / MODEL_FILE).write_bytes((MODEL_DIR / MODEL_FILE).read_bytes())
    os.utime(copy / MODEL_FILE, ns=(0, 0))  # installed at another time
    monkeypatch.setattr(language_cache, "MODEL_DIR", copy)
    assert model_cache(tmp_path) == first
    (copy / MODEL_FILE).write_bytes(b"another model")
    assert model_cache(tmp_path) != first
