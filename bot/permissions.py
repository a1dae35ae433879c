"""The Discord permissions the bot asks for when invited, and the invite URL.

One list, kept as data: every feature that needs a permission names it here, with the reason.
The bit values are Discord's; a contract test checks them against discord.py's flags.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import urlencode

OAUTH2_AUTHORIZE_URL = "https://discord.com/oauth2/authorize"
INVITE_SCOPES = ("bot", "applications.commands")


@dataclass(frozen=True)
class Permission:
    """One Discord permission: its discord.py flag name, its bit, and why the bot needs it."""

    name: str
    bit: int
    reason: str

    @property
    def value(self) -> int:
        return 1 << self.bit


INVITE_PERMISSIONS: tuple[Permission, ...] = (
    Permission("view_channel", 10, "see the channels and forums a circle posts in"),
    Permission("send_messages", 11, "post sections, prompts, digests and vote results"),
    Permission("embed_links", 14, "post messages with embeds"),
    Permission("attach_files", 15, "attach a section's full text or a digest as a file"),
    Permission("read_message_history", 16, "find its earlier posts in a channel or thread"),
    Permission("mention_everyone", 17, "ping the circle role on section posts"),
    Permission("manage_roles", 28, "create the circle role and give it to members who join"),
    Permission("manage_events", 33, "announce each discussion meeting as a Discord event"),
    Permission("manage_threads", 34, "add members to section threads, archive finished ones"),
    Permission("create_public_threads", 35, "open a thread or forum post per section"),
    Permission("send_messages_in_threads", 38, "post the full text and replies in threads"),
)


def permissions_value(permissions: tuple[Permission, ...] = INVITE_PERMISSIONS) -> int:
    """The permission integer Discord expects in the invite URL."""
    value = 0
    for permission in permissions:
        value |= permission.value
    return value


def invite_url(client_id: int, permissions: tuple[Permission, ...] = INVITE_PERMISSIONS) -> str:
    """The OAuth2 URL that adds the bot to a server with its commands and permissions."""
    query = urlencode(
        {
            "client_id": client_id,
            "scope": " ".join(INVITE_SCOPES),
            "permissions": permissions_value(permissions),
        }
    )
    return f"{OAUTH2_AUTHORIZE_URL}?{query}"


def application_id_from_token(token: str) -> int | None:
    """The bot's user id, read offline from its token, or None when the token has no such part.

    A bot token's first dot-separated part is the base64 of the bot user's id, which for
    every bot created since 2017 is also the application (client) id.
    """
    first = token.strip().split(".", 1)[0]
    if not first:
        return None
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdigit() else None
