"""Text and embeds for reflections: safe echoes of members' words, digests, lists, exports.

Members' words are shown only through `bot.exts.text` (`block` for a reflection, `inline`
for titles and lines), and every piece is cut to Discord's limits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import discord

from bot.errors import utc_moment
from bot.exts.discord_limits import (
    AUTHOR_NAME_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
)
from bot.exts.text import (
    block,
    channel_mention,
    close_fences,
    inline,
    jump_url,
    label,
    plural,
    shorten,
    timestamp,
)
from bot.services.digests import DigestPlan, DigestRequest, DigestState
from bot.services.reflections import (
    REFLECTIONS,
    ReflectionInfo,
    Summary,
    Target,
    Visibility,
)
from bot.services.section_posts import NOTHING_POSTED

COLOUR = discord.Colour.blurple()

VISIBILITY_LABELS: dict[Visibility, str] = {
    Visibility.PRIVATE: "Only me",
    Visibility.AFTER_CLOSE: "The circle, after the section closes",
    Visibility.NOW: "The circle, now",
}
VISIBILITY_HINTS: dict[Visibility, str] = {
    Visibility.PRIVATE: "Private: no one else, not even facilitators",
    Visibility.AFTER_CLOSE: "Revealed in the section's thread by its digest",
    Visibility.NOW: "Posted in the section's thread under your name",
}

# What forgetting a member's reflections means, said after their count in /forget-me's
# confirmation (`bot.exts.features.MemberDataNotes`).
FORGET_NOTES = {REFLECTIONS: "private or shared; shared ones are removed from their threads"}


def section_name(reflection: ReflectionInfo | Target) -> str:
    if isinstance(reflection, Target):
        return f"{reflection.position}. {reflection.section_title}"
    return f"{reflection.section_position}. {reflection.section_title}"


# -- a reflection ------------------------------------------------------------------------


def reflection_footer_prefix(reflection_id: int) -> str:
    """How every embed showing the reflection begins its footer (how a lost message is found)."""
    return f"Reflection #{reflection_id} · "


def reflection_embed(reflection: ReflectionInfo) -> discord.Embed:
    """A shared reflection as the circle sees it, under its author's name."""
    embed = discord.Embed(
        description=block(reflection.text),
        colour=COLOUR,
        timestamp=reflection.created_at,
    )
    embed.set_author(
        name=label(reflection.author_name or "A member of the circle", AUTHOR_NAME_LIMIT)
    )
    if reflection.prompt_text:
        embed.title = inline(f"On: {reflection.prompt_text}", EMBED_TITLE_LIMIT)
    footer = f"{reflection_footer_prefix(reflection.id)}section {section_name(reflection)}"
    if reflection.edited:
        footer += " · edited"
    embed.set_footer(text=shorten(footer, FOOTER_LIMIT))
    return embed


def fit_embeds(embeds: list[discord.Embed]) -> list[discord.Embed]:
    """Shorten the longest descriptions until the embeds fit in one message (6,000)."""
    while sum(len(e) for e in embeds) > EMBED_TOTAL_LIMIT:
        longest = max(embeds, key=lambda e: len(e.description or ""))
        excess = sum(len(e) for e in embeds) - EMBED_TOTAL_LIMIT
        text = longest.description or ""
        if not text:
            break
        longest.description = close_fences(
            shorten(text.removesuffix("\n```"), max(1, len(text) - excess - 8))
        )
    return embeds


def pack(reflections: Sequence[ReflectionInfo]) -> list[list[ReflectionInfo]]:
    """Reflections grouped into messages: at most 10 embeds and 6,000 characters each."""
    parts: list[list[ReflectionInfo]] = []
    size = 0
    for reflection in reflections:
        length = len(reflection_embed(reflection))
        if parts and len(parts[-1]) < EMBEDS_PER_MESSAGE and size + length <= EMBED_TOTAL_LIMIT:
            parts[-1].append(reflection)
            size += length
        else:
            parts.append([reflection])
            size = length
    return parts


def message_embeds(reflections: Sequence[ReflectionInfo]) -> list[discord.Embed]:
    """The embeds of a message showing `reflections` (its own, or a part of a digest)."""
    return fit_embeds([reflection_embed(v) for v in reflections[:EMBEDS_PER_MESSAGE]])


def audience(reflection: ReflectionInfo, *, posted: bool) -> str:
    """Who can read the reflection, in a sentence."""
    if reflection.visibility == Visibility.PRIVATE:
        return "Only you can read it: not other members, not facilitators."
    if reflection.visibility == Visibility.AFTER_CLOSE and reflection.revealed_at is None:
        return (
            "Only you, until the section closes: then its digest reveals it in the section's "
            "thread under your name."
        )
    closed = reflection.visibility == Visibility.AFTER_CLOSE
    if posted:
        where = "The section has closed, so it" if closed else "It"
        return f"The circle can read it. {where} is posted in the section's thread under your name."
    if closed:
        return (
            "The circle may read it, but I couldn't post it in the section's thread just now. "
            "Edit it later to try again."
        )
    return (
        "The circle may read it, but I couldn't post it in the section's thread just now: "
        "the section's digest will show it."
    )


def saved_embed(reflection: ReflectionInfo, *, posted: bool, edited: bool = False) -> discord.Embed:
    """The private confirmation: what was saved and who can read it."""
    embed = discord.Embed(
        title="Reflection updated" if edited else "Reflection saved",
        description=block(reflection.text, 1500),
        colour=COLOUR,
    )
    embed.add_field(
        name="Section",
        value=inline(f"{section_name(reflection)} · {reflection.reading_title}", FIELD_VALUE_LIMIT),
        inline=False,
    )
    if reflection.prompt_text:
        embed.add_field(
            name="Prompt", value=inline(reflection.prompt_text, FIELD_VALUE_LIMIT), inline=False
        )
    who = f"**{VISIBILITY_LABELS[reflection.visibility]}.** {audience(reflection, posted=posted)}"
    embed.add_field(name="Who can read it", value=who, inline=False)
    link = jump_url(reflection.guild_id, reflection.channel_id, reflection.message_id)
    if link and reflection.shared:
        embed.add_field(name="Posted", value=f"[In the thread]({link})", inline=False)
    embed.set_footer(text=f"Reflection #{reflection.id} · /reflections mine to edit or delete it")
    return embed


def new_modal_title(target: Target) -> str:
    """The title of the modal /reflect opens."""
    return f"Reflect on {section_name(target)}"


def edit_modal_title(reflection_id: int) -> str:
    """The title of the modal an Edit button opens."""
    return f"Edit your reflection #{reflection_id}"


def saved_text(reflection: ReflectionInfo, *, edited: bool = False) -> str:
    verb = "Updated" if edited else "Saved"
    return f"{verb} your reflection on section {inline(section_name(reflection), 200)}."


# -- /reflections mine --------------------------------------------------------------------


def mine_embed(reflections: Sequence[ReflectionInfo], index: int) -> discord.Embed:
    """One of the member's reflections, in full, as page `index` of their list."""
    if not reflections:
        return discord.Embed(
            title="Your reflections",
            description="You have no reflections in this server. Write one with `/reflect` "
            "or the Reflect button on a section post.",
            colour=COLOUR,
        )
    reflection = reflections[index]
    embed = discord.Embed(
        title=inline(f"{reflection.reading_title} · {section_name(reflection)}", EMBED_TITLE_LIMIT),
        description=block(reflection.text),
        colour=COLOUR,
        timestamp=reflection.created_at,
    )
    if reflection.prompt_text:
        embed.add_field(
            name="Prompt", value=inline(reflection.prompt_text, FIELD_VALUE_LIMIT), inline=False
        )
    status = VISIBILITY_LABELS[reflection.visibility]
    if reflection.visibility == Visibility.AFTER_CLOSE:
        status += (
            f" (revealed {timestamp(reflection.revealed_at, 'd')})"
            if reflection.revealed_at
            else " (waiting for the close)"
        )
    link = jump_url(reflection.guild_id, reflection.channel_id, reflection.message_id)
    if link and reflection.shared:
        status += f" · [posted]({link})"
    embed.add_field(name="Who can read it", value=status, inline=False)
    edited = " · edited" if reflection.edited else ""
    embed.set_footer(
        text=f"Reflection #{reflection.id}{edited} · {index + 1} of {len(reflections)}"
    )
    return embed


def deleted_text(reflection_id: int) -> str:
    """The note above the list once a reflection is deleted from it."""
    return f"Deleted your reflection #{reflection_id}."


def delete_prompt_embed(reflection: ReflectionInfo) -> discord.Embed:
    embed = discord.Embed(
        title="Delete this reflection?",
        description=block(reflection.text, 1000),
        colour=discord.Colour.red(),
    )
    gone = "It is removed from the thread too." if reflection.shared else "This cannot be undone."
    embed.set_footer(text=f"Reflection #{reflection.id} · {gone}")
    return embed


# -- /reflections summary -----------------------------------------------------------------


def summary_embed(summary: Summary) -> discord.Embed:
    """Counts for facilitators. There is no text of anyone's reflection to show here."""
    lines = []
    for s in summary.sections:
        if not s.reflections:
            lines.append(f"**{inline(f'{s.position}. {s.title}', 120)}**: no reflections")
            continue
        lines.append(
            f"**{inline(f'{s.position}. {s.title}', 120)}**: {s.reflections} by "
            f"{plural(s.authors, 'member')} · {s.shared} shared · {s.waiting} to reveal at the "
            f"close · {s.private} private"
        )
    if not lines:
        lines.append(NOTHING_POSTED)
    where = (
        f"section {summary.section_position}"
        if summary.section_position is not None
        else f"schedule #{summary.schedule_id}"
    )
    embed = discord.Embed(
        title=inline(f"Reflections · {summary.reading_title} · {where}", EMBED_TITLE_LIMIT),
        description=shorten("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
        colour=COLOUR,
    )
    if summary.prompts:
        value = "\n".join(
            f"{p.reflections} · "
            + (f"{p.position}. " if p.position is not None else "")
            + inline(p.text, 150)
            for p in summary.prompts[:10]
        )
        embed.add_field(name="By prompt", value=shorten(value, FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(text="Counts only: reflections are read where their authors shared them.")
    return embed


# -- the digest ---------------------------------------------------------------------------


def digest_request_text(guild_id: int, status: DigestRequest) -> str:
    """The answer to /digest: posted already (with a link), being posted, or on its way."""
    name = inline(f"{status.position}. {status.section_title}", 200)
    if status.state == DigestState.POSTED:
        link = jump_url(guild_id, status.channel_id, status.message_id)
        return f"The digest of section {name} was posted already" + (f": {link}" if link else ".")
    if status.state == DigestState.POSTING:
        return f"The digest of section {name} is being posted right now."
    where = f" {channel_mention(status.channel_id)}" if status.channel_id else " its thread"
    return f"Section {name} is closed: its digest is on its way to{where}."


def digest_title(plan: DigestPlan) -> str:
    return inline(
        f"Section {plan.position} of {plan.total_sections} closes: {plan.section_title}",
        EMBED_TITLE_LIMIT,
    )


def digest_footer(plan: DigestPlan) -> str:
    return f"Digest · schedule #{plan.schedule_id} · section {plan.position}"


def digest_embed(
    plan: DigestPlan, *, votes: Sequence[str], meeting: Sequence[str]
) -> discord.Embed:
    """The digest: how many reflected and read, what is revealed, top prompts, the vote."""
    if plan.reflections:
        shown, people = plural(plan.authors, "member").split(" ", 1)  # the count in bold
        lines = [
            f"**{shown}** {people} reflected on this section "
            f"({plural(plan.reflections, 'reflection')})."
        ]
    else:
        lines = ["Nobody wrote a reflection on this section."]
    if plan.members:
        lines.append(f"**{plan.read}** of {plan.members} members marked it read.")
    if plan.revealed:
        revealed = len(plan.revealed)
        lines.append(
            f"{plural(revealed, 'reflection was', 'reflections were')} kept for the close: "
            + ("it follows below." if revealed == 1 else "they follow below.")
        )
    if plan.shared_before:
        lines.append(f"{plan.shared_before} shared earlier in this thread.")
    embed = discord.Embed(title=digest_title(plan), description="\n".join(lines), colour=COLOUR)
    embed.set_author(name=label(plan.reading_title, AUTHOR_NAME_LIMIT))
    if plan.top_prompts:
        value = "\n".join(
            f"{t.position}. {inline(t.text, 250)} · {t.reflections}" for t in plan.top_prompts
        )
        embed.add_field(
            name="Prompts answered most", value=shorten(value, FIELD_VALUE_LIMIT), inline=False
        )
    if votes:
        value = "\n".join(inline(line, 500) for line in votes)
        embed.add_field(name="Vote", value=shorten(value, FIELD_VALUE_LIMIT), inline=False)
    if meeting:
        value = "\n".join(inline(line, 500) for line in meeting)
        embed.add_field(name="Meeting", value=shorten(value, FIELD_VALUE_LIMIT), inline=False)
    embed.set_footer(text=digest_footer(plan))
    return embed


def digest_part_header(plan: DigestPlan, number: int, parts: int) -> str:
    """The line above each message of revealed reflections (also how a retry finds them)."""
    of = f" ({number} of {parts})" if parts > 1 else ""
    return f"-# Reflections revealed at the close of section {plan.position}{of}"


def is_digest_part_header(plan: DigestPlan, content: str) -> bool:
    """Whether `content` is the header of one of this digest's parts, however many it had."""
    head = digest_part_header(plan, 1, 1)
    return content == head or (content.startswith(f"{head} (") and content.endswith(")"))


# -- export -------------------------------------------------------------------------------


def export_markdown(reflections: Sequence[ReflectionInfo], guild_name: str, now: datetime) -> str:
    """The member's own reflections as a Markdown document, in reading order.

    A file, read outside Discord, where a `<t:…>` timestamp would show as typed: its moments
    are written plainly in UTC (`utc_moment`), and its text is the member's own, as written."""
    lines = [
        f"# My reflections · {guild_name}",
        "",
        f"Exported from Study Circle on {utc_moment(now)}: "
        f"{plural(len(reflections), 'reflection')}.",
    ]
    heading = None
    for reflection in reflections:
        current = f"{reflection.reading_title} · {section_name(reflection)}"
        if current != heading:
            lines += ["", f"## {current}"]
            heading = current
        written = utc_moment(reflection.created_at)
        lines += ["", f"### {written} · {VISIBILITY_LABELS[reflection.visibility]}"]
        if reflection.edited:
            lines += ["", f"*Edited {utc_moment(reflection.updated_at)}.*"]
        if reflection.prompt_text:
            lines += ["", f"> **Prompt:** {' '.join(reflection.prompt_text.split())}"]
        lines += ["", reflection.text.strip()]
    return "\n".join(lines) + "\n"


def export_text(count: int) -> str:
    """The answer to /reflections export, above the file."""
    return f"Your {plural(count, 'reflection')}, for your own keeping."


def export_filename(guild_name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", guild_name.lower()).strip("-")[:40] or "server"
    return f"reflections-{slug}.md"
