"""py3langid's model, unpacked once into the user's cache folder and read from there.

The wheel keeps the model as 4.5 MB of LZMA for 68 MB of tables; unpacking them takes 0.6 s of
CPU. Here they are unpacked once (`model_cache`) and later processes read them; where no cache
can be written, the model is unpacked in memory as py3langid does. This module reads the
environment and writes files, so it sits outside the pure `bot.reading`, which is handed the
loaded identifier (`bot.parsing` loads it once a process). Imported only when a text's
language is detected: it brings numpy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from array import array
from importlib.metadata import version
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

_CACHE_PREFIX = "langid-"


def cache_folder() -> Path:
    """Where unpacked models are kept: $XDG_CACHE_HOME/study-circle, else
    ~/.cache/study-circle."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "study-circle"


def model_cache(folder: Path | None = None) -> Path:
    """The folder of the unpacked copy of the wheel's model, named for py3langid's version and
    a digest of the packed file: an upgrade never reads an older model's tables, and two
    installations of the same model (the bot's and the tests', say) share one copy rather
    than replacing each other's."""
    digest = hashlib.blake2b((MODEL_DIR / MODEL_FILE).read_bytes(), digest_size=8).hexdigest()
    name = f"{_CACHE_PREFIX}{version('py3langid')}-{digest}"
    return (folder or cache_folder()) / name


def cached_identifier() -> LanguageIdentifier:
    """py3langid's identifier with its own model, read from the user's cache folder when it
    is there, else unpacked (into that folder when it can be written)."""
    try:
        cached: Path | None = model_cache()
    except (OSError, RuntimeError, KeyError, ImportError):  # no home folder, say
        cached = None
    return load_identifier(cached)


# The model's tables, each unpacked into its own .npy file, in the order py3langid loads them.
TABLES = ("ptc", "pc", "classes", "nextmove", "row", "output")


def load_identifier(cached: Path | None) -> LanguageIdentifier:
    """The identifier from the unpacked tables in the folder `cached`; when they are missing
    or cannot be read (or there is no folder), from the wheel's packed model, unpacked into
    `cached` for next time."""
    try:
        if cached is None:
            raise FileNotFoundError("no cache folder")
        # The scores' table is mapped, not read: a text touches few of its rows.
        tables = {
            name: np.load(cached / f"{name}.npy", mmap_mode="r" if name == "ptc" else None)
            for name in TABLES
        }
    except Exception:  # none yet, or one cut short: a cache that cannot be read is remade
        ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
        tables = {
            "ptc": np.asarray(ptc),
            "pc": np.asarray(pc),
            "classes": np.asarray(classes),
            "nextmove": np.frombuffer(nextmove, dtype=_DTYPES[nextmove.typecode]),
            "row": np.frombuffer(row, dtype=_DTYPES[row.typecode]),
            "output": np.asarray(output, dtype=np.int32),
        }
        if cached is not None:
            shutil.rmtree(cached, ignore_errors=True)  # a folder cut short is made anew
            store_tables(cached, tables)
    # What py3langid builds from its own file: the walk over the text reads the standard
    # library's arrays and lists, the scoring numpy's tables.
    return LanguageIdentifier(
        tables["ptc"],
        tables["pc"],
        tables["classes"].tolist(),
        _as_array(tables["nextmove"]),
        tables["output"].tolist(),
        tk_row=_as_array(tables["row"]),
    )


_DTYPES = {"H": np.uint16, "I": np.uint32, "L": np.uint64}


def _as_array(table: np.ndarray) -> array[int]:
    """A numpy table of unsigned integers as the standard library's array."""
    typecode = {2: "H", 4: "I", 8: "L"}[table.dtype.itemsize]
    out = array(typecode)
    out.frombytes(np.ascontiguousarray(table).data.cast("B"))
    return out


def store_tables(cached: Path, tables: dict[str, np.ndarray]) -> None:
    """Write the tables into the folder `cached` whole or not at all (a folder made aside,
    then renamed), and remove older models' folders; a cache that cannot be written is left
    unwritten."""
    part: Path | None = None
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        part = Path(tempfile.mkdtemp(dir=cached.parent, prefix=".part-"))
        for name, table in tables.items():
            np.save(part / f"{name}.npy", table, allow_pickle=False)
        part.rename(cached)  # fails where another process was first: its tables are as good
        part = None
        for old in cached.parent.glob(f"{_CACHE_PREFIX}*"):
            if old != cached:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
    finally:
        if part is not None:
            shutil.rmtree(part, ignore_errors=True)
