"""How good the drafted prompts are on real books, as a facilitator rated them.

    .venv/bin/python -m bench.prompt_quality                 # the table, and what is unrated
    .venv/bin/python -m bench.prompt_quality --show          # every prompt to rate, in context
    .venv/bin/python -m bench.prompt_quality --show --hashes 3f2a9c0b1d2e,...
    .venv/bin/python -m bench.prompt_quality --sample 30 --seed 17   # a second reader's sample

The corpus folder (default ../shared/corpus) holds the texts and EXPECTED.toml. The prompts of
the first two sections of each text are rated in bench/prompt_ratings/<text>.toml: one line a
prompt, its hash (of its kind and its words) and USE (a facilitator would ask it as it is),
EDIT (worth a rewrite) or DROP with a word on why. The files hold hashes, never the texts'
words. A prompt whose hash is not rated is new, or changed since it was rated: the script lists
it, and the table counts only rated prompts.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import textwrap
import time
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bot.parsing import parse_reading

ROOT = Path(__file__).resolve().parent.parent
RATINGS = ROOT / "bench" / "prompt_ratings"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SECTIONS = (1, 2)  # the sections read and rated in each text
GRADES = ("USE", "EDIT", "DROP")
# The corpus's own names for its kinds of text, in the engine's terms.
KIND_OF = {
    "story": "story",
    "novel": "story",
    "novella": "story",
    "novel (epistolary)": "story",
    "novel (travel narrative)": "story",
    "play": "drama",
    "verse": "verse",
    "essays": "argument",
    "philosophy": "argument",
    "dialogue": "dialogue",
}


@dataclass(frozen=True)
class Drafted:
    text_file: str
    language: str
    kind: str  # what the corpus says the text is
    detected_kind: str  # what the engine took it for
    section: int
    section_title: str
    section_text: str
    prompt_kind: str
    prompt: str
    quote: str | None
    paragraph: int | None

    @property
    def hash(self) -> str:
        return prompt_hash(self.prompt_kind, self.prompt)


def prompt_hash(kind: str, text: str) -> str:
    """Twelve hex digits of SHA-256 over the prompt's kind and words."""
    return hashlib.sha256(f"{kind}\n{text}".encode()).hexdigest()[:12]


def drafted(corpus: Path) -> list[Drafted]:
    """The prompts of the rated sections of every text in the corpus, in order."""
    expected = tomllib.loads((corpus / "EXPECTED.toml").read_text(encoding="utf-8"))
    out: list[Drafted] = []
    for entry in expected["text"]:
        path = corpus / entry["file"]
        reading = parse_reading(path.read_bytes(), path.name)
        kind = KIND_OF.get(entry.get("kind", ""), "story")
        for section, prompt_set in zip(reading.sections, reading.prompts, strict=True):
            if section.position not in SECTIONS:
                continue
            for prompt in prompt_set.prompts:
                out.append(
                    Drafted(
                        text_file=entry["file"],
                        language=entry["language"],
                        kind=kind,
                        detected_kind=reading.kind,
                        section=section.position,
                        section_title=section.title,
                        section_text=section.text,
                        prompt_kind=prompt.kind,
                        prompt=prompt.text,
                        quote=prompt.quote,
                        paragraph=prompt.paragraph,
                    )
                )
    return out


def ratings_file(text_file: str) -> Path:
    return RATINGS / f"{Path(text_file).stem}.toml"


def load_ratings(text_file: str) -> dict[str, str]:
    """hash → "USE", "EDIT" or "DROP: why"."""
    path = ratings_file(text_file)
    if not path.is_file():
        return {}
    return dict(tomllib.loads(path.read_text(encoding="utf-8")).get("ratings", {}))


def grade(rating: str) -> str:
    word = rating.split(":", 1)[0].strip().upper()
    if word not in GRADES:
        raise ValueError(f"not a rating: {rating!r}")
    return word


def _row(label: str, counts: Counter[str]) -> str:
    total = sum(counts[g] for g in GRADES)
    if not total:
        return f"| {label} | 0 | – | – | – |"
    cells = " | ".join(f"{100 * counts[g] / total:.0f}%" for g in GRADES)
    return f"| {label} | {total} | {cells} |"


def table(prompts: list[Drafted]) -> tuple[str, list[Drafted]]:
    """The Markdown table by language and by kind of text, and the prompts not rated."""
    by_language: dict[str, Counter[str]] = defaultdict(Counter)
    by_kind: dict[str, Counter[str]] = defaultdict(Counter)
    overall: Counter[str] = Counter()
    unrated: list[Drafted] = []
    ratings: dict[str, dict[str, str]] = {}
    for p in prompts:
        rated = ratings.setdefault(p.text_file, load_ratings(p.text_file))
        if p.hash not in rated:
            unrated.append(p)
            continue
        g = grade(rated[p.hash])
        by_language[p.language][g] += 1
        by_kind[p.kind][g] += 1
        overall[g] += 1
    lines = ["| | prompts | USE | EDIT | DROP |", "|---|---:|---:|---:|---:|"]
    lines += [_row(f"language {k}", by_language[k]) for k in sorted(by_language)]
    lines += [_row(f"kind {k}", by_kind[k]) for k in sorted(by_kind)]
    lines.append(_row("**all**", overall))
    return "\n".join(lines), unrated


def show(prompts: list[Drafted], out: list[str]) -> None:
    """Each prompt with its hash, its section, and the paragraph its quote comes from."""
    last = None
    for p in prompts:
        if (p.text_file, p.section) != last:
            last = (p.text_file, p.section)
            out.append(f"\n=== {p.text_file} · section {p.section}: {p.section_title}")
            out.append(f"    ({p.language}, {p.kind}; the engine read it as {p.detected_kind})")
        out.append(f"\n[{p.hash}] {p.prompt_kind}: {p.prompt}")
        if p.paragraph:
            blocks = p.section_text.split("\n\n")
            context = blocks[p.paragraph - 1] if p.paragraph <= len(blocks) else ""
            wrapped = textwrap.shorten(" ".join(context.split()), 700, placeholder=" …")
            out.append(textwrap.indent(textwrap.fill(wrapped, 96), "    ¶ "))


def sample(prompts: list[Drafted], size: int, seed: int) -> list[Drafted]:
    """A seeded sample spread over the languages: the same seed, the same sample."""
    rng = random.Random(seed)
    by_language: dict[str, list[Drafted]] = defaultdict(list)
    for p in prompts:
        by_language[p.language].append(p)
    languages = sorted(by_language)
    chosen: list[Drafted] = []
    for i in range(size):
        pool = [p for p in by_language[languages[i % len(languages)]] if p not in chosen]
        if pool:
            chosen.append(rng.choice(pool))
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", action="store_true", help="print the prompts to rate")
    parser.add_argument("--hashes", help="with --show: only these prompts (comma-separated)")
    parser.add_argument("--unrated", action="store_true", help="with --show: only unrated ones")
    parser.add_argument("--sample", type=int, help="print a seeded sample's hashes")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    prompts = drafted(args.corpus)
    elapsed = time.perf_counter() - started
    out: list[str] = []
    if args.sample:
        for p in sample(prompts, args.sample, args.seed):
            out.append(f"{p.hash}  {p.language}  {p.kind:<8}  {p.text_file} §{p.section}")
    elif args.show:
        wanted = set(args.hashes.split(",")) if args.hashes else None
        if args.unrated:
            _, unrated = table(prompts)
            wanted = {p.hash for p in unrated}
        show([p for p in prompts if wanted is None or p.hash in wanted], out)
    else:
        rendered, unrated = table(prompts)
        out.append(f"{len(prompts)} prompts drafted in {elapsed:.1f} s (import included)")
        out.append(rendered)
        if unrated:
            out.append(f"\n{len(unrated)} prompts not rated (new, or changed since rated):")
            out += [f"  {p.hash}  {p.text_file} §{p.section}" for p in unrated]
        mismatched = sorted({(p.text_file, p.kind, p.detected_kind) for p in prompts})
        for text_file, kind, detected in mismatched:
            if kind != detected:
                out.append(f"kind: {text_file} is {kind}, the engine read it as {detected}")
    sys.stdout.write("\n".join(out).lstrip("\n") + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
