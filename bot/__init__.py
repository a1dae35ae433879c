"""Study Circle: a Discord bot for reading and discussion groups."""

__version__ = "0.1.0"
