"""Embeds for readings and their prompts."""

from __future__ import annotations

import discord

from bot.exts.discord_limits import EMBED_DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT
from bot.exts.text import inline, plural, shorten
from bot.reading.importer import ParsedReading
from bot.reading.prompts import KIND_NAMES, STAGE_LABELS
from bot.services.prompts import PromptInfo
from bot.services.readings import ReadingSummary, SectionSummary

SECTIONS_PER_PAGE = 10
MODEL_WRITING = (
    "A language model is writing the discussion prompts; each is checked against the text, "
    "and until then the sections have the engine's. `/prompts show` marks the model's."
)
NO_MODEL = (
    "No language model is set up for this bot (`PROMPTS_LLM_BASE_URL`), so prompts come from "
    "the rule-based engine, and no text is sent anywhere."
)


def reading_line(r: ReadingSummary) -> str:
    tag = " · bundled" if r.bundled else ""
    return (
        f"**#{r.id} · {inline(r.title, 200)}**{tag}\n"
        f"{plural(r.sections, 'section')} · {plural(r.words, 'word')} · about {r.minutes} min · "
        f"{r.language}" + (f" · {KIND_NAMES[r.kind]}" if r.kind else "")
    )


def added_embed(r: ReadingSummary, parsed: ParsedReading, *, model_writing: bool) -> discord.Embed:
    """The answer to /reading add: the reading, what the import found in it, and whether a
    model is writing its prompts."""
    embed = discord.Embed(
        title="Reading added",
        description=reading_line(r)
        + "\n\nSee its sections with `/reading show`, schedule it with `/schedule create`.",
        colour=discord.Colour.green(),
    )
    embed.add_field(name="What was found", value=import_report(parsed), inline=False)
    if model_writing:
        embed.add_field(name="Prompts", value=MODEL_WRITING, inline=False)
    return embed


def import_report(parsed: ParsedReading) -> str:
    """Chapters found, the language, and what was left out as front or back matter."""
    lines = [f"{parsed.chapters} chapter headings found · {len(parsed.sections)} sections"]
    language = f"Language: {parsed.language}"
    if parsed.detected_language and parsed.detected_language != parsed.language:
        language += f" (the text reads as {parsed.detected_language})"
    elif parsed.detected_language:
        language += " (detected; set `language:` to change it)"
    lines.append(language)
    kind = f"Kind of text: {KIND_NAMES[parsed.kind]}"
    if parsed.detected_kind and parsed.detected_kind != parsed.kind:
        kind += f" (the text reads as {KIND_NAMES[parsed.detected_kind]})"
    else:
        kind += " (detected; set `kind:` to change it)"
    lines.append(kind)
    if not parsed.has_templates:
        lines.append(
            f"No question templates for '{parsed.language}' yet, so no prompts were drafted: "
            "write them with `/prompts add`."
        )
    for matter in parsed.left_out:
        lines.append(
            f"Left out ({matter.kind}): {inline(matter.label, 200)}, {matter.word_count:,} words"
        )
    return shorten("\n".join(lines), FIELD_VALUE_LIMIT)


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


def engine_status(enabled: bool, *, changed: bool) -> str:
    """What `/prompts engine` answers: who writes this server's new prompts."""
    if enabled:
        now = (
            "The language model writes this server's prompts, checked against the text; "
            "the engine's stand in for any that fail."
        )
        later = (
            "It writes the prompts of readings added from now on, and of sections you regenerate."
        )
    else:
        now = "The rule-based engine writes this server's prompts; no text is sent to the model."
        later = "Prompts the model already wrote stay until you regenerate them."
    return f"{now} {later}" if changed else now


def prompts_embed(
    section_title: str, prompts: list[PromptInfo], note: str | None = None
) -> discord.Embed:
    lines = []
    for p in prompts:
        tag = " · yours" if p.by_facilitator else (" · edited" if p.edited else "")
        if p.by_model and not p.edited:
            tag += " · by the model"
        lines.append(f"`#{p.id}` **{STAGE_LABELS[p.kind]}** ({p.kind}{tag})\n{inline(p.text, 600)}")
        if p.quote and not p.edited and not p.by_facilitator:
            lines.append(f"> “{inline(p.quote, 400)}” (¶{p.paragraph})")
    embed = discord.Embed(
        title=f"Prompts · {inline(section_title, 200)}",
        description=shorten("\n".join(lines), EMBED_DESCRIPTION_LIMIT)
        or "No prompts. Add one with `/prompts add`.",
        colour=discord.Colour.teal(),
    )
    if note:
        embed.set_footer(text=note)
    return embed


def removed_text(removed: ReadingSummary) -> str:
    """The answer to /reading remove."""
    return f"Removed “{inline(removed.title, 200)}”."


def prompt_removed_text(removed: PromptInfo) -> str:
    """The answer to /prompts remove."""
    return f"Removed prompt #{removed.id}: {inline(removed.text, 600)}"


def prompt_edited_text(edited: PromptInfo) -> str:
    """The answer to the Edit prompt modal."""
    return f"Prompt #{edited.id} now reads: {inline(edited.text, 600)}"
