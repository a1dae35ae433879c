"""A big reading: a 1 MB text imported, split, prompted and stored; time and peak memory.

    .venv/bin/python -m bench.big_reading
    .venv/bin/python -m bench.big_reading --database postgres --database-url postgresql+asyncpg://…

`bench/prompts.py` times the prompt engine alone, and `bench/parse_cores.py` the import on
one core against the import on every core, as the bot does it; this follows the text through
the bot:

1. in this process, each step of `/reading add` apart (decode and normalise, split into
   sections, draft prompts in one thread, store sections and prompts in the database, cut
   every section into Discord messages), with tracemalloc's peak for the parsing;
2. end to end: the real bot (`python -m bot run`) against the fake Discord gets the file as a
   `/reading add` upload; the time until the member sees the answer, how long the event loop
   was blocked meanwhile (a `/circle about` sent every 100 ms must keep being answered), and
   the bot's RSS before and its peak after.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
import tracemalloc

from bench._harness import (
    Process,
    TimedFake,
    bot_command,
    bot_env,
    command_line,
    database_server_url,
    describe_backend,
    machine,
    percentile,
    proc_status,
    throwaway_database,
)
from bench.prompts import big_text
from bot.db import create_database
from bot.db.migrate import upgrade_to_head
from bot.parsing import parse_reading
from bot.reading.blocks import classify
from bot.reading.chunks import split_messages
from bot.reading.prompts import generate_reading_prompts
from bot.reading.sections import sections_of
from bot.reading.structure import outline
from bot.reading.text import blocks_of, decode, normalise
from bot.scheduler import Scheduler
from bot.scheduling.clock import SystemClock
from bot.services.root import build_services
from tests.processes import descendants


def one_paragraph() -> bytes:
    """1.9 MB of prose without a single paragraph break."""
    sentence = "Self-management grows from practice and from consciousness together. "
    return (sentence * (1_900_000 // len(sentence))).encode("utf-8")


async def in_process(data: bytes, database_url: str) -> None:
    steps: list[tuple[str, float]] = []

    def timed(label: str, started: float) -> None:
        steps.append((label, time.perf_counter() - started))

    started = time.perf_counter()
    text = normalise(decode(data, source="big.txt"))
    timed("decode and normalise", started)
    started = time.perf_counter()
    # As `parse_reading` splits: front and back matter set apart, the body cut into sections.
    sections = sections_of(outline(classify(blocks_of(text), markdown=False), markdown=False).body)
    timed(f"split into {len(sections)} sections", started)
    started = time.perf_counter()
    sets = generate_reading_prompts([s.text for s in sections])
    timed(f"draft {sum(len(s.prompts) for s in sets)} prompts in this thread", started)
    # Memory apart: tracemalloc slows the engine several times over.
    tracemalloc.start()
    parse_reading(data, "big.txt")
    _, parse_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    parsed = parse_reading(data, "big.txt")
    await upgrade_to_head(database_url)
    db = create_database(database_url)
    clock = SystemClock()
    readings = build_services(db, scheduler=Scheduler(db, clock), clock=clock).readings
    try:
        started = time.perf_counter()
        summary = await readings.add(1, parsed)
        timed(f"store reading #{summary.id} (sections and prompts)", started)
        started = time.perf_counter()
        _, stored = await readings.sections(1, summary.id)
        timed(f"read back its {len(stored)} sections", started)
    finally:
        await db.dispose()
    started = time.perf_counter()
    messages = sum(len(split_messages(s.text)) for s in sections)
    timed(f"cut every section into Discord messages ({messages})", started)
    # A text without paragraph breaks: one 1.9 MB paragraph, cut into bounded sections.
    paragraph = one_paragraph()
    for with_prompts in (False, True):
        cpu = time.process_time()
        one = parse_reading(paragraph, "one-paragraph.txt", with_prompts=with_prompts)
        steps.append(
            (
                f"import a {len(paragraph) / 1e6:.1f} MB single paragraph "
                f"({'with' if with_prompts else 'without'} prompts; {len(one.sections)} "
                f"sections of at most {max(s.word_count for s in one.sections):,} words), CPU",
                time.process_time() - cpu,
            )
        )
    for label, seconds in steps:
        print(f"  {label}: {seconds:.2f} s")
    print(f"  tracemalloc peak while parsing and prompting: {parse_peak / 1e6:.0f} MB")


async def end_to_end(data: bytes, database_url: str) -> None:
    async with TimedFake() as fake:
        process = await Process.start(bot_command(), bot_env(fake, database_url))
        try:
            await process.wait_for_line("Ready as", timeout=120)
            await fake.command("reading list", user=fake.world.member, timeout=30)  # seeds
            before = proc_status(process.pid)
            upload = fake.upload("big-reading.txt", data)
            probes: list[float] = []
            helpers: dict[int, int] = {}  # the bot's child processes: their largest RSS, kB
            stop = asyncio.Event()

            async def probe() -> None:
                while not stop.is_set():
                    about = await fake.command("circle about", user=fake.world.member, timeout=60)
                    probes.append(fake.acked_at[about.id] - about.created_at)
                    for child in descendants(process.pid):
                        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
                            rss = proc_status(child)["VmRSS"]
                            helpers[child] = max(helpers.get(child, 0), rss)
                    await asyncio.sleep(0.1)

            prober = asyncio.create_task(probe())
            started = time.monotonic()
            added = await fake.command(
                "reading add", {"file": upload}, user=fake.world.facilitator, timeout=600
            )
            took = time.monotonic() - started
            stop.set()
            await prober
            after = proc_status(process.pid)
        finally:
            await process.stop()
    shown = added.embeds[0]["description"].splitlines()[1] if added.embeds else added.text
    print(f"  answer: {shown}")
    print(f"  /reading add of {len(data) / 1e6:.2f} MB answered in {took:.1f} s")
    print(
        f"  meanwhile /circle about answered {len(probes)} times: p50 "
        f"{percentile(probes, 0.5) * 1000:.0f} ms, max {max(probes) * 1000:.0f} ms"
    )
    print(
        f"  bot RSS before {before['VmRSS'] / 1024:.0f} MB, after {after['VmRSS'] / 1024:.0f} MB,"
        f" peak {after['VmHWM'] / 1024:.0f} MB"
    )
    sizes = ", ".join(f"{rss / 1024:.0f}" for rss in sorted(helpers.values()))
    print(f"  its child processes meanwhile (fork server, drafting workers), peak RSS MB: {sizes}")


async def main_async(options: argparse.Namespace) -> None:
    print(machine())
    print(f"command: {command_line()}")
    data = big_text()
    server = database_server_url(options.database_url)
    if not options.end_to_end_only:
        async with throwaway_database(options.database, server) as database_url:
            print(f"database: {describe_backend(database_url)}; text: {len(data) / 1e6:.2f} MB")
            print("in this process:")
            await in_process(data, database_url)
    texts = {"generated": data, "paragraph": one_paragraph()}
    for name in options.through_the_bot:
        async with throwaway_database(options.database, server) as database_url:
            print(f"through the bot (`/reading add`), the {name} text:")
            await end_to_end(texts[name], database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url")
    parser.add_argument(
        "--through-the-bot",
        nargs="+",
        choices=["generated", "paragraph"],
        default=["generated", "paragraph"],
        help="texts uploaded to the real bot: the generated 1 MB text, a 1.9 MB paragraph",
    )
    parser.add_argument(
        "--end-to-end-only", action="store_true", help="skip the steps timed in this process"
    )
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
