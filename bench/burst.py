"""Interaction burst: N interactions sent at once over the gateway to the real bot and to a
"null" bot (discord.py answering "ok"), in the same run, against the fake Discord.

    .venv/bin/python -m bench.burst                                  # 1,000 on SQLite
    .venv/bin/python -m bench.burst --n 1000 5000 --database postgres \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres
    .venv/bin/python -m bench.burst --mix done=60,join=20,progress=20 --profile /tmp/prof

The bot runs as `python -m bot run` in its own process (so its peak memory is its own
VmHWM); the fake Discord and the load run here. Each interaction comes from a different
member. Both bots stay logged in and take turns, a burst each, the order alternating, so
that a slow moment of a shared machine falls on both sides of a pair. Prints, per bot and
burst size: throughput (interactions answered a second, first
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
import gc
import random
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

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
from bench._profile import Sampler, compare, summarise
from bot.db import create_database
from bot.db.models import Membership
from tests.fakediscord import FakeMessage, FakeUser
from tests.fakediscord.gateway import GatewaySession
from tests.fakediscord.interactions import CallbackType

# The mix: 70% vote clicks on one vote, 20% reflection submits, 10% /join.
DEFAULT_MIX = "vote=70,reflect=20,join=10"
# The members' own commands: Done clicks, /progress, /schedule status and /join.
MEMBERS_MIX = "done=70,progress=10,status=10,join=10"
WARM_UP = 30
PROFILE_RATE = 1000  # py-spy samples a second: a burst lasts about a second
# py-spy samples of every burst: (bot, burst size) → one file a burst.
profiles: defaultdict[tuple[str, int], list[Path]] = defaultdict(list)
NULL_LABEL = "null bot"
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

    async def _first_choice(self, command: str, option: str) -> str:
        """The first value the bot offers for `option` as a facilitator types it."""
        offered = await self.fake.autocomplete(
            command, {option: ""}, focused=option, user=self.fake.world.facilitator
        )
        if not offered.choices:
            raise SystemExit(f"/{command} offered no {option}: {offered.text}")
        return str(offered.choices[0]["value"])

    async def prepare(self, kinds: set[str]) -> None:
        """Create a schedule, post its first section, and make its circle role, all through
        slash commands as a facilitator would."""
        fake, world = self.fake, self.fake.world
        reading = await self._first_choice("schedule create", "reading")
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
        if not created.embeds:
            raise SystemExit(f"/schedule create failed: {created.text}")
        self.schedule_id = int(await self._first_choice("schedule post-now", "schedule"))
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
        if "vote" in kinds:
            await self._open_vote()
        if "reflect" in kinds:
            await self._open_reflection()

    async def _open_vote(self) -> None:
        """One single-choice vote of three options, in #general: its message and buttons."""
        fake, world = self.fake, self.fake.world
        opened = await fake.command(
            "vote open",
            {
                "question": "What should we discuss next?",
                "options": "Tactics; History; Theory",
                "method": "single",
                "closes": "2d",
            },
            user=world.facilitator,
            timeout=30,
        )
        if "is open" not in opened.text:
            raise SystemExit(f"could not open a vote: {opened.text}")
        message = fake.messages_in(world.general)[-1]
        self.extra["vote"] = (message, [c for c in message.custom_ids if ":pick:" in c])

    async def _open_reflection(self) -> None:
        """The Reflect modal of the posted section, as the bot opens it for a member."""
        assert self.post is not None
        reflect = next(c for c in self.post.custom_ids if c.startswith("sc:reflect:"))
        opened = await self.fake.click(self.post, reflect, user=self.fake.world.member, timeout=30)
        if opened.modal is None:
            raise SystemExit(f"the Reflect button opened no modal: {opened.text}")
        self.extra["reflect"] = opened


def _command(name: str, options: dict[str, Any] | None = None) -> Kind:
    def build(stage: Stage, user: FakeUser) -> dict[str, Any]:
        world = stage.fake.world
        return stage.fake.payloads.command(name, options, user=user, channel=world.general)

    return build


def _done(stage: Stage, user: FakeUser) -> dict[str, Any]:
    assert stage.post is not None
    return stage.fake.payloads.button(stage.post, stage.done_id, user=user)


def _vote(stage: Stage, user: FakeUser) -> dict[str, Any]:
    message, buttons = stage.extra["vote"]
    return stage.fake.payloads.button(message, buttons[user.id % len(buttons)], user=user)


def _reflect(stage: Stage, user: FakeUser) -> dict[str, Any]:
    from bot.exts.reflections.modals import TEXT_ID, VISIBILITY_ID

    opened = stage.extra["reflect"]
    text = f"Reading this with the circle, {user.username} noticed how the argument turns."
    return stage.fake.payloads.modal_submit(
        opened.modal,
        {TEXT_ID: text, VISIBILITY_ID: ["private"]},
        user=user,
        channel=opened.channel,
        message=opened.source_message,
    )


Kind = Callable[[Stage, FakeUser], dict[str, Any]]
KINDS: dict[str, Kind] = {
    "join": _command("join"),
    "done": _done,
    "progress": _command("progress"),
    "status": _command("schedule status"),
    # A click on one of a single-choice vote's buttons (Stage._open_vote opens the vote).
    "vote": _vote,
    # A reflection submitted in the Reflect modal of the posted section (Stage._open_reflection).
    "reflect": _reflect,
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
    deferred: int = 0  # acknowledged with "thinking…", then answered in a follow-up
    # What the members saw, by kind: the start of each answer and how many got it.
    seen: Counter[tuple[str, str]] = field(default_factory=Counter)

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
            f"{self.deferred:,} | {errors}{detail} | {self.cpu:.2f} s | "
            f"{self.peak_kb / 1024:.0f} MB | {self.fake_cpu:.2f} s |"
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
    sampler = await Sampler.start(process.pid, profile, PROFILE_RATE) if profile else None
    # This process is Discord for the bot: its collector must not pause a burst. Its heap (the
    # world, thousands of members, every request kept) made a full collection cost ~0.1 s,
    # and fell on one burst or another by chance.
    gc.collect()
    gc.disable()
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
    fake_cpu = time.process_time() - fake_cpu
    gc.enable()
    if sampler is not None:
        await sampler.stop()
    memory = proc_status(process.pid)
    errors: Counter[str] = Counter()
    seen: Counter[tuple[str, str]] = Counter()
    acks, answers = [], []
    for i, kind in zip(ids, kinds, strict=True):
        result = fake.interactions[i]
        seen[kind, " ".join(result.text.split())[:72]] += 1
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
        fake_cpu=fake_cpu,
        deferred=sum(
            fake.interactions[i].callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE for i in ids
        ),
        seen=seen,
    )


async def enrol(database_url: str, schedule_id: int, user_ids: set[int]) -> None:
    """Make these members of the circle, as if they had joined before the burst."""
    if not user_ids:
        return
    db = create_database(database_url)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(
                insert(Membership), [{"schedule_id": schedule_id, "user_id": u} for u in user_ids]
            )
    finally:
        await db.dispose()


async def quiet(fake: TimedFake, seconds: float = 0.5) -> None:
    """Wait until the fake has had no request for `seconds`."""
    while True:
        seen = len(fake.requests)
        await asyncio.sleep(seconds)
        if len(fake.requests) == seen:
            return


@dataclass
class Contender:
    """A bot logged in to the fake Discord, and its bursts."""

    label: str
    process: Process
    sessions: list[GatewaySession]
    outcomes: list[Outcome] = field(default_factory=list)


async def log_in(
    label: str, args: list[str], env: dict[str, str], ready_line: str, fake: TimedFake
) -> Contender:
    """Start a bot and wait until it is ready; its gateway sessions are the new ones."""
    known = list(fake.sessions)
    process = await Process.start(args, env)
    try:
        await process.wait_for_line(ready_line, timeout=120)
        sessions = fake.new_sessions(known)
        if not sessions:
            raise RuntimeError(f"the {label} is ready but has no gateway session")
    except BaseException:
        await process.stop()
        raise
    return Contender(label, process, sessions)


async def send_to(
    contender: Contender,
    fake: TimedFake,
    stage: Stage,
    kinds: list[str],
    pool: list[FakeUser],
    profile: Path | None = None,
) -> Outcome:
    """One burst to this bot alone, once the fake has been quiet and forgotten the last."""
    await quiet(fake)
    fake.forget()
    fake.audience = contender.sessions
    outcome = await burst(fake, stage, contender.process, kinds, pool, profile)
    outcome.bot = contender.label
    return outcome


async def take_turns(
    contenders: list[Contender],
    fake: TimedFake,
    stage: Stage,
    runs: list[tuple[int, list[FakeUser], list[str]]],
    warm: list[tuple[list[FakeUser], list[str]]],
    profile: Path | None = None,
) -> None:
    """A warm-up burst each, then each run's burst to every bot in turn, the order
    alternating: a slow moment of a shared machine falls on both sides of a pair."""
    for contender, (pool, kinds) in zip(contenders, warm, strict=True):
        warmed = await send_to(contender, fake, stage, kinds, pool)
        if sum(warmed.errors.values()):
            print(f"warm-up errors for the {contender.label}: {dict(warmed.errors)}")
    for run, (n, pool, kinds) in enumerate(runs):
        order = contenders if run % 2 == 0 else contenders[::-1]
        for contender in order:
            name = f"{contender.label.split()[0].lower()}-{n}-{run}.txt"
            sample = profile / name if profile else None
            outcome = await send_to(contender, fake, stage, kinds, pool, sample)
            contender.outcomes.append(outcome)
            print(outcome.line(), flush=True)
            if sample is not None:
                profiles[contender.label, n].append(sample)


async def main_async(options: argparse.Namespace) -> None:
    mix = parse_mix(options.mix)
    sizes = [n for n in options.n for _ in range(options.repeat)]
    print(machine())
    print(f"command: {command_line()}")
    print(
        f"mix: {options.mix}; sizes: {', '.join(f'{n:,}' for n in options.n)}, "
        f"{options.repeat} bursts each"
    )
    async with TimedFake(interaction_deadline=3.0) as fake:
        guild = fake.world.guild
        total = sum(sizes) + 2 * WARM_UP
        users = [fake.state.add_user(f"reader{i}") for i in range(total)]
        for user in users:
            fake.state.add_member(guild, user)
        rng = random.Random(options.seed)
        warm = (users[:WARM_UP], plan(mix, WARM_UP, rng))
        null_warm = (users[-WARM_UP:], warm[1])
        runs, start = [], WARM_UP
        for n in sizes:
            runs.append((n, users[start : start + n], plan(mix, n, rng)))
            start += n
        server = database_server_url(options.database_url)
        async with throwaway_database(options.database, server) as database_url:
            print(f"database: {describe_backend(database_url)}")
            stage = Stage(fake)
            header = (
                "| bot | n | throughput | ack p50 / p95 / p99 (ms) | answer p50 / p95 / p99 (ms) "
                "| deferred | errors | bot CPU | bot peak RSS | fake CPU |\n" + "|---" * 10 + "|"
            )
            print(header)
            profile = Path(options.profile) if options.profile else None

            members = {
                user.id
                for pool, kinds in [warm, *((r[1], r[2]) for r in runs)]
                for user, kind in zip(pool, kinds, strict=True)
                if kind != "join"
            }
            contenders: list[Contender] = []
            try:
                ours = await log_in(
                    "Study Circle", bot_command(), bot_env(fake, database_url), "Ready as", fake
                )
                contenders.append(ours)
                fake.audience = ours.sessions
                await stage.prepare(set(mix))
                # The burst comes from a server whose members joined the circle earlier; only
                # those who send /join in it are new.
                await enrol(database_url, stage.schedule_id, members)
                null = [sys.executable, "-m", "bench.null_bot"]
                env = bot_env(fake, database_url)
                contenders.append(await log_in(NULL_LABEL, null, env, "null bot ready", fake))
                await take_turns(contenders, fake, stage, runs, [warm, null_warm], profile)
            finally:
                for contender in contenders:
                    code = await contender.process.stop()
                    if code not in (0, -15):
                        stderr = contender.process.stderr[-3000:]
                        print(f"the {contender.label} exited with {code}:\n{stderr}")
    our_bursts, null_bursts = (c.outcomes for c in contenders)
    print()
    for n in options.n:
        mine = [o for o in our_bursts if o.n == n]
        theirs = [o for o in null_bursts if o.n == n]
        ours_rate = statistics.median(o.throughput for o in mine)
        null_rate = statistics.median(o.throughput for o in theirs)
        # Each of our bursts against the null bot's burst next to it in time.
        paired = sorted(o.throughput / t.throughput for o, t in zip(mine, theirs, strict=True))
        ack99 = max(percentile(o.acks, 0.99) for o in mine)
        answer99 = max(percentile(o.answers, 0.99) for o in mine)
        errors = sum(sum(o.errors.values()) for o in mine)
        print(
            f"n={n:,}: median throughput {ours_rate:,.0f}/s, {ours_rate / null_rate:.0%} of the "
            f"null bot's {null_rate:,.0f}/s (goal ≥ 60%); burst by burst, paired in time: "
            f"median {statistics.median(paired):.0%}, {paired[0]:.0%}–{paired[-1]:.0%}; "
            f"worst p99 acknowledgement "
            f"{ack99 * 1000:.0f} ms (goal: all within 3 s), worst p99 answer "
            f"{answer99 * 1000:.0f} ms; errors {errors}; peak RSS "
            f"{max(o.peak_kb for o in mine) / 1024:.0f} MB; "
            f"CPU a burst (median): {statistics.median(o.cpu for o in mine):.2f} s, the null "
            f"bot's {statistics.median(o.cpu for o in theirs):.2f} s"
        )
    print("\nwhat the members saw, by kind (Study Circle, every burst):")
    seen: Counter[tuple[str, str]] = Counter()
    for outcome in our_bursts:
        seen.update(outcome.seen)
    for (kind, text), count in sorted(seen.items(), key=lambda item: (item[0][0], -item[1])):
        print(f"  {kind}: {count:,} × {text!r}")
    for (label, n), samples in profiles.items():
        if label != NULL_LABEL:
            print(f"\nprofile of {label}, n={n:,} (py-spy, {samples[0].parent}):")
            print(summarise(samples))
            print(compare(samples, profiles[NULL_LABEL, n]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000], help="burst sizes")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"kind=weight,… of {list(KINDS)}")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--database-url", help="PostgreSQL server (a throwaway database is made on it)"
    )
    parser.add_argument(
        "--profile",
        help="folder for py-spy samples of both bots during every burst (summarised, compared)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="bursts of each size, per bot")
    parser.add_argument("--seed", type=int, default=8)
    options = parser.parse_args()
    if options.profile:
        Path(options.profile).mkdir(parents=True, exist_ok=True)
    asyncio.run(main_async(options))


if __name__ == "__main__":
    main()
