"""Rendering a parsed reading for people (text, Markdown) and for tools (JSON)."""

from __future__ import annotations

import json
import textwrap

from bot.reading.importer import ParsedReading
from bot.reading.text import reading_minutes

FORMATS = ("text", "json", "markdown")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def as_text(reading: ParsedReading) -> str:
    """A terminal overview: each section's number, title, headings, size and first line."""
    total = reading.word_count
    lines = [
        f"{reading.title}",
        f"{_plural(len(reading.sections), 'section')} · {_plural(total, 'word')} · "
        f"about {reading_minutes(total)} min · language {reading.language}",
        "",
    ]
    for s in reading.sections:
        lines.append(f"{s.position:>3}. {s.title}")
        lines.append(f"     {_plural(s.word_count, 'word')} · about {s.minutes} min")
        for heading in s.headings:
            if heading != s.title:
                lines.append(f"     also: {heading}")
        first = textwrap.shorten(s.first_line, width=90, placeholder=" …")
        lines.append(f"     “{first}”")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def as_json(reading: ParsedReading) -> str:
    """The same overview as JSON, with each section's full text, for tools."""
    payload = {
        "title": reading.title,
        "language": reading.language,
        "source_name": reading.source_name,
        "content_hash": reading.content_hash,
        "words": reading.word_count,
        "minutes": reading_minutes(reading.word_count),
        "sections": [
            {
                "position": s.position,
                "title": s.title,
                "headings": list(s.headings),
                "words": s.word_count,
                "minutes": s.minutes,
                "first_line": s.first_line,
                "text": s.text,
            }
            for s in reading.sections
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def as_markdown(reading: ParsedReading) -> str:
    """A printable reading guide: a plan of sessions, one per section."""
    total = reading.word_count
    lines = [
        f"# {reading.title}: reading guide",
        "",
        f"{_plural(len(reading.sections), 'session')}, {_plural(total, 'word')} in all "
        f"(about {reading_minutes(total)} minutes of reading).",
        "",
        "| # | Section | Words | Minutes |",
        "|---:|---|---:|---:|",
    ]
    lines += [
        f"| {s.position} | {s.title} | {s.word_count:,} | {s.minutes} |" for s in reading.sections
    ]
    for s in reading.sections:
        lines += ["", f"## {s.position}. {s.title}", ""]
        lines.append(f"*{_plural(s.word_count, 'word')}, about {s.minutes} min.*")
        others = [h for h in s.headings if h != s.title]
        if others:
            lines.append(f"*Also covers: {'; '.join(others)}.*")
        lines += ["", f"> {s.first_line}"]
    return "\n".join(lines) + "\n"


def render(reading: ParsedReading, fmt: str) -> str:
    return {"text": as_text, "json": as_json, "markdown": as_markdown}[fmt](reading)
