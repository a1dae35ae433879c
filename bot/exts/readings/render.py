"""Embeds for readings and their prompts."""

from __future__ import annotations

import discord

from bot.exts.text import inline, plural
from bot.services.prompts import PromptView
from bot.services.readings import ReadingSummary, SectionSummary

SECTIONS_PER_PAGE = 10
_STAGE = {"factual": "Opening", "interpretive": "Core", "evaluative": "Closing"}


def reading_line(r: ReadingSummary) -> str:
    tag = " · bundled" if r.bundled else ""
    return (
        f"**#{r.id} · {inline(r.title, 200)}**{tag}\n"
        f"{plural(r.sections, 'section')} · {plural(r.words, 'word')} · about {r.minutes} min · "
        f"{r.language}"
    )


def added_embed(r: ReadingSummary) -> discord.Embed:
    embed = discord.Embed(
        title="Reading added",
        description=reading_line(r)
        + "\n\nSee its sections with `/reading show`, schedule it with `/schedule create`.",
        colour=discord.Colour.green(),
    )
    return embed


def list_embed(readings: list[ReadingSummary]) -> discord.Embed:
    if not readings:
        return discord.Embed(description="No readings yet. Add one with `/reading add`.")
    return discord.Embed(
        title="Readings in this server",
        description="\n\n".join(reading_line(r) for r in readings),
        colour=discord.Colour.teal(),
    )


def sections_pages(reading: ReadingSummary, sections: list[SectionSummary]) -> list[discord.Embed]:
    pages = []
    for start in range(0, len(sections), SECTIONS_PER_PAGE):
        chunk = sections[start : start + SECTIONS_PER_PAGE]
        lines = []
        for s in chunk:
            line = f"**{s.position}. {inline(s.title, 200)}** · {s.words:,} words · {s.minutes} min"
            also = [h for h in s.headings if h != s.title]
            if also:
                line += "\n  also: " + "; ".join(inline(h, 200) for h in also)
            lines.append(line)
        pages.append(
            discord.Embed(
                title=f"#{reading.id} · {inline(reading.title, 200)}",
                description="\n".join(lines),
                colour=discord.Colour.teal(),
            )
        )
    return pages or [discord.Embed(description="This reading has no sections.")]


def prompts_embed(section_title: str, prompts: list[PromptView]) -> discord.Embed:
    lines = []
    for p in prompts:
        tag = " · yours" if p.by_facilitator else (" · edited" if p.edited else "")
        lines.append(
            f"`#{p.id}` **{_STAGE.get(p.kind, p.kind)}** ({p.kind}{tag})\n{inline(p.text, 600)}"
        )
        if p.quote and not p.edited and not p.by_facilitator:
            lines.append(f"> “{inline(p.quote, 400)}” (¶{p.paragraph})")
    return discord.Embed(
        title=f"Prompts · {inline(section_title, 200)}",
        description="\n".join(lines)[:4096] or "No prompts. Add one with `/prompts add`.",
        colour=discord.Colour.teal(),
    )
