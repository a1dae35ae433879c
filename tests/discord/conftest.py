"""Discord contract tests run the real bot against the fake Discord (tests/fakediscord)."""

from tests.fakediscord.fixtures import *  # noqa: F403
