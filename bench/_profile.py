"""Sampling a bot process with py-spy while a benchmark runs, and summarising where its CPU
went: by library (the frame that was running) and by our own functions (inclusive).

    summary = await Sampler.start(pid, path)  …  await sampler.stop(); print(summarise(path))
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
import signal
import sys
from collections import Counter
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


def summarise(path: Path, top: int = 25) -> str:
    """Shares of the samples: per thread; for the event loop's thread, by the library of the
    running frame and by our functions (inclusive)."""
    threads: Counter[str] = Counter()
    by_library: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    main = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if f]
        if not frames:
            continue
        thread = frames[0].split(": ", 1)[-1] if frames[0].startswith("thread (") else "?"
        threads["event loop" if thread == "MainThread" else "other threads"] += count
        if thread != "MainThread":
            continue
        main += count
        last = _FRAME.match(frames[-1])
        by_library[_library(last["file"]) if last else "?"] += count
        seen = set()
        for frame in frames[1:]:
            match = _FRAME.match(frame)
            if match and match["file"].startswith("bot/") and "__main__" not in match["file"]:
                name = f"{match['function']} ({match['file']})"
                if name not in seen and match["function"] not in _ENTRY:
                    seen.add(name)
                    ours[name] += count
    if not main:
        return "no samples"
    lines = [
        "samples by thread (busy only): "
        + ", ".join(f"{name} {n}" for name, n in threads.most_common()),
        "event loop thread, by the library of the running frame:",
    ]
    lines += [f"  {n / main:6.1%}  {name}" for name, n in by_library.most_common(12)]
    lines.append("event loop thread, our functions (inclusive):")
    lines += [f"  {n / main:6.1%}  {name}" for name, n in ours.most_common(top)]
    return "\n".join(lines)


_ENTRY = {"main", "cmd_run", "run", "_run_async", "_serve", "_run_until"}
