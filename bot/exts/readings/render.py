"""Embeds for readings and their prompts."""

from __future__ import annotations

import discord

from bot.services.prompts import PromptView
from bot.services.readings import ReadingSummary, SectionSummary

SECTIONS_PER_PAGE = 10
_STAGE = {"factual": "Opening", "interpretive": "Core", "evaluative": "Closing"}


def _escape(text: str) -> str:
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def reading_line(r: ReadingSummary) -> str:
    tag = " · bundled" if r.bundled else ""
    return (
        f"**#{r.id} · {_escape(r.title)}**{tag}\n"
        f"{r.sections} sections · {r.words:,} words · about {r.minutes} min · {r.language}"
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
            line = f"**{s.position}. {_escape(s.title)}** · {s.words:,} words · {s.minutes} min"
            also = [h for h in s.headings if h != s.title]
            if also:
                line += "\n  also: " + "; ".join(_escape(h) for h in also)
            lines.append(line)
        pages.append(
            discord.Embed(
                title=f"#{reading.id} · {reading.title}"[:256],
                description="\n".join(lines),
                colour=discord.Colour.teal(),
            )
        )
    return pages or [discord.Embed(description="This reading has no sections.")]


def prompts_embed(section_title: str, prompts: list[PromptView]) -> discord.Embed:
    lines = []
    for p in prompts:
        tag = " · yours" if p.by_facilitator else (" · edited" if p.edited else "")
        lines.append(f"`#{p.id}` **{_STAGE.get(p.kind, p.kind)}** ({p.kind}{tag})\n{p.text}")
        if p.quote and not p.edited and not p.by_facilitator:
            lines.append(f"> “{_escape(p.quote)}” (¶{p.paragraph})")
    return discord.Embed(
        title=f"Prompts · {section_title}"[:256],
        description="\n".join(lines)[:4096] or "No prompts. Add one with `/prompts add`.",
        colour=discord.Colour.teal(),
    )
