"""The options members pick from a list or type by hand, shared by every feature.

An option offering an enum's members is annotated `Transform[Kind, EnumOption(labels)]`:
Discord lists the labels, and the command receives the member.

An id option is annotated with one of the `…Id` types below: Discord shows the autocomplete
list, and the command receives the id as an `int` (a section of a schedule as a
`SectionRef`, a prompt of a section as its position, a time zone as its IANA name). A value
that is not one ("twelve", "Mars/Base") stops the command before it runs, with the same kind,
private answer as any `UserError`.

    async def status(self, interaction, schedule: ScheduleId | None = None) -> None: ...
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import discord
from discord import app_commands

from bot.errors import UserError
from bot.exts.discord_limits import CHOICE_NAME_LIMIT, MAX_CHOICES
from bot.exts.interactions import services_of
from bot.exts.text import label
from bot.scheduling.cadence import CadenceError, zone, zone_suggestions

if TYPE_CHECKING:
    from bot.services.root import Services

Choices = list[app_commands.Choice[str]]
E = TypeVar("E", bound=StrEnum)
_SECTION = re.compile(r"^\s*(?:#?(?P<schedule>\d{1,18})\s*[:/]\s*)?#?(?P<position>\d{1,6})\s*$")


class BadOption(UserError, app_commands.AppCommandError):
    """An option value that is not what the list offers; the message says what to pick."""


def typed_id(value: str) -> int | None:
    """The id an autocomplete choice ("12") or a member ("#12") gives; None if it is none."""
    cleaned = value.strip().lstrip("#")
    # ASCII digits only: str.isdigit() takes "²", which int() refuses.
    ok = cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 18
    return int(cleaned) if ok else None


def searched(value: str) -> tuple[str, int | None]:
    """What a member typed into a list: the words a name should hold, and the id it gives
    (`typed_id`). "#" opens an id, as the choices show them ("#12 · …"), not a name."""
    return value.strip().lstrip("#"), typed_id(value)


def parse_id(value: str, what: str) -> int:
    """The id `value` gives (`typed_id`); refused with what to pick when it gives none."""
    found = typed_id(value)
    if found is None:
        raise BadOption(f"Pick a {what} from the list (or type its number).")
    return found


def chosen_ids(values: Sequence[str], what: str) -> list[int]:
    """The ids (or numbers) that the options chosen in a menu carry, each written by the bot
    ("12"). A value that is none, which only a forged request sends, is refused as a value
    typed by hand is (`what`: "option", "prompt"); whether an id is one the menu offered is
    checked where it is used, as a typed id is."""
    ids: list[int] = []
    for value in values:
        found = typed_id(value)
        if found is None:
            raise BadOption(f"Choose from the menu's {what}s.")
        ids.append(found)
    return ids


class SectionRef(NamedTuple):
    """A posted section: its schedule (None when typed without one) and its position."""

    schedule_id: int | None
    position: int


def parse_section(value: str) -> SectionRef:
    """A section chosen from the list ("2:3": schedule 2, section 3) or typed ("3", "#3")."""
    found = _SECTION.match(value)
    if found is None:
        raise BadOption("Pick a section from the list, or type its number (e.g. 3).")
    schedule = found["schedule"]
    return SectionRef(int(schedule) if schedule else None, int(found["position"]))


def _matching(found: list[tuple[int, str]], current: str, *, ids_shown: bool = True) -> Choices:
    """Choices "#id · name" whose name holds what was typed, or whose id it is; without
    `ids_shown`, choices "name" whose name holds what was typed (a member who sees no ids
    does not type one)."""
    words, wanted = searched(current) if ids_shown else (current.strip(), None)
    needle = words.lower()
    return [
        app_commands.Choice(
            name=label(f"#{i} · {name}" if ids_shown else name, CHOICE_NAME_LIMIT), value=str(i)
        )
        for i, name in found
        if not needle or needle in name.lower() or i == wanted
    ][:MAX_CHOICES]


class EnumOption(app_commands.Transformer, Generic[E]):
    """A choice of some of an enum's members, each listed by its label (its value when
    `labels` is a plain list); the choice carries the member's value, what the database
    stores. A label is read too: a Discord client that has not seen the commands synced yet
    may send what an older choice carried."""

    def __init__(self, labels: Mapping[E, str] | list[E]) -> None:
        self.labels: dict[E, str] = (
            dict(labels) if isinstance(labels, Mapping) else {m: m.value for m in labels}
        )
        self._members = {label: member for member, label in self.labels.items()}
        self._members.update({member.value: member for member in self.labels})

    @property
    def choices(self) -> Choices:  # type: ignore[override]  # a string option: str choices
        return [
            app_commands.Choice(name=label, value=member.value)
            for member, label in self.labels.items()
        ]

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> E:
        # Anything else (a command changed since) is refused as any value the option cannot
        # read.
        return self._members[str(value)]


class _IdOption(app_commands.Transformer):
    """An id picked from a server's list or typed; `listed` makes the list."""

    what = "item"

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> int:
        return parse_id(str(value), self.what)

    async def autocomplete(  # type: ignore[override]  # a string option: str in, str choices out
        self, interaction: discord.Interaction, value: str, /
    ) -> Choices:
        if interaction.guild_id is None:
            return []
        return await self.listed(services_of(interaction), interaction.guild_id, value)

    async def listed(self, services: Services, guild_id: int, value: str) -> Choices:
        raise NotImplementedError


class _ScheduleOption(_IdOption):
    what = "schedule"

    async def listed(self, services: Services, guild_id: int, value: str) -> Choices:
        found = await services.schedules.of_guild(guild_id)
        return _matching([(s.id, f"{s.reading_title} ({s.status})") for s in found], value)


class _ReadingOption(_IdOption):
    what = "reading"

    async def listed(self, services: Services, guild_id: int, value: str) -> Choices:
        found = await services.readings.available(guild_id)
        return _matching([(r.id, r.title) for r in found], value)


class _ReadingSectionOption(_IdOption):
    what = "section"

    async def listed(self, services: Services, guild_id: int, value: str) -> Choices:
        found = await services.readings.every_section(guild_id)
        named = [(s.id, f"{s.reading} · {s.position}. {s.title}") for s in found]
        return _matching(named, value, ids_shown=False)


class _TopicOption(_IdOption):
    what = "topic"

    async def listed(self, services: Services, guild_id: int, value: str) -> Choices:
        found = await services.votes.topics.guild_topics(guild_id)
        return _matching([(t.id, t.text) for t in found], value)


class _VoteOption(_IdOption):
    what = "vote"

    async def listed(self, services: Services, guild_id: int, value: str) -> Choices:
        found = await services.votes.list_votes(guild_id)
        return _matching([(v.id, f"{v.question} ({v.status})") for v in found], value)


class _PromptIdOption(_IdOption):
    """A prompt of any of the server's sections, by its id (as /prompts show lists it)."""

    what = "prompt"

    async def listed(self, services: Services, guild_id: int, value: str) -> Choices:
        found = await services.prompts.listed(guild_id, *searched(value), MAX_CHOICES)
        return [
            app_commands.Choice(
                name=label(f"#{p.id} · {p.section} · {p.text}", CHOICE_NAME_LIMIT), value=str(p.id)
            )
            for p in found
        ]


class _PostedSectionOption(app_commands.Transformer):
    async def transform(self, interaction: discord.Interaction, value: Any, /) -> SectionRef:
        return parse_section(str(value))

    async def autocomplete(  # type: ignore[override]  # a string option: str in, str choices out
        self, interaction: discord.Interaction, value: str, /
    ) -> Choices:
        service = services_of(interaction).reflections
        if interaction.guild_id is None:
            return []
        found = await service.targets.posted_sections(interaction.guild_id, value)
        several = len({s.schedule_id for s in found}) > 1
        return [
            app_commands.Choice(
                name=label(
                    f"{s.position}. {s.title} · {s.reading_title}"
                    + (f" (schedule #{s.schedule_id})" if several else ""),
                    CHOICE_NAME_LIMIT,
                ),
                value=f"{s.schedule_id}:{s.position}",
            )
            for s in found[:MAX_CHOICES]
        ]


class _PromptOption(app_commands.Transformer):
    """A prompt of the section chosen in the same command's `section` option (or of the
    section whose thread the command runs in), by its position ("2" or "#2"); the command
    checks that the section has it."""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> int:
        return parse_id(str(value), "prompt")

    async def autocomplete(  # type: ignore[override]  # a string option: str in, str choices out
        self, interaction: discord.Interaction, value: str, /
    ) -> Choices:
        service = services_of(interaction).reflections
        if interaction.guild_id is None:
            return []
        section = getattr(interaction.namespace, "section", None)
        try:
            schedule_id, position = parse_section(section) if section else (None, None)
            target = await service.targets.target(
                interaction.guild_id,
                user_id=interaction.user.id,
                schedule_id=schedule_id,
                position=position,
                channel_id=interaction.channel_id,
            )
        except UserError:
            return []
        found = [(p.position, f"{p.position}. {p.text}") for p in target.prompts]
        return _matching(found, value, ids_shown=False)


class _ZoneOption(app_commands.Transformer):
    """An IANA time zone picked from the list or typed; the command receives its name."""

    async def transform(self, interaction: discord.Interaction, value: Any, /) -> str:
        try:
            return zone(str(value)).key
        except CadenceError as exc:
            raise BadOption(exc.message, quoted=exc.quoted) from None

    async def autocomplete(  # type: ignore[override]  # a string option: str in, str choices out
        self, interaction: discord.Interaction, value: str, /
    ) -> Choices:
        return [app_commands.Choice(name=z, value=z) for z in zone_suggestions(value)]


# What a command's option is annotated with; the command receives the parsed value.
ScheduleId = app_commands.Transform[int, _ScheduleOption]
ReadingId = app_commands.Transform[int, _ReadingOption]
ReadingSectionId = app_commands.Transform[int, _ReadingSectionOption]
TopicId = app_commands.Transform[int, _TopicOption]
VoteId = app_commands.Transform[int, _VoteOption]
PostedSectionRef = app_commands.Transform[SectionRef, _PostedSectionOption]
PromptPosition = app_commands.Transform[int, _PromptOption]
PromptId = app_commands.Transform[int, _PromptIdOption]
TimeZone = app_commands.Transform[str, _ZoneOption]

# How commands describe these options (`@app_commands.describe(schedule=WHICH_SCHEDULE)`): a
# facilitator's commands speak of schedules, a member's of circles.
WHICH_SCHEDULE = "Which schedule, when the server has several"
WHICH_CIRCLE = "Which circle, when the server has several"
WHICH_SECTION = "The section (start typing its title)"
WHICH_PROMPT = "The prompt (start typing its words, or its id)"
