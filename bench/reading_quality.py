"""How well the importer reads real books: language, chapters, section starts, words kept.

    .venv/bin/python -m bench.reading_quality ../shared/corpus

The folder holds texts and an EXPECTED.toml (one [[text]] per file: language, sections with
their headings and first words, front matter). For each text it prints the reading's title, the
language detected against the expected one, the chapters found and titled (in a section's title
or among the headings it carries) against those expected, how many sections carry several
headings (chapters read together, or a chapter with its scenes), the sections that start in the
middle of a chapter, the expected front matter left out, and the words lost (words of the
extracted text not in any section or left-out matter).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tomllib
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypedDict

from bot.parsing import parse_reading
from bot.reading.formats import extract
from bot.reading.sections import Section
from bot.reading.text import count_words, normalise

_WORDS = re.compile(r"\w+")

# An entry of EXPECTED.toml, or a table in it, as tomllib reads it.
Entry = dict[str, Any]


class Row(TypedDict):
    """What `measure` found in one text: a row of the table."""

    file: str
    language: str
    language_ok: bool
    chapters: str
    titled: str
    sections: int
    grouped: int
    title: str
    mid: int
    matter: str
    lost: int
    seconds: float


def _words(text: str) -> list[str]:
    """Lower-cased words without accents: capitals printed without their accents
    ("CAPITULO") match the heading shown with them ("Capítulo")."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return _WORDS.findall("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _expected_units(entry: Entry) -> list[Entry]:
    units: list[Entry] = []
    for section in entry.get("sections", []):
        units.extend(section.get("parts") or [section])
    return units


def _found(heading: str, found: list[str]) -> bool:
    """An expected heading (its lines) matches a heading the importer found."""
    want = _words(heading.replace("\n", " "))
    return any(
        _words(h)[: len(want)] == want or (want[: len(_words(h))] == _words(h) and _words(h))
        for h in found
    )


def _titled(unit: Entry, sections: Sequence[Section]) -> bool:
    """The chapter's title is in a section's title, or among the headings a section carries
    (short chapters read together are titled by their range)."""
    want = " ".join(_words(unit["heading"].split("\n")[-1]) or _words(unit["title"]))
    return any(want in " ".join(_words(name)) for s in sections for name in (s.title, *s.headings))


def _starts_mid_chapter(section_text: str, starts: list[list[str]], title: str) -> bool:
    if re.search(r"\((?:[2-9]|\d\d+)/\d+\)$", title):
        return False  # the second part of a chapter cut for length: a part, not a start
    opening = _words(section_text)[:60]
    return not any(
        any(opening[i : i + len(s)] == s for i in range(0, 60 - len(s) + 1)) for s in starts if s
    )


def measure(folder: Path, entry: Entry) -> Row:
    path = folder / entry["file"]
    data = path.read_bytes()
    started = time.perf_counter()
    reading = parse_reading(data, path.name, with_prompts=False)
    seconds = time.perf_counter() - started
    units = [u for u in _expected_units(entry) if u.get("heading")]
    headings = [h for s in reading.sections for h in s.headings]
    found = sum(_found(u["heading"], headings) for u in units)
    titled = sum(_titled(u, reading.sections) for u in units)
    grouped = sum(len(s.headings) > 1 for s in reading.sections)
    starts = [_words(u["starts"])[:6] for u in _expected_units(entry) if u.get("starts")]
    mid = sum(_starts_mid_chapter(s.text, starts, s.title) for s in reading.sections if starts)
    text = normalise(extract(data, path.name).text)
    kept = sum(count_words(piece) for piece in reading.pieces())
    left_out = " ".join(m.text for m in reading.left_out)
    matter = entry.get("front_matter", []) + entry.get("boilerplate", [])
    matter_out = sum(" ".join(_words(m["first"])[:6]) in " ".join(_words(left_out)) for m in matter)
    return {
        "file": entry["file"],
        "language": f"{reading.detected_language} / {entry['language']}",
        "language_ok": reading.language == entry["language"],
        "chapters": f"{found}/{len(units)}",
        "titled": f"{titled}/{len(units)}",
        "sections": len(reading.sections),
        "grouped": grouped,
        "title": reading.title,
        "mid": mid,
        "matter": f"{matter_out}/{len(matter)}",
        "lost": count_words(text) - kept,
        "seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    folder = parser.parse_args().folder
    expected = tomllib.loads((folder / "EXPECTED.toml").read_text(encoding="utf-8"))
    rows = [measure(folder, entry) for entry in expected["text"]]
    print(f"command: python -m bench.reading_quality {' '.join(sys.argv[1:])}")
    print()
    print(
        "| text | reading title | language (detected / expected) | chapters found | titled "
        "| sections | with several headings | starting mid-chapter | front matter left out "
        "| words lost | seconds |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        mark = "" if r["language_ok"] else " ✗"
        print(
            f"| {r['file']} | {r['title']} | {r['language']}{mark} | {r['chapters']} | "
            f"{r['titled']} | {r['sections']} | {r['grouped']} | {r['mid']} | {r['matter']} | "
            f"{r['lost']} | {r['seconds']:.2f} |"
        )
    languages = sum(r["language_ok"] for r in rows)
    print()
    print(
        f"languages right: {languages}/{len(rows)}; sections starting mid-chapter: "
        f"{sum(r['mid'] for r in rows)}; words lost: {sum(r['lost'] for r in rows)}; "
        f"sections with several headings: {sum(r['grouped'] for r in rows)}"
    )


if __name__ == "__main__":
    main()
