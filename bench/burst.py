"""Interaction burst: N interactions sent at once over the gateway to the real bot, then to a
"null" bot (discord.py answering "ok"), in the same run, against the fake Discord.

    .venv/bin/python -m bench.burst                                  # 1,000 on SQLite
    .venv/bin/python -m bench.burst --n 1000 5000 --database postgres \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench.burst --mix done=60,join=20,progress=20 --profile /tmp/prof

The bot runs as `python -m bot run` in its own process (so its peak memory is its own
VmHWM); the fake Discord and the load run here. Each interaction comes from a different
member. Prints, per bot and burst size: throughput (interactions answered a second, first
send to last answer), the time from the event leaving the gateway to the acknowledgement
(what Discord's 3 s limit is about) and to the answer the member sees (p50/p95/p99), errors
by kind, the bot's CPU time and its peak RSS. Nothing here fails: it prints figures.

The mix names kinds of interaction (`KINDS` below) with weights. Each kind builds one
payload for one member from the prepared world (`Stage`); a kind that needs more world (a
vote to click, a modal to submit) prepares it in `Stage.prepare` first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

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
    proc_cpu_seconds,
    proc_status,
    throwaway_database,
)
from bench._profile import Sampler, summarise
from tests.fakediscord import FakeMessage, FakeUser

# The issue's mix once votes and reflections exist: 70% vote clicks, 20% reflection
# submits, 10% /join. Until then, Done clicks stand in for vote clicks (a button that
# writes one row) and /progress and /schedule status for reflection submits.
DEFAULT_MIX = "done=70,progress=10,status=10,join=10"
ISSUE_MIX = "vote=70,reflect=20,join=10"
WARM_UP = 30
profiles: list[tuple[str, Path]] = []
ERROR_MARKERS = ("went wrong", "try again", "busy")


@dataclass
class Stage:
    """The world the burst plays in: a schedule with a posted section and its Done button."""

    fake: TimedFake
    post: FakeMessage | None = None
    done_id: str = ""
    schedule_id: int = 0
    # For kinds added later: e.g. the vote message and its option ids, the Reflect modal.
    extra: dict[str, Any] = field(default_factory=dict)

    async def prepare(self, kinds: set[str]) -> None:
        """Create a schedule, post its first section, and make its circle role, all through
        slash commands as a facilitator would."""
        fake, world = self.fake, self.fake.world
        listed = await fake.command("reading list", user=world.facilitator, timeout=30)
        reading = listed.embeds[0]["description"].split("#", 1)[1].split(" ", 1)[0]
        tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
        created = await fake.command(
            "schedule create",
            {
                "reading": reading,
                "channel": world.reading,
                "start": tomorrow,
                "at": "12:00",
                "timezone": "UTC",
            },
            user=world.facilitator,
            timeout=30,
        )
        self.schedule_id = int(created.embeds[0]["title"].split("#")[1].split()[0])
        await fake.command("schedule post-now", user=world.facilitator, timeout=30)
        await fake.wait_until(
            lambda: any(m.embeds for m in fake.messages_in(world.reading)),
            timeout=60,
            what="the section post",
        )
        self.post = next(m for m in fake.messages_in(world.reading) if m.embeds)
        self.done_id = next(c for c in self.post.custom_ids if c.startswith("sc:done:"))
        # The first /join creates the circle's role; the burst's joins then only grant it.
        await fake.command("join", user=world.facilitator, timeout=30)
        for kind in kinds:
            if kind not in KINDS:
                raise SystemExit(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")


def _command(name: str, options: dict[str, Any] | None = None) -> Kind:
    def build(stage: Stage, user: FakeUser) -> dict[str, Any]:
        world = stage.fake.world
        return stage.fake.payloads.command(name, options, user=user, channel=world.general)

    return build


def _done(stage: Stage, user: FakeUser) -> dict[str, Any]:
    assert stage.post is not None
    return stage.fake.payloads.button(stage.post, stage.done_id, user=user)


def _not_yet(what: str) -> Kind:
    def build(stage: Stage, user: FakeUser) -> dict[str, Any]:
        raise SystemExit(f"{what}: add its setup to Stage.prepare and its payload here")

    return build


Kind = Callable[[Stage, FakeUser], dict[str, Any]]
KINDS: dict[str, Kind] = {
    "join": _command("join"),
    "done": _done,
    "progress": _command("progress"),
    "status": _command("schedule status"),
    # When votes land: open a vote in Stage.prepare (stage.extra["vote"] = its message and
    # an option's custom_id), then `fake.payloads.button(message, custom_id, user=user)`.
    "vote": _not_yet("vote clicks need the votes feature"),
    # When reflections land: click Reflect once in Stage.prepare to get the modal, then
    # `fake.payloads.modal_submit(modal, {...}, user=user, channel=..., message=post)`.
    "reflect": _not_yet("reflection submits need the reflections feature"),
}


def parse_mix(spec: str) -> dict[str, float]:
    mix: dict[str, float] = {}
    for part in spec.split(","):
        name, _, weight = part.partition("=")
        mix[name.strip()] = float(weight or 1)
    return mix


def plan(mix: dict[str, float], n: int, rng: random.Random) -> list[str]:
    """Exactly the mix's shares of `n` kinds, shuffled."""
    total = sum(mix.values())
    kinds: list[str] = []
    for name, weight in mix.items():
        kinds += [name] * round(n * weight / total)
    kinds = (kinds + [next(iter(mix))] * n)[:n]
    rng.shuffle(kinds)
    return kinds


@dataclass
class Outcome:
    bot: str
    n: int
    seconds: float
    acks: list[float]
    answers: list[float]
    errors: Counter[str]
    cpu: float
    peak_kb: int
    rss_kb: int
    fake_cpu: float

    @property
    def throughput(self) -> float:
        return self.n / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        def ms(values: list[float], share: float) -> str:
            return f"{percentile(values, share) * 1000:.0f}"

        errors = sum(self.errors.values())
        detail = f" ({', '.join(f'{k}: {v}' for k, v in self.errors.items())})" if errors else ""
        return (
            f"| {self.bot} | {self.n:,} | {self.throughput:,.0f}/s | "
            f"{ms(self.acks, 0.5)} / {ms(self.acks, 0.95)} / {ms(self.acks, 0.99)} | "
            f"{ms(self.answers, 0.5)} / {ms(self.answers, 0.95)} / {ms(self.answers, 0.99)} | "
            f"{errors}{detail} | {self.cpu:.1f} s | {self.peak_kb / 1024:.0f} MB | "
            f"{self.fake_cpu:.1f} s |"
        )


async def burst(
    fake: TimedFake,
    stage: Stage,
    process: Process,
    kinds: list[str],
    users: list[FakeUser],
    profile: Path | None = None,
) -> Outcome:
    payloads = [KINDS[kind](stage, user) for kind, user in zip(kinds, users, strict=True)]
    sampler = await Sampler.start(process.pid, profile) if profile else None
    cpu_before = proc_cpu_seconds(process.pid)
    fake_cpu = time.process_time()
    ids = await fake.send_at_once(payloads)
    deadline = time.monotonic() + 60 + len(ids) / 50

    def settled() -> bool:
        return all(
            i in fake.answered_at or fake.interactions[i].callback_status not in (None, 200)
            for i in ids
        )

    with contextlib.suppress(AssertionError):  # some never answered: counted below
        await fake.wait_until(settled, timeout=max(0.0, deadline - time.monotonic()))
    await asyncio.sleep(0.2)  # let any stragglers (second follow-ups) arrive
    cpu = proc_cpu_seconds(process.pid) - cpu_before
    if sampler is not None:
        await sampler.stop()
    memory = proc_status(process.pid)
    errors: Counter[str] = Counter()
    acks, answers = [], []
    for i in ids:
        result = fake.interactions[i]
        sent = fake.sent_at[i]
        if i in fake.acked_at and result.callback_status == 200:
            acks.append(fake.acked_at[i] - sent)
        if result.callback_status is None:
            errors["no acknowledgement"] += 1
        elif result.callback_status != 200:
            code = (result.requests[-1].response or {}).get("code") if result.requests else None
            errors[f"refused {result.callback_status}/{code}"] += 1
        elif i not in fake.answered_at:
            errors["no answer"] += 1
        elif any(marker in result.text.lower() for marker in ERROR_MARKERS):
            errors["error message"] += 1
            answers.append(fake.answered_at[i] - sent)
        else:
            answers.append(fake.answered_at[i] - sent)
    first = min(fake.sent_at[i] for i in ids)
    last = max([fake.answered_at[i] for i in ids if i in fake.answered_at], default=first)
    return Outcome(
        bot="",
        n=len(ids),
        seconds=last - first,
        acks=acks,
        answers=answers,
        errors=errors,
        cpu=cpu,
        peak_kb=memory.get("VmHWM", 0),
        rss_kb=memory.get("VmRSS", 0),
        fake_cpu=time.process_time() - fake_cpu,
    )


async def quiet(fake: TimedFake, seconds: float = 0.5) -> None:
    """Wait until the fake has had no request for `seconds`."""
    while True:
        seen = len(fake.requests)
        await asyncio.sleep(seconds)
        if len(fake.requests) == seen:
            return


async def run_bot(
    label: str,
    args: list[str],
    env: dict[str, str],
    ready_line: str,
    fake: TimedFake,
    stage: Stage,
    sizes: list[int],
    mix: dict[str, float],
    pools: list[list[FakeUser]],
    warm_pool: list[FakeUser],
    seed: int,
    prepare: bool = False,
    profile: Path | None = None,
) -> list[Outcome]:
    process = await Process.start(args, env)
    outcomes: list[Outcome] = []
    try:
        await process.wait_for_line(ready_line, timeout=120)
        if prepare:
            await stage.prepare(set(mix))
        await quiet(fake)
        rng = random.Random(seed)
        warm = await burst(fake, stage, process, plan(mix, WARM_UP, rng), warm_pool)
        if sum(warm.errors.values()):
            print(f"warm-up errors for the {label}: {dict(warm.errors)}")
        for n, pool in zip(sizes, pools, strict=True):
            await quiet(fake)
            sample = profile / f"{label.split()[0].lower()}-{n}.txt" if profile else None
            kinds = plan(mix, n, random.Random(seed + n))
            outcome = await burst(fake, stage, process, kinds, pool, sample)
            outcome.bot = label
            outcomes.append(outcome)
            print(outcome.line(), flush=True)
            if sample is not None:
                profiles.append((f"{label}, n={n:,}", sample))
    finally:
        code = await process.stop()
        if code not in (0, -15):
            print(f"the {label} exited with {code}:\n{process.stderr[-3000:]}")
    return outcomes


async def main_async(options: argparse.Namespace) -> None:
    mix = parse_mix(options.mix)
    sizes = options.n
    print(machine())
    print(f"command: {command_line()}")
    print(f"mix: {options.mix}; sizes: {', '.join(f'{n:,}' for n in sizes)}")
    async with TimedFake(interaction_deadline=3.0) as fake:
        guild = fake.world.guild
        total = sum(sizes) + 2 * WARM_UP
        users = [fake.state.add_user(f"reader{i}") for i in range(total)]
        for user in users:
            fake.state.add_member(guild, user)
        warm_pool = users[:WARM_UP]
        pools, start = [], WARM_UP
        for n in sizes:
            pools.append(users[start : start + n])
            start += n
        server = database_server_url(options.database_url)
        async with throwaway_database(options.database, server) as database_url:
            print(f"database: {describe_backend(database_url)}")
            stage = Stage(fake)
            header = (
                "| bot | n | throughput | ack p50 / p95 / p99 (ms) | answer p50 / p95 / p99 (ms) "
                "| errors | bot CPU | bot peak RSS | fake CPU |\n" + "|---" * 9 + "|"
            )
            print(header)
            profile = Path(options.profile) if options.profile else None
            ours = await run_bot(
                "Study Circle",
                bot_command(),
                bot_env(fake, database_url),
                "Ready as",
                fake,
                stage,
                sizes,
                mix,
                pools,
                warm_pool,
                options.seed,
                prepare=True,
                profile=profile,
            )
            fake.forget()
            null = await run_bot(
                "null bot",
                [__import__("sys").executable, "-m", "bench.null_bot"],
                bot_env(fake, database_url),
                "null bot ready",
                fake,
                stage,
                sizes,
                mix,
                pools,
                users[start : start + WARM_UP],
                options.seed,
            )
    print()
    for mine, theirs in zip(ours, null, strict=True):
        share = mine.throughput / theirs.throughput if theirs.throughput else 0.0
        p99 = percentile(mine.answers, 0.99)
        ack99 = percentile(mine.acks, 0.99)
        print(
            f"n={mine.n:,}: throughput {share:.0%} of the null bot's (goal ≥ 60%); "
            f"p99 acknowledgement {ack99 * 1000:.0f} ms, p99 answer {p99 * 1000:.0f} ms "
            f"(goal: all within 3 s); errors {sum(mine.errors.values())}; "
            f"load generator CPU {mine.fake_cpu:.1f} s"
        )
    for label, sample in profiles:
        print(f"\nprofile of {label} (py-spy, {sample}):\n{summarise(sample)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="burst sizes")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"kind=weight,… of {list(KINDS)}")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url", help="PostgreSQL server (a throwaway database is made on it)"
    )
    parser.add_argument(
        "--profile", help="folder for py-spy samples of the bot during each burst (summarised)"
    )
    parser.add_argument("--seed", type=int, default=8)
    options = parser.parse_args()
    if options.profile:
        Path(options.profile).mkdir(parents=True, exist_ok=True)
    asyncio.run(main_async(options))


if __name__ == "__main__":
    main()
