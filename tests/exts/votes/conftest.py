"""This folder's tests drive the scheduler and read live tallies: their `bot` runs on the fake
clock, with vote messages refreshed at every ballot."""

from tests.clocked import clocked_bot_with_instant_tallies

__all__ = ["clocked_bot_with_instant_tallies"]  # the fixture `bot`, on the fake clock
