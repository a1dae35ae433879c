"""Every parsed reading and prompt set as JSON, to prove a change leaves the output alone.

    .venv/bin/python -m bench.prompt_dump > /tmp/before.json
    … change the code …
    .venv/bin/python -m bench.prompt_dump > /tmp/after.json && cmp /tmp/before.json /tmp/after.json

It parses (with prompts) the seed, the generated 1 MB text of `bench.big_reading`, a
paragraph without breaks, and every text of a folder (default ../shared/corpus), each as
detected and, for the small texts, once for every kind of text and once in a language without
templates. Everything `parse_reading` returns goes into the dump, sections and prompts alike.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.prompts import big_text
from bot.parsing import parse_reading
from bot.reading.importer import ParseOptions
from bot.reading.prompts import TEXT_KINDS

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "mass-organizations.txt"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SKIP = {"EXPECTED.toml", "SOURCES.md"}
NO_TEMPLATES = "eo"  # a language the engine has no templates for: passages instead


def one_paragraph() -> bytes:
    """About 200 KB of prose without a paragraph break: sections cut at sentence ends."""
    sentence = "Self-management grows from practice and from consciousness together. "
    return (sentence * (200_000 // len(sentence))).encode("utf-8")


def inputs(corpus: Path) -> Iterator[tuple[str, bytes, str, ParseOptions]]:
    """(label, data, file name, keyword arguments) for every parse in the dump."""
    small = [("seed", SEED.read_bytes(), SEED.name)]
    small += [
        (p.name, p.read_bytes(), p.name) for p in sorted(corpus.iterdir()) if p.name not in SKIP
    ]
    yield "generated 1 MB", big_text(), "big.txt", {}
    yield "one paragraph", one_paragraph(), "paragraph.txt", {}
    for label, data, name in small:
        yield label, data, name, {}
        for kind in TEXT_KINDS:
            yield f"{label} as {kind}", data, name, {"kind": kind}
        yield f"{label} in {NO_TEMPLATES}", data, name, {"language": NO_TEMPLATES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    dump = {}
    for label, data, name, options in inputs(args.corpus):
        reading = parse_reading(data, name, **options)
        dump[label] = dataclasses.asdict(reading)
    json.dump(dump, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
