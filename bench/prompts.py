"""Discussion-prompt engine: time and memory for the seed reading and for a 1 MB text.

Run from the repository root:  .venv/bin/python -m bench.prompts
Prints figures only; nothing here fails. Goals: seed well under 1 s, 1 MB under 15 s.
CPU seconds are given beside wall-clock seconds: on a shared machine they vary less.
"""

from __future__ import annotations

import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "mass-organizations.txt"
TARGET_BYTES = 1_000_000


def _import_engine() -> float:
    started = time.perf_counter()
    import bot.reading.prompts  # noqa: F401

    return time.perf_counter() - started


def generated_text(source: str, size: int = TARGET_BYTES, seed: int = 4) -> str:
    """About `size` bytes of the source's paragraphs and list items reshuffled, under a
    chapter heading every dozen blocks or so: the shape of a long book."""
    from bot.reading.blocks import BlockKind, classify
    from bot.reading.text import blocks_of, normalise

    labelled = classify(blocks_of(normalise(source)), markdown=False)
    blocks = [b.text for b in labelled if b.kind is not BlockKind.HEADING]
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    chapter = 0
    while total < size:
        if not out or rng.random() < 0.08:
            chapter += 1
            out.append(f"Chapter {chapter}")
        block = rng.choice(blocks)
        out.append(block)
        total += len(block.encode("utf-8")) + 2
    return "\n\n".join(out)


def big_text() -> bytes:
    """The 1 MB text every parse benchmark reads: the seed's paragraphs reshuffled."""
    from bot.reading.text import normalise

    return generated_text(normalise(SEED.read_text(encoding="utf-8"))).encode("utf-8")


def _sections(text: str) -> list[str]:
    """The sections' texts as `parse_reading` splits a normalised plain text."""
    from bot.reading.blocks import classify
    from bot.reading.sections import sections_of
    from bot.reading.structure import outline
    from bot.reading.text import blocks_of

    body = outline(classify(blocks_of(text), markdown=False), markdown=False).body
    return [section.text for section in sections_of(body)]


def _timed(label: str, text: str) -> None:
    from bot.reading.prompts import generate_reading_prompts

    started = time.perf_counter()
    sections = _sections(text)
    split = time.perf_counter() - started
    started = time.perf_counter()
    cpu = time.process_time()
    sets = generate_reading_prompts(sections)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    prompts = [p for s in sets for p in s.prompts]
    per_section = elapsed / max(1, len(sections)) * 1000
    top_template, top_uses = Counter(p.template for p in prompts).most_common(1)[0]
    print(
        f"{label}: {len(text.encode('utf-8')) / 1e6:.2f} MB, {len(sections)} sections, "
        f"{len(prompts)} prompts | split {split:.3f} s | prompts {elapsed:.3f} s, CPU {cpu:.3f} s "
        f"({per_section:.1f} ms a section) | most used template {top_template} "
        f"{top_uses}/{len(prompts)}"
    )


def _peak_memory(text: str) -> float:
    from bot.reading.prompts import generate_reading_prompts

    sections = _sections(text)
    tracemalloc.start()
    generate_reading_prompts(sections)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    sys.path.insert(0, str(ROOT))
    print(f"import bot.reading.prompts: {_import_engine():.3f} s")
    from bot.reading.text import normalise

    seed = normalise(SEED.read_text(encoding="utf-8"))
    _timed("seed (first call, loads templates)", seed)
    _timed("seed (warm)", seed)
    big = generated_text(seed)
    _timed("generated text", big)
    print(f"tracemalloc peak, seed: {_peak_memory(seed):.1f} MB")
    print(f"tracemalloc peak, generated text: {_peak_memory(big):.1f} MB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"ru_maxrss of this process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
