"""The paired shares of many `bench.burst` runs, pooled: one run of three pairs moves by 10–20
points from the next on a shared machine, so a goal near the median needs many runs and an
interval around their median to be told apart from the noise.

    for i in $(seq 12); do .venv/bin/python -m bench.burst > runs/$i-sqlite.txt; done
    .venv/bin/python -m bench.burst_pool runs/*-sqlite.txt

Reads the table each run prints (our bursts and the null bot's, in the order they ran) and
pairs them as `bench.burst` does: each of ours with the null bot's next to it in time. Prints,
for each burst size, how many runs and pairs, the pairs' median with its 95% bootstrap
interval, the median of the runs' medians, and how many runs and pairs reach `--goal`.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
from collections import defaultdict
from pathlib import Path

from bench.burst import NULL_LABEL

_ROW = re.compile(r"^\| (?P<bot>[^|]+?) \| (?P<n>[\d,]+) \| (?P<rate>[\d,]+)/s \|")
RESAMPLES = 5000


def paired_shares(text: str) -> dict[int, list[float]]:
    """Each burst size's shares in one run's output: ours over the null bot's, pair by pair.
    Raises ValueError for a run cut short (bursts of one bot without the other's)."""
    ours: defaultdict[int, list[float]] = defaultdict(list)
    null: defaultdict[int, list[float]] = defaultdict(list)
    for line in text.splitlines():
        row = _ROW.match(line)
        if row is None:
            continue
        n, rate = int(row["n"].replace(",", "")), float(row["rate"].replace(",", ""))
        (null if row["bot"] == NULL_LABEL else ours)[n].append(rate)
    if any(len(ours[n]) != len(null[n]) for n in {*ours, *null}):
        raise ValueError("a run cut short: its bots ran different numbers of bursts")
    if any(rate <= 0 for rates in null.values() for rate in rates):
        raise ValueError("a burst of the null bot answered nothing")
    return {n: [o / t for o, t in zip(ours[n], null[n], strict=True)] for n in ours}


def interval(values: list[float], rng: random.Random) -> tuple[float, float]:
    """The 95% bootstrap interval of the median of `values`."""
    medians = sorted(
        statistics.median(rng.choices(values, k=len(values))) for _ in range(RESAMPLES)
    )
    return medians[int(RESAMPLES * 0.025)], medians[int(RESAMPLES * 0.975) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outputs", nargs="+", type=Path, help="saved outputs of bench.burst")
    parser.add_argument("--goal", type=float, default=0.75, help="share to count runs against")
    options = parser.parse_args()
    runs: defaultdict[int, list[list[float]]] = defaultdict(list)
    for path in options.outputs:
        try:
            shares_by_size = paired_shares(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SystemExit(f"cannot read {path}: {error.strerror}") from None
        except (UnicodeDecodeError, ValueError) as error:
            reason = "not text" if isinstance(error, UnicodeDecodeError) else str(error)
            raise SystemExit(f"{path}: {reason}") from None
        for n, shares in shares_by_size.items():
            runs[n].append(shares)
    if not runs:
        raise SystemExit("no bursts found in those files: are they outputs of bench.burst?")
    rng = random.Random(1)
    for n, shares_by_run in sorted(runs.items()):
        pairs = [share for shares in shares_by_run for share in shares]
        medians = [statistics.median(shares) for shares in shares_by_run]
        low, high = interval(pairs, rng)
        print(
            f"n={n:,}: {len(medians)} runs, {len(pairs)} pairs; paired share, median "
            f"{statistics.median(pairs):.1%} (95% interval {low:.1%}–{high:.1%}); median of the "
            f"runs' medians {statistics.median(medians):.1%}; at or above {options.goal:.0%}: "
            f"{sum(m >= options.goal for m in medians)} of {len(medians)} runs, "
            f"{sum(p >= options.goal for p in pairs)} of {len(pairs)} pairs"
        )


if __name__ == "__main__":
    main()
