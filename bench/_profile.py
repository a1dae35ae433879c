"""Sampling a bot process with py-spy while a benchmark runs, and summarising where its CPU
went: by library (the frame that was running) and by our own functions (inclusive).

    sampler = await Sampler.start(pid, path)  …  await sampler.stop(); print(summarise([path]))
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import signal
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


class Sampler:
    """`py-spy record` on a running process, in collapsed-stack ("raw") format."""

    def __init__(self, process: asyncio.subprocess.Process, path: Path) -> None:
        self.process = process
        self.path = path

    @classmethod
    async def start(cls, pid: int, path: Path, rate: int = 250) -> Sampler:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        process = await asyncio.create_subprocess_exec(
            spy,
            *("record", "--pid", str(pid), "--format", "raw", "--rate", str(rate)),
            *("--threads", "--nonblocking", "--output", str(path)),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await asyncio.sleep(0.5)  # py-spy attaches
        return cls(process, path)

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.process.wait(), 30)


def _library(file: str) -> str:
    """The package a frame's file belongs to (py-spy shows paths from the import root)."""
    parts = Path(file).parts
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    if not parts:
        return "?"
    if parts[0] == "bot":
        return "bot (ours)"
    return parts[0].split(".")[0].removesuffix(".py") if len(parts) > 1 else Path(file).stem


@dataclass
class Samples:
    """What py-spy saw over one or more bursts: busy samples per thread, and for the event
    loop's thread, by the library of the running frame and by our functions (inclusive)."""

    bursts: int = 0
    threads: Counter[str] = field(default_factory=Counter)
    by_library: Counter[str] = field(default_factory=Counter)
    ours: Counter[str] = field(default_factory=Counter)

    @property
    def main(self) -> int:
        return self.threads["event loop"]

    @classmethod
    def read(cls, paths: Sequence[Path]) -> Samples:
        samples = cls(bursts=len(paths))
        for path in paths:
            for line in path.read_text().splitlines():
                samples._add(line)
        return samples

    def _add(self, line: str) -> None:
        stack, _, count_text = line.rpartition(" ")
        frames = [f for f in stack.split(";") if f]
        if not frames or not count_text.isdigit():
            return
        count = int(count_text)
        thread = frames[0].split(": ", 1)[-1] if frames[0].startswith("thread (") else "?"
        self.threads["event loop" if thread == "MainThread" else "other threads"] += count
        if thread != "MainThread":
            return
        last = _FRAME.match(frames[-1])
        self.by_library[_library(last["file"]) if last else "?"] += count
        seen = set()
        for frame in frames[1:]:
            match = _FRAME.match(frame)
            if match and match["file"].startswith("bot/") and "__main__" not in match["file"]:
                name = f"{match['function']} ({match['file']})"
                if name not in seen and match["function"] not in _ENTRY:
                    seen.add(name)
                    self.ours[name] += count


def summarise(paths: Sequence[Path], top: int = 25) -> str:
    """Shares of the samples: per thread; for the event loop's thread, by the library of the
    running frame and by our functions (inclusive)."""
    samples = Samples.read(paths)
    if not samples.main:
        return "no samples"
    main, bursts = samples.main, samples.bursts
    lines = [
        f"samples a burst, busy only ({bursts} bursts): "
        + ", ".join(f"{name} {n / bursts:.0f}" for name, n in samples.threads.most_common()),
        "event loop thread, by the library of the running frame:",
    ]
    lines += [f"  {n / main:6.1%}  {name}" for name, n in samples.by_library.most_common(12)]
    lines.append("event loop thread, our functions (inclusive):")
    lines += [f"  {n / main:6.1%}  {name}" for name, n in samples.ours.most_common(top)]
    return "\n".join(lines)


def compare(ours: Sequence[Path], theirs: Sequence[Path], top: int = 14) -> str:
    """Event-loop samples a burst by library, ours against the null bot's, the largest
    differences first: where the extra CPU of a burst goes."""
    mine, null = Samples.read(ours), Samples.read(theirs)
    if not mine.bursts or not null.bursts:
        return "no samples"

    def per_burst(samples: Samples, library: str) -> float:
        return samples.by_library[library] / samples.bursts

    libraries = set(mine.by_library) | set(null.by_library)
    ranked = sorted(libraries, key=lambda lib: per_burst(null, lib) - per_burst(mine, lib))
    lines = [
        "event loop samples a burst: Study Circle "
        f"{mine.main / mine.bursts:.0f}, null bot {null.main / null.bursts:.0f}; "
        f"other threads {mine.threads['other threads'] / mine.bursts:.0f} and "
        f"{null.threads['other threads'] / null.bursts:.0f}",
        f"  {'ours':>7} {'null':>7} {'more':>7}  library of the running frame",
    ]
    for library in ranked[:top]:
        a, b = per_burst(mine, library), per_burst(null, library)
        lines.append(f"  {a:7.1f} {b:7.1f} {a - b:+7.1f}  {library}")
    return "\n".join(lines)


_ENTRY = {"main", "cmd_run", "run", "run_main", "_serve", "_run_until"}
