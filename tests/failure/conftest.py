"""Failure tests: the bot killed mid-post, Discord failing, the database away, hostile input.

The ones that start `python -m bot run` as a process are marked `e2e` in their modules. The
others drive the scheduler, so their `bot` (`clocked_bot`) runs on the fake clock.
"""

from tests.clocked import clocked_bot
from tests.e2e.conftest import bot_env, process_database_url, start_bot

__all__ = ["bot_env", "clocked_bot", "process_database_url", "start_bot"]
