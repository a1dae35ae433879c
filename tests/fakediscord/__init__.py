"""A fake Discord on loopback for testing the real bot, and the pytest fixtures that use it.

- `server.FakeDiscord`: the server, its request log, fault injection and the interaction API.
- `rest` and `gateway`: the REST routes and the gateway it speaks.
- `model`: the world it keeps (guilds, channels, threads, roles, members, messages).
- `interactions`: INTERACTION_CREATE builders and `InteractionResult`.
- `validation`: Discord's limits, shared by the routes and the contract tests.
- `fixtures`: `fake_discord`, `bot_settings`, `bot`, `running_bot`, `make_settings`.

See README.md beside this file for how feature tests use it.
"""

from tests.fakediscord.gateway import Intent
from tests.fakediscord.interactions import (
    CallbackType,
    InteractionBuilder,
    InteractionResult,
    InteractionType,
)
from tests.fakediscord.model import (
    ChannelType,
    DefaultWorld,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
    MessageFlags,
    Overwrite,
    Perm,
)
from tests.fakediscord.protocol import DiscordError, RecordedRequest
from tests.fakediscord.server import FakeDiscord

__all__ = [
    "CallbackType",
    "ChannelType",
    "DefaultWorld",
    "DiscordError",
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeMessage",
    "FakeRole",
    "FakeUser",
    "Intent",
    "InteractionBuilder",
    "InteractionResult",
    "InteractionType",
    "MessageFlags",
    "Overwrite",
    "Perm",
    "RecordedRequest",
]
