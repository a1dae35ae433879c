"""What the fake's HTTP side is made of: recorded requests and Discord-shaped errors."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakediscord.validation import Problems


class DiscordError(Exception):
    """An error answer in Discord's shape: `{"message", "code", "errors"?}`."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        *,
        errors: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.body = body if body is not None else {"message": message, "code": code}
        if errors:
            self.body["errors"] = errors
        self.headers = dict(headers or {})


def invalid_form_body(problems: Problems) -> DiscordError:
    return DiscordError(400, 50035, "Invalid Form Body", errors=problems.errors())


def missing_permissions() -> DiscordError:
    return DiscordError(403, 50013, "Missing Permissions")


@dataclass
class UploadedFile:
    field_name: str
    filename: str
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the fake received, with its answer."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    files: list[UploadedFile]
    route: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    status: int = 0
    response: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def unknown_route(self) -> bool:
        return self.route is None

    def __str__(self) -> str:
        return f"{self.method} {self.path} → {self.status}"


@dataclass
class CommandSync:
    """A bulk overwrite of commands: `guild_id` None is the global scope."""

    guild_id: int | None
    commands: list[dict[str, Any]]


def path_regex(template: str) -> re.Pattern[str]:
    """`/channels/{channel_id}/messages` → a regex matching concrete paths, with groups."""
    parts = re.split(r"(\{[a-z_]+\})", template)
    pattern = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(pattern)


class Reply:
    """An answer a route handler gives: status, JSON body (None for 204) and headers."""

    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
