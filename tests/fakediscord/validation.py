"""Discord's documented limits, checked the way Discord checks them (400, code 50035).

The same checks serve the fake's routes and the contract tests that walk the bot's command
tree, so a limit is written down once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tests.fakediscord.model import MessageFlags

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
CUSTOM_ID_MAX = 100
ACTION_ROWS_MAX = 5
ROW_BUTTONS_MAX = 5
SELECT_OPTIONS_MAX = 25
COMPONENTS_V2_MAX = 40
MODAL_TITLE_MAX = 45
MODAL_COMPONENTS_MAX = 5
TEXT_INPUT_MAX = 4000
AUTOCOMPLETE_CHOICES_MAX = 25
THREAD_NAME_MAX = 100
GLOBAL_COMMANDS_MAX = 100
COMMAND_NAME_MAX = 32
COMMAND_DESCRIPTION_MAX = 100
COMMAND_OPTIONS_MAX = 25
COMMAND_CHOICES_MAX = 25
COMMAND_TOTAL_CHARS_MAX = 4000
NAME_PUNCTUATION = "-_'"
THREAD_ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)


@dataclass
class Problems:
    """Collects errors keyed by path and renders Discord's nested `errors` object."""

    items: list[tuple[tuple[str | int, ...], str, str]] = field(default_factory=list)

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        self.items.append((path, code, message))

    def too_long(self, path: tuple[str | int, ...], value: object, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def length_between(
        self, path: tuple[str | int, ...], value: object, low: int, high: int
    ) -> None:
        if not isinstance(value, str) or not low <= len(value) <= high:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {low} and {high} in length.")

    def too_many(self, path: tuple[str | int, ...], values: object, limit: int) -> None:
        if isinstance(values, list) and len(values) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def __bool__(self) -> bool:
        return bool(self.items)

    def errors(self) -> dict[str, Any]:
        root: dict[str, Any] = {}
        for path, code, message in self.items:
            node = root
            for key in path:
                node = node.setdefault(str(key), {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        return root

    def messages(self) -> list[str]:
        return [".".join(map(str, path)) + f": {message}" for path, _code, message in self.items]


# --- messages -------------------------------------------------------------------------------


def _embed_chars(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for item in embed.get("fields") or []:
        total += len(item.get("name") or "") + len(item.get("value") or "")
    return total


def check_embeds(problems: Problems, embeds: list[dict[str, Any]]) -> None:
    problems.too_many(("embeds",), embeds, EMBEDS_MAX)
    for index, embed in enumerate(embeds):
        where = ("embeds", index)
        problems.too_long((*where, "title"), embed.get("title"), 256)
        problems.too_long((*where, "description"), embed.get("description"), 4096)
        problems.too_long((*where, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048)
        problems.too_long((*where, "author", "name"), (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        problems.too_many((*where, "fields"), fields, 25)
        for number, item in enumerate(fields):
            problems.length_between((*where, "fields", number, "name"), item.get("name"), 1, 256)
            problems.length_between((*where, "fields", number, "value"), item.get("value"), 1, 1024)
    if sum(_embed_chars(embed) for embed in embeds) > EMBED_TOTAL_MAX:
        problems.add(
            ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"
        )


def _check_button(problems: Problems, where: tuple[str | int, ...], button: dict[str, Any]) -> None:
    problems.too_long((*where, "label"), button.get("label"), 80)
    if button.get("style") in (5, 6):  # link and premium buttons carry no custom_id
        return
    custom_id = button.get("custom_id")
    if not custom_id:
        problems.add((*where, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
    problems.too_long((*where, "custom_id"), custom_id, CUSTOM_ID_MAX)


def _check_select(problems: Problems, where: tuple[str | int, ...], select: dict[str, Any]) -> None:
    problems.length_between((*where, "custom_id"), select.get("custom_id"), 1, CUSTOM_ID_MAX)
    problems.too_long((*where, "placeholder"), select.get("placeholder"), 150)
    for key in ("min_values", "max_values"):
        value = select.get(key)
        if value is not None and not 0 <= value <= SELECT_OPTIONS_MAX:
            problems.add((*where, key), "NUMBER_TYPE_MAX", "int value should be between 0 and 25.")
    if select.get("type") == 3:
        options = select.get("options") or []
        if not 1 <= len(options) <= SELECT_OPTIONS_MAX:
            problems.add(
                (*where, "options"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."
            )
        for number, option in enumerate(options):
            problems.length_between(
                (*where, "options", number, "label"), option.get("label"), 1, 100
            )
            problems.length_between(
                (*where, "options", number, "value"), option.get("value"), 1, 100
            )
            problems.too_long(
                (*where, "options", number, "description"), option.get("description"), 100
            )


def check_components(problems: Problems, components: list[dict[str, Any]], flags: int) -> None:
    """Legacy action rows, or the components-v2 layout when the message flag says so."""
    seen: set[str] = set()
    for component in _walk(components):
        custom_id = component.get("custom_id")
        if custom_id:
            if custom_id in seen:
                problems.add(
                    ("components",),
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    f"custom_id {custom_id!r} is duplicated",
                )
            seen.add(custom_id)
    if flags & MessageFlags.IS_COMPONENTS_V2:
        if sum(1 for _ in _walk(components)) > COMPONENTS_V2_MAX:
            problems.add(("components",), "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
        for index, component in enumerate(_walk(components)):
            if component.get("type") == 2:
                _check_button(problems, ("components", index), component)
            elif component.get("type") in (3, 5, 6, 7, 8):
                _check_select(problems, ("components", index), component)
        return
    problems.too_many(("components",), components, ACTION_ROWS_MAX)
    for row_index, row in enumerate(components):
        where: tuple[str | int, ...] = ("components", row_index)
        if row.get("type") != 1:
            problems.add(
                (*where, "type"),
                "UNION_TYPE_CHOICES",
                "Only action rows are allowed at the top level",
            )
            continue
        children = row.get("components") or []
        if not 1 <= len(children) <= ROW_BUTTONS_MAX:
            problems.add(
                (*where, "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
            )
        selects = [c for c in children if c.get("type") in (3, 5, 6, 7, 8)]
        if selects and len(children) > 1:
            problems.add(
                (*where, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "A select menu fills its row",
            )
        for index, child in enumerate(children):
            if child.get("type") == 2:
                _check_button(problems, (*where, "components", index), child)
            elif child.get("type") in (3, 5, 6, 7, 8):
                _check_select(problems, (*where, "components", index), child)


def _walk(components: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(component.get(key), dict):
                yield from _walk([component[key]])


def check_allowed_mentions(problems: Problems, allowed: dict[str, Any] | None) -> None:
    if not allowed:
        return
    parse = allowed.get("parse") or []
    for kind in ("users", "roles"):
        if kind in parse and allowed.get(kind):
            problems.add(
                ("allowed_mentions", kind),
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )
        problems.too_many(("allowed_mentions", kind), allowed.get(kind), 100)


def check_message(payload: dict[str, Any], *, file_count: int = 0) -> tuple[Problems, bool]:
    """Problems with a message body, and whether it is empty (Discord's 50006)."""
    problems = Problems()
    content = payload.get("content") or ""
    problems.too_long(("content",), content, CONTENT_MAX)
    embeds = payload.get("embeds") or []
    check_embeds(problems, embeds)
    components = payload.get("components") or []
    flags = payload.get("flags") or 0
    check_components(problems, components, flags)
    if flags & MessageFlags.IS_COMPONENTS_V2 and (content or embeds):
        problems.add(
            ("content",),
            "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
            "content and embeds cannot be used with components v2",
        )
    check_allowed_mentions(problems, payload.get("allowed_mentions"))
    empty = not (
        content
        or embeds
        or components
        or file_count
        or payload.get("sticker_ids")
        or payload.get("poll")
    )
    return problems, empty


# --- interaction responses -------------------------------------------------------------------


def _check_text_input(
    problems: Problems, where: tuple[str | int, ...], text_input: dict[str, Any]
) -> None:
    problems.length_between((*where, "custom_id"), text_input.get("custom_id"), 1, CUSTOM_ID_MAX)
    problems.too_long((*where, "label"), text_input.get("label"), MODAL_TITLE_MAX)
    problems.too_long((*where, "placeholder"), text_input.get("placeholder"), 100)
    problems.too_long((*where, "value"), text_input.get("value"), TEXT_INPUT_MAX)
    for key, low in (("min_length", 0), ("max_length", 1)):
        value = text_input.get(key)
        if value is not None and not low <= value <= TEXT_INPUT_MAX:
            problems.add(
                (*where, key), "NUMBER_TYPE_MAX", f"int value should be between {low} and 4000."
            )


def check_modal(data: dict[str, Any]) -> Problems:
    problems = Problems()
    problems.length_between(("data", "title"), data.get("title"), 1, MODAL_TITLE_MAX)
    problems.length_between(("data", "custom_id"), data.get("custom_id"), 1, CUSTOM_ID_MAX)
    components = data.get("components") or []
    if not 1 <= len(components) <= MODAL_COMPONENTS_MAX:
        problems.add(
            ("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
        )
    for index, component in enumerate(components):
        where: tuple[str | int, ...] = ("data", "components", index)
        kind = component.get("type")
        if kind == 1:
            children = component.get("components") or []
            if len(children) != 1:
                problems.add((*where, "components"), "BASE_TYPE_BAD_LENGTH", "Must be 1 in length.")
            for number, child in enumerate(children):
                if child.get("type") == 4:
                    _check_text_input(problems, (*where, "components", number), child)
        elif kind == 18:
            problems.length_between((*where, "label"), component.get("label"), 1, MODAL_TITLE_MAX)
            problems.too_long((*where, "description"), component.get("description"), 100)
            inner = component.get("component") or {}
            if inner.get("type") == 4:
                _check_text_input(problems, (*where, "component"), inner)
            elif inner.get("type") in (3, 5, 6, 7, 8):
                _check_select(problems, (*where, "component"), inner)
        elif kind != 10:
            problems.add(
                (*where, "type"),
                "UNION_TYPE_CHOICES",
                f"Component type {kind} is not allowed in a modal",
            )
    return problems


def check_choices(data: dict[str, Any]) -> Problems:
    problems = Problems()
    choices = data.get("choices") or []
    problems.too_many(("data", "choices"), choices, AUTOCOMPLETE_CHOICES_MAX)
    for index, choice in enumerate(choices):
        problems.length_between(("data", "choices", index, "name"), choice.get("name"), 1, 100)
        problems.too_long(("data", "choices", index, "value"), choice.get("value"), 100)
    return problems


# --- application commands --------------------------------------------------------------------


def _valid_name(name: object, *, lowercase: bool) -> bool:
    if not isinstance(name, str) or not 1 <= len(name) <= COMMAND_NAME_MAX:
        return False
    if lowercase and name != name.lower():
        return False
    return all(char.isalnum() or char in NAME_PUNCTUATION for char in name)


def _command_chars(item: dict[str, Any]) -> int:
    total = len(item.get("name", "")) + len(item.get("description", ""))
    for choice in item.get("choices") or []:
        total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    for option in item.get("options") or []:
        total += _command_chars(option)
    return total


def _check_options(
    problems: Problems, where: tuple[str | int, ...], options: list[dict[str, Any]], depth: int
) -> None:
    problems.too_many((*where, "options"), options, COMMAND_OPTIONS_MAX)
    names: set[str] = set()
    seen_optional = False
    kinds = {option.get("type") for option in options}
    if kinds & {1, 2} and kinds - {1, 2}:
        problems.add(
            (*where, "options"),
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Subcommands cannot be mixed with other options",
        )
    for index, option in enumerate(options):
        at = (*where, "options", index)
        name = option.get("name")
        if not _valid_name(name, lowercase=True):
            problems.add(
                (*at, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                f"Command name is invalid: {name!r}",
            )
        if name in names:
            problems.add(
                (*at, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(str(name))
        problems.length_between(
            (*at, "description"), option.get("description"), 1, COMMAND_DESCRIPTION_MAX
        )
        kind = option.get("type")
        if kind == 2 and depth > 0:
            problems.add(
                (*at, "type"), "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Groups cannot be nested"
            )
        if kind in (1, 2):
            _check_options(problems, at, option.get("options") or [], depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                problems.add(
                    (*at, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        problems.too_many((*at, "choices"), choices, COMMAND_CHOICES_MAX)
        if choices and option.get("autocomplete"):
            problems.add(
                (*at, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set with choices",
            )
        for number, choice in enumerate(choices):
            problems.length_between((*at, "choices", number, "name"), choice.get("name"), 1, 100)
            problems.too_long((*at, "choices", number, "value"), choice.get("value"), 100)


def check_command(command: dict[str, Any], *, where: tuple[str | int, ...] = ()) -> Problems:
    """Discord's limits for one application command's JSON."""
    problems = Problems()
    kind = command.get("type", 1)
    name = command.get("name")
    if kind == 1:
        valid = _valid_name(name, lowercase=True)
    else:
        valid = isinstance(name, str) and 1 <= len(name) <= COMMAND_NAME_MAX
    if not valid:
        problems.add(
            (*where, "name"),
            "APPLICATION_COMMAND_INVALID_NAME",
            f"Command name is invalid: {name!r}",
        )
    if kind == 1:
        problems.length_between(
            (*where, "description"), command.get("description"), 1, COMMAND_DESCRIPTION_MAX
        )
        _check_options(problems, where, command.get("options") or [], 0)
        if _command_chars(command) > COMMAND_TOTAL_CHARS_MAX:
            problems.add(
                where, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)"
            )
    elif command.get("description"):
        problems.add(
            (*where, "description"),
            "APPLICATION_COMMAND_DESCRIPTION_INVALID",
            "Context menu commands have no description",
        )
    return problems


def check_command_list(commands: list[dict[str, Any]]) -> Problems:
    """Limits for a bulk overwrite: each command, unique names per type, 100 slash commands."""
    problems = Problems()
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        problems.items.extend(check_command(command, where=(index,)).items)
        key = (command.get("type", 1), str(command.get("name")))
        if key in seen:
            problems.add(
                (index, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {key[1]}",
            )
        seen.add(key)
    if sum(1 for command in commands if command.get("type", 1) == 1) > GLOBAL_COMMANDS_MAX:
        problems.add((), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer slash commands.")
    for kind in (2, 3):
        if sum(1 for command in commands if command.get("type") == kind) > 15:
            problems.add(
                (), "BASE_TYPE_MAX_LENGTH", "Must be 15 or fewer context menu commands of a type."
            )
    return problems
