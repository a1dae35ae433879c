"""Every command the bot registers fits Discord's limits, whatever features are loaded.

The tree is walked, so commands added by later features are checked without new tests.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from discord import app_commands

from bot.app import StudyCircleBot, create_bot, find_extensions
from bot.settings import Settings
from tests.fakediscord.validation import check_command, check_command_list

DEFAULT_DESCRIPTION = "…"  # what discord.py uses when a command has no docstring
GUILD_CONTEXT = 0  # Discord's interaction context type for a server
FOR_DIRECT_MESSAGES: set[str] = set()  # the commands meant for direct messages: none


@pytest.fixture
async def loaded_bot(bot_settings: Settings) -> AsyncIterator[StudyCircleBot]:
    """The bot with every extension loaded, without connecting anywhere."""
    bot = create_bot(bot_settings, sync_on_start=False)
    async with bot:
        for name in find_extensions():
            await bot.load_extension(name)
        yield bot


def _options(item: dict[str, Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for option in item.get("options") or []:
        where = f"{path} {option['name']}"
        yield where, option
        yield from _options(option, where)


async def test_every_extension_is_found() -> None:
    assert {"bot.exts.errors", "bot.exts.meta"} <= set(find_extensions())


async def test_every_command_is_guild_only_by_the_trees_default_alone(
    loaded_bot: StudyCircleBot,
) -> None:
    """No command is meant for direct messages, and none says "guild only" a second way."""
    payload = await loaded_bot.command_payload()
    assert payload
    elsewhere = {c["name"] for c in payload if c.get("contexts") != [GUILD_CONTEXT]}
    assert elsewhere == FOR_DIRECT_MESSAGES
    said_again = [
        command.qualified_name
        for command in loaded_bot.tree.walk_commands()
        if getattr(command, "guild_only", False) or command.allowed_contexts is not None
    ]
    assert not said_again


async def test_every_command_is_within_discord_limits(loaded_bot: StudyCircleBot) -> None:
    payload = await loaded_bot.command_payload()
    assert payload, "the bot registers no commands"

    problems = check_command_list(payload).messages()
    for command in payload:
        problems += [f"/{command['name']}: {p}" for p in check_command(command).messages()]
    assert not problems, "\n".join(problems)


async def test_every_command_and_option_is_described(loaded_bot: StudyCircleBot) -> None:
    """Discord shows discord.py's placeholder "…" when a description is missing."""
    missing = []
    for command in await loaded_bot.command_payload():
        if command.get("type", 1) != 1:
            continue
        if command["description"] == DEFAULT_DESCRIPTION:
            missing.append(f"/{command['name']}")
        for where, option in _options(command, f"/{command['name']}"):
            if option.get("description") == DEFAULT_DESCRIPTION:
                missing.append(where)
    assert not missing, "no description (use a docstring or @app_commands.describe): " + ", ".join(
        missing
    )


def test_the_checks_catch_what_discord_refuses() -> None:
    long_name = {"name": "x" * 33, "description": "d", "type": 1}
    upper = {"name": "About", "description": "d", "type": 1}
    many_options = {
        "name": "many",
        "description": "d",
        "options": [{"name": f"o{i}", "description": "d", "type": 3} for i in range(26)],
    }
    choices = {
        "name": "pick",
        "description": "d",
        "options": [
            {
                "name": "what",
                "description": "d",
                "type": 3,
                "choices": [{"name": f"c{i}", "value": f"v{i}"} for i in range(26)],
            }
        ],
    }
    order = {
        "name": "order",
        "description": "d",
        "options": [
            {"name": "a", "description": "d", "type": 3},
            {"name": "b", "description": "d", "type": 3, "required": True},
        ],
    }
    long_description = {"name": "ok", "description": "d" * 101}
    for bad in (long_name, upper, many_options, choices, order, long_description):
        assert check_command(bad), bad
    assert check_command_list([{"name": "same", "description": "d"}] * 2)
    assert not check_command({"name": "fine-name", "description": "A fine command"})


async def test_every_command_is_named_in_the_readme(loaded_bot: StudyCircleBot) -> None:
    """A member or facilitator looking up a command finds it in the README, on its own
    (`/reading add file:`) or among its group's (`/schedule status|list|pause`)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")

    def described(command: app_commands.Command[Any, ..., Any]) -> bool:
        group = f"{command.parent.qualified_name} " if command.parent else ""
        name = re.escape(command.name)
        return re.search(rf"`/{re.escape(group)}(?:[\w-]+\|)*{name}[`| ]", readme) is not None

    missing = [
        f"/{command.qualified_name}"
        for command in loaded_bot.tree.walk_commands()
        if isinstance(command, app_commands.Command) and not described(command)
    ]
    assert not missing
