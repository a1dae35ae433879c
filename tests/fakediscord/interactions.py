"""INTERACTION_CREATE payloads built exactly as Discord sends them, and what the bot answered.

The builders read the fake's state: slash commands must have been synced by the bot (their
ids and option types come from what it registered), components must exist on a message the
bot sent, and modals are the ones the bot opened. Values a Discord client would never send
(an unknown option, a missing required field, a disabled button) raise `ValueError`.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakediscord.model import (
    ChannelType,
    FakeAttachment,
    FakeChannel,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeState,
    FakeUser,
    MessageFlags,
)

if TYPE_CHECKING:
    from tests.fakediscord.protocol import RecordedRequest
    from tests.fakediscord.server import FakeDiscord


class InteractionType:
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType:
    CHANNEL_MESSAGE = 4
    DEFERRED_CHANNEL_MESSAGE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class OptionType:
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


SELECT_TYPES = frozenset({3, 5, 6, 7, 8})
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024

User = FakeUser | FakeMember


@dataclass
class InteractionResult:
    """One interaction and everything the bot did to answer it (kept up to date)."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    user: FakeUser
    channel: FakeChannel
    source_message: FakeMessage | None = None
    created_at: float = field(default_factory=time.monotonic)
    callback_type: int | None = None
    callback_data: dict[str, Any] | None = None
    callback_status: int | None = None
    message: FakeMessage | None = None
    followups: list[FakeMessage] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    _fake: FakeDiscord | None = field(default=None, repr=False)

    @property
    def acknowledged(self) -> bool:
        return self.callback_status is not None and self.callback_status < 300

    @property
    def deferred(self) -> bool:
        return self.callback_type in (
            CallbackType.DEFERRED_CHANNEL_MESSAGE,
            CallbackType.DEFERRED_UPDATE_MESSAGE,
        )

    @property
    def flags(self) -> int:
        """The flags of the callback (4, 5, 7), else of the answer message."""
        if self.callback_data is not None and "flags" in self.callback_data:
            return int(self.callback_data["flags"] or 0)
        answer = self.answer
        return 0 if answer is None else answer.flags

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlags.EPHEMERAL)

    @property
    def answer(self) -> FakeMessage | None:
        """The first finished message the user sees: the response, else the first follow-up."""
        if self.message is not None and not self.message.loading:
            return self.message
        return self.followups[0] if self.followups else None

    @property
    def messages(self) -> list[FakeMessage]:
        """The response (if any) and all follow-ups, in order."""
        return ([self.message] if self.message is not None else []) + self.followups

    @property
    def content(self) -> str:
        return "" if self.answer is None else self.answer.content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        return [] if self.answer is None else self.answer.embeds

    @property
    def text(self) -> str:
        return "" if self.answer is None else self.answer.text

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (callback type 9): custom_id, title, components."""
        return self.callback_data if self.callback_type == CallbackType.MODAL else None

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        if self.callback_type != CallbackType.AUTOCOMPLETE_RESULT or self.callback_data is None:
            return None
        return list(self.callback_data.get("choices") or [])

    async def wait_for_followups(
        self,
        count: int = 1,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[FakeMessage]:
        """Wait until the bot has sent at least `count` follow-ups."""
        assert self._fake is not None
        await self._fake.wait_until(
            lambda: len(self.followups) >= count,
            timeout=timeout,
            what=f"{count} follow-up(s) to interaction {self.id}",
        )
        return self.followups

    async def wait_for_answer(self, *, timeout: float = 5.0) -> FakeMessage:  # noqa: ASYNC109
        """Wait until a deferred answer is filled in (original edited or first follow-up)."""
        assert self._fake is not None
        await self._fake.wait_until(
            lambda: self.answer is not None,
            timeout=timeout,
            what=f"an answer to interaction {self.id}",
        )
        assert self.answer is not None
        return self.answer


def user_of(user: User) -> FakeUser:
    """The Discord user `user` stands for: a member's user, or `user` itself."""
    return user.user if isinstance(user, FakeMember) else user


class InteractionBuilder:
    """Builds INTERACTION_CREATE payloads from the fake's state."""

    def __init__(self, state: FakeState) -> None:
        self.state = state

    # --- common ----------------------------------------------------------------------------

    def base(
        self,
        type: int,
        data: dict[str, Any],
        *,
        user: User,
        channel: FakeChannel,
        message: FakeMessage | None = None,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """The fields every interaction has, for `user` acting in `channel`."""
        state = self.state
        person = user_of(user)
        guild = state.guild_of(channel)
        payload: dict[str, Any] = {
            "id": str(state.snowflakes.next()),
            "application_id": str(state.application.id),
            "type": type,
            "data": data,
            "token": "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48),
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "app_permissions": str(state.permissions_in(channel, state.bot.id)),
            "channel_id": str(channel.id),
            "channel": channel.payload()
            | {"permissions": str(state.permissions_in(channel, person.id))},
        }
        if guild is not None:
            member = guild.members.get(person.id)
            if member is None:
                raise ValueError(f"{person.username} is not a member of {guild.name}")
            payload |= {
                "guild_id": str(guild.id),
                "guild": {
                    "id": str(guild.id),
                    "locale": guild.preferred_locale,
                    "features": guild.features,
                },
                "guild_locale": guild.preferred_locale,
                "member": member.payload()
                | {"permissions": str(state.permissions_in(channel, person.id))},
                "authorizing_integration_owners": {"0": str(guild.id)},
                "context": 0,
            }
        else:
            payload |= {
                "user": person.payload(),
                "authorizing_integration_owners": {"1": str(person.id)},
                "context": 1 if channel.type == ChannelType.DM else 2,
            }
        if message is not None:
            payload["message"] = message.payload()
        return payload

    # --- application commands --------------------------------------------------------------

    def find_command(self, name: str, channel: FakeChannel) -> tuple[dict[str, Any], int | None]:
        """A synced top-level command by name: the channel's guild commands first, then global."""
        for scope in (channel.guild_id, None):
            for command in self.state.commands.get(scope, {}).values():
                if command["name"] == name and command.get("type", 1) == 1:
                    return command, scope
        raise ValueError(
            f"/{name} is not registered with the fake Discord (did the bot sync its commands?)"
        )

    def command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: User,
        channel: FakeChannel,
        locale: str = "en-US",
    ) -> dict[str, Any]:
        """A slash command: `name` is the full path ("circle about"), `options` its values.

        Users, members, channels, roles and attachments may be passed as fake objects; they
        are sent as ids with a `resolved` section, as Discord does.
        """
        data, _ = self._command_data(name, options or {}, channel=channel, focused=None)
        return self.base(
            InteractionType.APPLICATION_COMMAND, data, user=user, channel=channel, locale=locale
        )

    def autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        *,
        focused: str,
        user: User,
        channel: FakeChannel,
    ) -> dict[str, Any]:
        """The autocomplete request sent while `user` types the `focused` option."""
        data, _ = self._command_data(name, options, channel=channel, focused=focused)
        return self.base(InteractionType.AUTOCOMPLETE, data, user=user, channel=channel)

    def _command_data(
        self, path: str, values: Mapping[str, Any], *, channel: FakeChannel, focused: str | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        words = path.split()
        command, scope = self.find_command(words[0], channel)
        resolved: dict[str, dict[str, Any]] = {}
        node = command
        chain: list[dict[str, Any]] = []
        for word in words[1:]:
            option = next(
                (o for o in node.get("options", []) if o["name"] == word and o["type"] in (1, 2)),
                None,
            )
            if option is None:
                raise ValueError(f"/{path}: {node['name']} has no subcommand {word!r}")
            chain.append(option)
            node = option
        if any(o["type"] in (1, 2) for o in node.get("options", [])):
            raise ValueError(f"/{path} is a group: name one of its subcommands")
        leaf = self._options(
            path, node, values, channel=channel, focused=focused, resolved=resolved
        )
        for option in reversed(chain):
            leaf = [{"type": option["type"], "name": option["name"], "options": leaf}]
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1}
        if leaf:
            data["options"] = leaf
        if scope is not None:
            data["guild_id"] = str(scope)
        if resolved and focused is None:
            data["resolved"] = resolved
        return data, command

    def _options(
        self,
        path: str,
        node: dict[str, Any],
        values: Mapping[str, Any],
        *,
        channel: FakeChannel,
        focused: str | None,
        resolved: dict[str, dict[str, Any]],
    ) -> list[dict[str, Any]]:
        declared = {o["name"]: o for o in node.get("options", [])}
        unknown = set(values) - set(declared)
        if unknown:
            raise ValueError(
                f"/{path} has no option(s) {sorted(unknown)}; it has {sorted(declared)}"
            )
        options = []
        for name, spec in declared.items():
            if name not in values:
                if spec.get("required") and focused is None:
                    raise ValueError(f"/{path}: option {name!r} is required")
                continue
            value = values[name]
            if name == focused:
                options.append(
                    {"type": spec["type"], "name": name, "value": str(value), "focused": True}
                )
                continue
            options.append(
                {
                    "type": spec["type"],
                    "name": name,
                    "value": self._option_value(path, spec, value, channel, resolved),
                }
            )
        return options

    def _option_value(
        self,
        path: str,
        spec: dict[str, Any],
        value: Any,
        channel: FakeChannel,
        resolved: dict[str, dict[str, Any]],
    ) -> Any:
        kind = spec["type"]
        choices = spec.get("choices")
        if choices and value not in [choice["value"] for choice in choices]:
            raise ValueError(f"/{path}: {value!r} is not one of the choices of {spec['name']!r}")
        if kind == OptionType.STRING:
            if not isinstance(value, str):
                raise ValueError(f"/{path}: option {spec['name']!r} takes a string")
            if len(value) < spec.get("min_length", 0) or len(value) > spec.get("max_length", 6000):
                raise ValueError(f"/{path}: {spec['name']!r} length is outside the allowed range")
            return value
        if kind in (OptionType.INTEGER, OptionType.NUMBER):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"/{path}: option {spec['name']!r} takes a number")
            if kind == OptionType.INTEGER and not isinstance(value, int):
                raise ValueError(f"/{path}: option {spec['name']!r} takes a whole number")
            low, high = spec.get("min_value"), spec.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(f"/{path}: {value} is outside {spec['name']!r}'s range")
            return value
        if kind == OptionType.BOOLEAN:
            return bool(value)
        if kind in (OptionType.USER, OptionType.MENTIONABLE) and isinstance(
            value, FakeUser | FakeMember
        ):
            self._resolve_user(user_of(value), channel, resolved)
            return str(user_of(value).id)
        if kind in (OptionType.ROLE, OptionType.MENTIONABLE) and isinstance(value, FakeRole):
            resolved.setdefault("roles", {})[str(value.id)] = value.payload()
            return str(value.id)
        if kind == OptionType.CHANNEL and isinstance(value, FakeChannel):
            allowed = spec.get("channel_types")
            if allowed and value.type not in allowed:
                raise ValueError(f"/{path}: {value.name!r} is not an allowed channel type")
            permissions = self.state.permissions_in(value, self.state.bot.id)
            resolved.setdefault("channels", {})[str(value.id)] = value.payload() | {
                "permissions": str(permissions)
            }
            return str(value.id)
        if kind == OptionType.ATTACHMENT and isinstance(value, FakeAttachment):
            resolved.setdefault("attachments", {})[str(value.id)] = value.payload() | {
                "ephemeral": True
            }
            return str(value.id)
        raise ValueError(f"/{path}: {value!r} does not fit option {spec['name']!r} (type {kind})")

    def _resolve_user(
        self, user: FakeUser, channel: FakeChannel, resolved: dict[str, dict[str, Any]]
    ) -> None:
        resolved.setdefault("users", {})[str(user.id)] = user.payload()
        guild = self.state.guild_of(channel)
        member = guild.members.get(user.id) if guild else None
        if member is not None:
            permissions = str(self.state.permissions_in(channel, user.id))
            data = member.payload(with_user=False) | {"permissions": permissions}
            resolved.setdefault("members", {})[str(user.id)] = data

    # --- message components ----------------------------------------------------------------

    def _component(
        self, message: FakeMessage, custom_id: str, kinds: frozenset[int]
    ) -> dict[str, Any]:
        component = message.component(custom_id)
        if component is None:
            raise ValueError(
                f"message {message.id} has no component {custom_id!r}; it has {message.custom_ids}"
            )
        if component.get("type") not in kinds:
            raise ValueError(f"component {custom_id!r} is of type {component.get('type')}")
        if component.get("disabled"):
            raise ValueError(
                f"component {custom_id!r} is disabled: Discord would not send the click"
            )
        return component

    def button(self, message: FakeMessage, custom_id: str, *, user: User) -> dict[str, Any]:
        """A click on the button `custom_id` of `message`."""
        component = self._component(message, custom_id, frozenset({2}))
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2}
        if "id" in component:
            data["id"] = component["id"]
        channel = self.state.channels[message.channel_id]
        return self.base(
            InteractionType.MESSAGE_COMPONENT, data, user=user, channel=channel, message=message
        )

    def select(
        self, message: FakeMessage, custom_id: str, values: Sequence[Any], *, user: User
    ) -> dict[str, Any]:
        """Choosing `values` in the select menu `custom_id` of `message`.

        String selects take option values; user, role, mentionable and channel selects take
        fake objects (sent as ids with `resolved`).
        """
        component = self._component(message, custom_id, SELECT_TYPES)
        channel = self.state.channels[message.channel_id]
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        data.update(self._select_values(component, values, channel))
        if "id" in component:
            data["id"] = component["id"]
        return self.base(
            InteractionType.MESSAGE_COMPONENT, data, user=user, channel=channel, message=message
        )

    def _select_values(
        self, component: dict[str, Any], values: Sequence[Any], channel: FakeChannel
    ) -> dict[str, Any]:
        low, high = component.get("min_values", 1), component.get("max_values", 1)
        if not low <= len(values) <= high:
            raise ValueError(f"select {component.get('custom_id')!r} takes {low} to {high} values")
        if component["type"] == 3:
            allowed = [option["value"] for option in component.get("options", [])]
            wrong = [value for value in values if value not in allowed]
            if wrong:
                raise ValueError(
                    f"{wrong} are not options of {component.get('custom_id')!r}: {allowed}"
                )
            return {"values": list(values)}
        resolved: dict[str, dict[str, Any]] = {}
        ids = []
        for value in values:
            if isinstance(value, FakeUser | FakeMember):
                self._resolve_user(user_of(value), channel, resolved)
                ids.append(str(user_of(value).id))
            elif isinstance(value, FakeRole):
                resolved.setdefault("roles", {})[str(value.id)] = value.payload()
                ids.append(str(value.id))
            elif isinstance(value, FakeChannel):
                permissions = self.state.permissions_in(value, self.state.bot.id)
                resolved.setdefault("channels", {})[str(value.id)] = value.payload() | {
                    "permissions": str(permissions)
                }
                ids.append(str(value.id))
            else:
                raise ValueError(f"{value!r} is not a user, role or channel")
        return {"values": ids, "resolved": resolved}

    # --- modals ----------------------------------------------------------------------------

    def modal_submit(
        self,
        modal: dict[str, Any],
        values: Mapping[str, Any],
        *,
        user: User,
        channel: FakeChannel,
        message: FakeMessage | None = None,
    ) -> dict[str, Any]:
        """Submitting `modal` (as the bot sent it) with `values` by custom_id.

        Text inputs take strings, selects and checkbox groups lists, checkboxes booleans,
        radio groups one value. Rows (type 1) carry `components`; labels (type 18) carry
        `component`, as Discord sends them.
        """
        unknown = set(values) - {c["custom_id"] for c in _modal_inputs(modal["components"])}
        if unknown:
            raise ValueError(f"modal {modal['custom_id']!r} has no input(s) {sorted(unknown)}")
        resolved: dict[str, dict[str, Any]] = {}
        components = [self._submitted(c, values, channel, resolved) for c in modal["components"]]
        data: dict[str, Any] = {"custom_id": modal["custom_id"], "components": components}
        if resolved:
            data["resolved"] = resolved
        return self.base(
            InteractionType.MODAL_SUBMIT, data, user=user, channel=channel, message=message
        )

    def _submitted(
        self,
        component: dict[str, Any],
        values: Mapping[str, Any],
        channel: FakeChannel,
        resolved: dict[str, dict[str, Any]],
    ) -> dict[str, Any]:
        kind = component["type"]
        out: dict[str, Any] = {"type": kind}
        if "id" in component:
            out["id"] = component["id"]
        if kind == 1:
            out["components"] = [
                self._submitted(c, values, channel, resolved)
                for c in component.get("components", [])
            ]
        elif kind == 18:
            out["component"] = self._submitted(component["component"], values, channel, resolved)
        elif kind == 4:
            value = values.get(component["custom_id"], component.get("value") or "")
            if not isinstance(value, str):
                raise ValueError(f"text input {component['custom_id']!r} takes a string")
            if component.get("required", True) and not value:
                raise ValueError(f"text input {component['custom_id']!r} is required")
            if value and not component.get("min_length", 0) <= len(value) <= component.get(
                "max_length", 4000
            ):
                raise ValueError(
                    f"text input {component['custom_id']!r}: length {len(value)} is out of range"
                )
            out |= {"custom_id": component["custom_id"], "value": value}
        elif kind in SELECT_TYPES:
            chosen = values.get(component["custom_id"], [])
            picked = self._select_values(
                component
                | {
                    "min_values": component.get("min_values", 1)
                    if component.get("required", True)
                    else 0
                },
                chosen,
                channel,
            )
            resolved_part = picked.pop("resolved", {})
            for key, items in resolved_part.items():
                resolved.setdefault(key, {}).update(items)
            out |= {"custom_id": component["custom_id"], "component_type": kind} | picked
        elif kind == 21:
            out |= {
                "custom_id": component["custom_id"],
                "value": values.get(component["custom_id"]),
            }
        elif kind == 22:
            out |= {
                "custom_id": component["custom_id"],
                "values": list(values.get(component["custom_id"], [])),
            }
        elif kind == 23:
            out |= {
                "custom_id": component["custom_id"],
                "value": bool(values.get(component["custom_id"], False)),
            }
        return out


def _modal_inputs(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for component in components:
        if "custom_id" in component and component.get("type") != 1:
            found.append(component)
        found.extend(_modal_inputs(component.get("components", [])))
        if isinstance(component.get("component"), dict):
            found.extend(_modal_inputs([component["component"]]))
    return found
