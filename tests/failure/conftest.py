"""Failure tests: the bot killed mid-post, Discord failing, the database away, hostile input.

The ones that start `python -m bot run` as a process are marked `e2e` in their modules.
"""

from tests.e2e.conftest import bot_env, process_database_url, start_bot
from tests.fakediscord.fixtures import *  # noqa: F403

__all__ = ["bot_env", "process_database_url", "start_bot"]
