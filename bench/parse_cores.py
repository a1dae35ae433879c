"""A 1 MB text imported as `/reading add` imports it: in one thread, then on every core.

    .venv/bin/python -m bench.parse_cores [--rounds 5]

Each round parses the generated 1 MB text (`bench.prompts.generated_text` over the seed)
once each way, in turns, and prints wall and CPU seconds: `parse_reading` in this thread,
and `bot.drafting.parse_on_every_core` (a process pool for the parse, as the bot does it; its
workers' CPU is not this process's). The first parse on every core starts the fork server
and is reported apart.

This module imports little on purpose: a worker of the pool imports the main module of the
process that started it, as `python -m bot` does not (multiprocessing skips a package's
`__main__`), so a heavy benchmark module would add its own imports to every worker's start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from unittest.mock import patch

from bench.prompts import big_text
from bot.drafting import drafting_pool, parse_on_every_core, workers
from bot.parsing import parse_reading
from bot.reading.prompts import TextKind, generate_reading_prompts


def _timed(parse: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    parse()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--sections",
        type=int,
        nargs="*",
        default=[4, 8, 16, 32],
        help="also draft readings of this many sections each way",
    )
    options = parser.parse_args()
    data = big_text()
    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · nproc {os.cpu_count()} · "
        f"pool of {workers()} · load average {os.getloadavg()[0]:.2f} · "
        f"text {len(data) / 1e6:.2f} MB"
    )
    first, first_cpu = _timed(lambda: parse_on_every_core(data, "big.txt"))
    print(
        f"  first on every core (fork server started): {first:.2f} s (CPU here {first_cpu:.2f} s)"
    )
    threads: list[float] = []
    cores: list[float] = []
    for round_ in range(1, options.rounds + 1):
        wall, cpu = _timed(lambda: parse_reading(data, "big.txt"))
        threads.append(wall)
        pooled, pooled_cpu = _timed(lambda: parse_on_every_core(data, "big.txt"))
        cores.append(pooled)
        print(
            f"  round {round_}: one thread {wall:.2f} s (CPU {cpu:.2f} s) · every core "
            f"{pooled:.2f} s (CPU here {pooled_cpu:.2f} s)"
        )
    print(
        f"  median: one thread {statistics.median(threads):.2f} s, every core "
        f"{statistics.median(cores):.2f} s · load average {os.getloadavg()[0]:.2f}"
    )
    # Where a pool starts to pay: a reading's first sections alone, drafted each way (a new
    # pool each time, as for an upload), best of three.
    parsed = parse_reading(data, "big.txt", with_prompts=False)
    texts = [section.text for section in parsed.sections]
    for count in options.sections:
        here = min(_timed(partial(_in_this_thread, texts[:count], parsed.kind))[0] for _ in "abc")
        pooled = min(_timed(partial(_on_a_pool, texts[:count], parsed.kind))[0] for _ in "abc")
        print(f"  drafting {count} sections: one thread {here:.2f} s, a new pool {pooled:.2f} s")


def _in_this_thread(texts: list[str], kind: TextKind) -> None:
    generate_reading_prompts(texts, kind=kind)


def _on_a_pool(texts: list[str], kind: TextKind) -> None:
    # The engine's own threshold set aside, to see where it should lie.
    with drafting_pool() as pool, patch("bot.reading.prompts.engine.PARALLEL_FROM_SECTIONS", 1):
        generate_reading_prompts(texts, kind=kind, executor=pool)


if __name__ == "__main__":
    main()
