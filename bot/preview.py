"""Rendering a parsed reading for people (text, Markdown) and for tools (JSON)."""

from __future__ import annotations

import json
import textwrap

from bot.reading.importer import ParsedReading
from bot.reading.prompts import KIND_NAMES, STAGE_LABELS, Prompt, PromptSet
from bot.reading.prompts.checked import is_model_written
from bot.reading.text import plural, reading_minutes, shorten


def _prompt_sets(reading: ParsedReading) -> list[PromptSet | None]:
    return list(reading.prompts) or [None] * len(reading.sections)


def _notes(reading: ParsedReading) -> list[str]:
    return sorted({s.fallback_note for s in reading.prompts if s.fallback_note})


def _grounding(prompt: Prompt) -> str:
    if prompt.quote:
        return f"¶{prompt.paragraph}: “{prompt.quote}”"
    return f"key phrase: “{prompt.key_phrase}”"


def _language(reading: ParsedReading) -> str:
    detected = reading.detected_language
    if detected and detected != reading.language:
        return f"language {reading.language} (the text reads as {detected})"
    return f"language {reading.language}" + (" (detected)" if detected else "")


def _clipped(text: str, limit: int) -> str:
    """`text` on one line within `limit` characters (a text without spaces is cut too)."""
    return shorten(" ".join(text.split()), limit)


def _kind(reading: ParsedReading) -> str:
    kind = f"{KIND_NAMES[reading.kind]}"
    if reading.detected_kind and reading.detected_kind != reading.kind:
        return f"{kind} (the text reads as {KIND_NAMES[reading.detected_kind]})"
    return kind + (" (detected)" if reading.detected_kind else "")


def _left_out(reading: ParsedReading) -> list[str]:
    return [
        f"left out ({m.kind}): {m.label}, {plural(m.word_count, 'word')}: “{_clipped(m.text, 60)}”"
        for m in reading.left_out
    ]


def as_text(reading: ParsedReading) -> str:
    """A terminal overview: what was left out, each section's size, headings, first line and
    prompts."""
    total = reading.word_count
    lines = [
        f"{reading.title}",
        f"{plural(len(reading.sections), 'section')} · {plural(total, 'word')} · "
        f"about {reading_minutes(total)} min · {_language(reading)} · {_kind(reading)} · "
        f"{plural(reading.chapters, 'heading')} found",
        *_notes(reading),
        *_left_out(reading),
        "",
    ]
    for s, prompt_set in zip(reading.sections, _prompt_sets(reading), strict=True):
        lines.append(f"{s.position:>3}. {s.title}")
        lines.append(f"     {plural(s.word_count, 'word')} · about {s.minutes} min")
        lines += [f"     also: {h}" for h in s.headings if h != s.title]
        first = _clipped(s.first_line, 90)
        lines.append(f"     “{first}”")
        for passage in prompt_set.passages if prompt_set else ():
            shown = _clipped(f"¶{passage.paragraph}: “{passage.quote}”", 84)
            lines.append(f"     [passage] {shown}")
        for prompt in prompt_set.prompts if prompt_set else ():
            wrapped = textwrap.wrap(prompt.text, width=88)
            by = " · model" if is_model_written(prompt) else ""
            lines.append(f"     [{prompt.kind}{by}] {wrapped[0]}")
            lines += [f"         {more}" for more in wrapped[1:]]
            grounding = _clipped(_grounding(prompt), 84)
            lines.append(f"         {grounding}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _prompt_json(prompt: Prompt) -> dict[str, object]:
    return {
        "kind": prompt.kind,
        "text": prompt.text,
        "quote": prompt.quote,
        "paragraph": prompt.paragraph,
        "key_phrase": prompt.key_phrase,
        "move": prompt.move,
        "template": prompt.template,
        "by_model": is_model_written(prompt),
    }


def as_json(reading: ParsedReading) -> str:
    """The same overview as JSON, with each section's full text and prompts, for tools."""
    payload = {
        "title": reading.title,
        "language": reading.language,
        "detected_language": reading.detected_language,
        "kind": reading.kind,
        "detected_kind": reading.detected_kind,
        "headings_found": reading.chapters,
        "left_out": [
            {"kind": m.kind, "label": m.label, "words": m.word_count, "text": m.text}
            for m in reading.left_out
        ],
        "source_name": reading.source_name,
        "content_hash": reading.content_hash,
        "words": reading.word_count,
        "minutes": reading_minutes(reading.word_count),
        "notes": _notes(reading),
        "sections": [
            {
                "position": s.position,
                "title": s.title,
                "headings": list(s.headings),
                "words": s.word_count,
                "minutes": s.minutes,
                "first_line": s.first_line,
                "text": s.text,
                "prompts": [_prompt_json(p) for p in (ps.prompts if ps else ())],
                "passages": [
                    {"quote": p.quote, "paragraph": p.paragraph}
                    for p in (ps.passages if ps else ())
                ],
            }
            for s, ps in zip(reading.sections, _prompt_sets(reading), strict=True)
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def as_markdown(reading: ParsedReading) -> str:
    """A printable discussion guide: one session per section, its questions in order."""
    total = reading.word_count
    lines = [
        f"# {reading.title}: discussion guide",
        "",
        f"{plural(len(reading.sections), 'session')}, {plural(total, 'word')} in all "
        f"(about {reading_minutes(total)} minutes of reading).",
        "Each session opens with a question whose answer is in the text, moves to questions the "
        "text can answer in more than one way, and closes with the text set against your own "
        "experience. The ¶ numbers count the section's paragraphs, headings included.",
        *[f"\n*{note}*" for note in _notes(reading)],
        "",
        "| # | Section | Words | Minutes |",
        "|---:|---|---:|---:|",
    ]
    lines += [
        f"| {s.position} | {s.title} | {s.word_count:,} | {s.minutes} |" for s in reading.sections
    ]
    for s, prompt_set in zip(reading.sections, _prompt_sets(reading), strict=True):
        lines += ["", f"## {s.position}. {s.title}", ""]
        lines.append(f"*{plural(s.word_count, 'word')}, about {s.minutes} min.*")
        others = [h for h in s.headings if h != s.title]
        if others:
            lines.append(f"*Also covers: {'; '.join(others)}.*")
        lines += ["", f"Begins: “{_clipped(s.first_line, 160)}”"]
        for number, prompt in enumerate(prompt_set.prompts if prompt_set else (), 1):
            by = ", by the model" if is_model_written(prompt) else ""
            stage = STAGE_LABELS[prompt.kind]
            lines += ["", f"{number}. **{stage}** ({prompt.kind}{by}): {prompt.text}"]
            if prompt.quote:
                lines.append(f"   > “{prompt.quote}” (¶{prompt.paragraph})")
            else:
                lines.append(f"   > Key phrase: *{prompt.key_phrase}*")
    return "\n".join(lines).rstrip() + "\n"


def render(reading: ParsedReading, fmt: str) -> str:
    return {"text": as_text, "json": as_json, "markdown": as_markdown}[fmt](reading)
