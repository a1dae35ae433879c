"""Failure tests: the bot killed mid-post, Discord failing, the database away, hostile input.

The ones that start `python -m bot run` as a process are marked `e2e` in their modules; they
start and kill it many times over, so each start is forked from a process that has imported
the bot already (`forked_bot`, tests/e2e/forkserver.py). The others drive the scheduler, so
their `bot` (`clocked_bot`, taken here) runs on the fake clock.
"""

from tests.clocked import clocked_bot
from tests.e2e.conftest import bot_env, fork_server, forked_bot, process_database_url

__all__ = ["bot_env", "clocked_bot", "fork_server", "forked_bot", "process_database_url"]
