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

from bench.prompts import big_text
from bot.drafting import parse_on_every_core, workers
from bot.reading.importer import parse_reading


def _timed(parse: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    parse()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
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


if __name__ == "__main__":
    main()
