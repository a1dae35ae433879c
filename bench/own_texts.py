"""Whether the repository's own texts are its own: runs of words shared with a corpus.

    .venv/bin/python -m bench.own_texts ../shared/corpus [--words 7]

The tests use small texts written for them, and the code's comments invent their examples;
books in the corpus are only measured (`bench/reading_quality.py`, `bench/prompt_quality.py`).
This prints every file under `bot/`, `tests/`, `seeds/` and the top-level documents that
shares a run of `--words` words or more with a corpus book (its text as the importer reads
it), with the runs. A few are everyday phrases or boilerplate a test of it needs (the Project
Gutenberg licence lines, XHTML namespaces); the rest should be rewritten. The reports about
the corpus (`bench/RESULTS.md`, `bench/prompt_ratings/`) quote it on purpose and are not read.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from pathlib import Path

from bot.reading.formats import extract

ROOT = Path(__file__).resolve().parent.parent
READ = ("bot", "tests", "seeds")
DOCUMENTS = ("README.md", "CONTRIBUTING.md")
SUFFIXES = {".py", ".toml", ".md", ".txt"}
BOOKS = {".txt", ".md", ".html", ".xhtml", ".epub", ".pdf"}
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def corpus_runs(folder: Path, size: int) -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for book in sorted(folder.iterdir()):
        if book.suffix.lower() not in BOOKS:
            continue
        found = words(extract(book.read_bytes(), book.name).text)
        runs.update(tuple(found[i : i + size]) for i in range(len(found) - size + 1))
    return runs


def shared(path: Path, runs: set[tuple[str, ...]], size: int) -> list[str]:
    """The longest runs of `path`'s words that are in the corpus, each once."""
    found = words(path.read_text(encoding="utf-8", errors="replace"))
    out: list[str] = []
    i = 0
    while i + size <= len(found):
        if tuple(found[i : i + size]) not in runs:
            i += 1
            continue
        end = i + size
        while end < len(found) and tuple(found[end - size + 1 : end + 1]) in runs:
            end += 1
        out.append(" ".join(found[i:end]))
        i = end
    return out


def files() -> list[Path]:
    listed = [ROOT / name for name in DOCUMENTS]
    for top in READ:
        listed += [
            p
            for p in sorted((ROOT / top).rglob("*"))
            if p.suffix in SUFFIXES and "__pycache__" not in p.parts
        ]
    return [p for p in listed if p.is_file()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--words", type=int, default=7, help="shortest run reported")
    options = parser.parse_args()
    runs = corpus_runs(options.corpus, options.words)
    total = 0
    for path in files():
        found = shared(path, runs, options.words)
        if found:
            total += len(found)
            print(f"{path.relative_to(ROOT)}: {len(found)}")
            for run in found:
                print(f"    {run[:150]}")
    print(f"runs of {options.words}+ words shared with {options.corpus}: {total}")


if __name__ == "__main__":
    main()
