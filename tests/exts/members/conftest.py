"""This folder's tests drive the scheduler: their `bot` runs on the fake clock."""

from tests.clocked import clocked_bot

__all__ = ["clocked_bot"]  # the fixture `bot`, on the fake clock
