"""Answering an interaction, the one way every handler does it: who is asking, the work
awaited in time (`when_ready`), the answer (`reply` or `update`), and a failure answered
privately (`report_interaction_error`, `@reports_errors`).

Who: `guild_member` and `guild_id_of` give the guild and member behind an interaction (a
direct message is refused as discord.py refuses a guild-only command), and
`@facilitator_only` lets facilitators through. A button, menu, modal or transformer reaches
the services with `services_of`, and its feature's cog through the feature's `OwnCog`; a cog
has the services as `self.bot.services`. Handlers take a plain `discord.Interaction`, as
discord.py's components call them (for any `Client`); `bot_of` is the one typed way from an
interaction to the `StudyCircleBot` that received it.

In time: Discord wants an interaction acknowledged within 3 s. Deferring ("thinking…") at
once is always safe, but it costs a second request for the answer; when a whole server
clicks at once, that second request is a large part of the bot's work. So a handler awaits
its work through `when_ready`: if the work is done soon after Discord created the
interaction, the answer is the acknowledgement; if not (a slow database, a long queue of
events), the interaction is deferred while the work goes on, and the answer goes as a
follow-up (or, for `update`, as an edit of the message). The interaction's age comes from
its snowflake and the host's clock (kept right by NTP).

A handler that starts late tells the bot it is behind a queue of events: then every
interaction still waiting on the direct path is deferred at once too, before the deferrals of
the events queued behind it, rather than by its own timer, which a loop that busy fires late.
And while deferrals are on their way, follow-ups wait (a few seconds at most): an answer may
come up to 15 minutes after its acknowledgement, an acknowledgement only within 3 s.

    receipt = await when_ready(interaction, service.ballots.cast(...))
    await reply(interaction, render.receipt_text(receipt))

A component that changes its own message passes `edit=True` and answers with `update`. A
modal is the one answer that cannot wait: it must be the first response (it cannot follow a
defer), so before `interaction.response.send_modal` a handler does at most one quick read
(one service call, one read session: no write, no batch, no Discord request); the submission
checks everything again. The state (what waits, what is on its way) is the bot's
`answers`, an `Answers` built with the bot.

Modals: every feature's modal is a `DynamicModal`, as its buttons are `DynamicItem`s: the
modal's custom_id says what it writes (a `template`), and its submission is answered from the
interaction alone, by a handler built from the custom_id's match and given the values the
member submitted. discord.py keeps no modal object for it, so every member's submission is
answered, however many opened the same modal and whether or not the bot restarted meanwhile.
A feature's cog lists its handlers in its `dynamic_items`, beside its persistent buttons, and
the bot registers them on its `modals` (a `Modals`) at start; `on_interaction` there is the one
listener that answers submitted modals.

Failures: a slash command's failure reaches `report_interaction_error` through the command
tree (the `errors` extension installs it there); a component's callback is wrapped in
`@reports_errors`, and `Modals` reports a modal handler's failure the same way. A
member's mistake (`UserError`, a failed check, a bad option value) gets a clear message and
nothing alarming in the log. A database that is locked or out of reach for a moment gets a
"try again" message and a warning in the log: the transaction was rolled back, so nothing
half-written stays. The log says where and who, and the kind of error: never the text of a
database error (it holds the statement's values) nor of a member's mistake (it can quote
what they typed). Anything else is a bug: it is logged with a short error id, and the member
sees that id so a facilitator can find the log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import re
import secrets
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, ParamSpec, Self, TypeVar, cast

import discord
from discord import app_commands
from discord.ext import commands

from bot.db.error_text import database_unavailable, summary
from bot.errors import UserError
from bot.exts.discord_limits import CONTENT_LIMIT, UNKNOWN_INTERACTION
from bot.exts.text import inline, listed, role_mention, shorten, timestamp
from bot.reading.text import ECHO_CHARS

if TYPE_CHECKING:
    from bot.app import StudyCircleBot
    from bot.services.root import Services

log = logging.getLogger(__name__)


# -- who is asking ------------------------------------------------------------------------


class NotFacilitator(UserError, app_commands.CheckFailure):
    """The member lacks the facilitator role and Manage Server; the message says so."""


async def _facilitator(interaction: discord.Interaction) -> tuple[bool, int | None]:
    """Whether the member facilitates, and the guild's facilitator role when it was read."""
    guild, member = guild_member(interaction)
    if member.guild_permissions.manage_guild:
        return True, None
    role_id = await services_of(interaction).guilds.facilitator_role(guild.id)
    return role_id is not None and any(role.id == role_id for role in member.roles), role_id


async def is_facilitator(interaction: discord.Interaction) -> bool:
    """Whether the member has Manage Server or the guild's facilitator role (set with /circle
    facilitator-role); outside a guild, `NoPrivateMessage` is raised."""
    allowed, _ = await _facilitator(interaction)
    return allowed


async def require_facilitator(interaction: discord.Interaction) -> bool:
    """True for a facilitator; anyone else gets `NotFacilitator`, whose message says who may.
    `@facilitator_only`'s check, and what a modal submitted later asks again."""
    allowed, role_id = await _facilitator(interaction)
    if not allowed:
        raise NotFacilitator(
            "Only facilitators can do this: members with Manage Server"
            + (f" or the {role_mention(role_id)} role." if role_id else ".")
        )
    return True


facilitator_only = app_commands.check(require_facilitator)


def guild_id_of(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


def guild_member(interaction: discord.Interaction) -> tuple[discord.Guild, discord.Member]:
    """The guild and the member behind a guild interaction."""
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        raise app_commands.NoPrivateMessage()
    return interaction.guild, interaction.user


# -- what a component reaches -------------------------------------------------------------

CogT = TypeVar("CogT", bound=commands.Cog)


def bot_of(interaction: discord.Interaction) -> StudyCircleBot:
    """The bot that received `interaction`."""
    # Every interaction reaches this code through a StudyCircleBot, but discord.py calls a
    # component's callback with `Interaction[ClientT]` for any Client, so the type of
    # `interaction.client` cannot say so: it is said here, once.
    return cast("StudyCircleBot", interaction.client)


def services_of(interaction: discord.Interaction) -> Services:
    """The bot's services, as buttons, menus, modals and transformers reach them (a cog has
    them as `self.bot.services`)."""
    return bot_of(interaction).services


class OwnCog(Generic[CogT]):
    """A feature's own cog, as its buttons, menus and modals reach it (`of`), typed.

    The components' module declares it, `VOTES_COG: OwnCog[VotesCog] = OwnCog()`, and the
    cog class holds it, `own = views.VOTES_COG`, which binds it to that class: `of` finds the
    loaded cog by the class's own name, so no string is kept in step with `name=`, and the
    components need not import the cog's module (which imports them).
    """

    def __init__(self) -> None:
        self._cog: type[CogT] | None = None

    def __set_name__(self, owner: type[CogT], name: str) -> None:
        if self._cog is not None:
            raise TypeError(f"Only one cog class may hold this OwnCog ({self._cog.__name__})")
        self._cog = owner

    def of(self, where: discord.Interaction | discord.Client) -> CogT:
        """The cog of the bot that received the interaction (or of the bot given); a
        `UserError` while it is not loaded."""
        client = where.client if isinstance(where, discord.Interaction) else where
        kind = self._cog
        if kind is None:
            raise TypeError("No cog class holds this OwnCog: give it to one as an attribute")
        # AutoShardedBot does not subclass Bot: both have `get_cog`, from BotBase.
        cog = None
        if isinstance(client, commands.Bot | commands.AutoShardedBot):
            cog = client.get_cog(kind.__cog_name__)
        if cog is None:
            raise UserError(
                f"{kind.__cog_name__} are not available right now; try again in a minute."
            )
        # Found by name, not checked with isinstance: loading an extension again (as every
        # bot of a test run does) imports its modules afresh, so the loaded cog's class may be
        # a copy of `kind`, the same in all but identity.
        return cast(CogT, cog)


# -- the answer, in time ------------------------------------------------------------------

T = TypeVar("T")

# An interaction this old when its handler starts is acknowledged at once: the bot is behind
# (a burst of events queued ahead of it), so its answer would come late too, and a deferral
# left to the timer below would fire late on a loop that busy.
ANSWER_IF_YOUNGER = 0.6
# The latest moment, after the interaction's creation, to defer while the work goes on. Well
# inside Discord's 3 s: a busy event loop fires the deferral late, and the deferral's own
# request takes time to reach Discord.
DEFER_AT = 1.0
# Interactions being answered directly at once, at most. Past this the bot is in a burst it
# cannot answer within the limit anyway: the rest are acknowledged first, while their
# acknowledgements can still go out in time.
MAX_DIRECT = 1000
# The longest a follow-up waits for the deferrals on their way to go out first.
FOLLOW_UPS_WAIT = 5.0


def age(interaction: discord.Interaction) -> float:
    """Seconds since Discord created the interaction (never negative, whatever the clocks)."""
    return max(0.0, (discord.utils.utcnow() - interaction.created_at).total_seconds())


class Answers:
    """One bot's interactions being answered: those on the direct path (each with its
    deferral, to be called at most once), the deferrals on their way, the follow-ups waiting."""

    def __init__(self) -> None:
        self.waiting: dict[int, Callable[[], None]] = {}
        self.deferring = 0
        self.follow_ups: list[asyncio.Future[None]] = []

    async def when_ready(
        self,
        interaction: discord.Interaction,
        work: Awaitable[T],
        *,
        edit: bool = False,
    ) -> T:
        """The result of `work`, deferring the interaction first unless it is done in time."""
        started = age(interaction)
        if started >= ANSWER_IF_YOUNGER or len(self.waiting) >= MAX_DIRECT:
            self.defer_waiting()
            try:
                await self._defer(interaction, edit)
            except BaseException:
                if inspect.iscoroutine(work):
                    # Nothing is done for an interaction that could not be acknowledged.
                    work.close()
                raise
            return await work
        deferring: list[asyncio.Task[Any]] = []

        def defer() -> None:
            timer.cancel()
            self.waiting.pop(interaction.id, None)
            deferring.append(self._defer(interaction, edit))

        # A timer rather than a task for the work: the usual case, done in time, costs no more.
        timer = asyncio.get_running_loop().call_later(DEFER_AT - started, defer)
        self.waiting[interaction.id] = defer
        try:
            return await work
        finally:
            if self.waiting.pop(interaction.id, None) is not None:
                timer.cancel()
            if deferring:
                await deferring[0]  # the answer must follow the acknowledgement

    def defer_waiting(self) -> None:
        """Defer every interaction on the direct path now: the bot is behind."""
        for defer in list(self.waiting.values()):
            defer()

    def _defer(self, interaction: discord.Interaction, edit: bool) -> asyncio.Task[Any]:
        self.deferring += 1
        # Private "thinking…": a follow-up keeps its deferral's visibility, so every answer is
        # private; what is meant for everyone is sent to the channel, not as an answer.
        acknowledge = (
            interaction.response.defer()
            if edit
            else interaction.response.defer(ephemeral=True, thinking=True)
        )
        task = asyncio.ensure_future(acknowledge)
        task.add_done_callback(self._deferred)
        return task

    def _deferred(self, _: object) -> None:
        self.deferring -= 1
        if self.deferring == 0:
            for waiting in self.follow_ups:
                if not waiting.done():
                    waiting.set_result(None)
            self.follow_ups.clear()

    async def after_deferrals(self) -> None:
        """Wait until no deferral is on its way (or FOLLOW_UPS_WAIT has passed)."""
        if self.deferring == 0:
            return
        waiting = asyncio.get_running_loop().create_future()
        self.follow_ups.append(waiting)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiting, FOLLOW_UPS_WAIT)

    async def reply(
        self, interaction: discord.Interaction, content: str | None = None, **kwargs: Any
    ) -> None:
        """Answer privately with a message: as the response, or as a follow-up once deferred."""
        if interaction.response.is_done():
            await self.after_deferrals()
            await interaction.followup.send(
                content or discord.utils.MISSING, ephemeral=True, **kwargs
            )
        else:
            await interaction.response.send_message(content, ephemeral=True, **kwargs)

    async def update(self, interaction: discord.Interaction, **kwargs: Any) -> None:
        """Answer a component by editing its message: as the response, or once deferred."""
        if interaction.response.is_done():
            await self.after_deferrals()
            await interaction.edit_original_response(**kwargs)
        else:
            await interaction.response.edit_message(**kwargs)


def answers_of(interaction: discord.Interaction) -> Answers:
    """The `Answers` of the bot that received `interaction`."""
    return bot_of(interaction).answers


async def when_ready(
    interaction: discord.Interaction,
    work: Awaitable[T],
    *,
    edit: bool = False,
) -> T:
    """The result of `work`, deferring the interaction first unless it is done in time;
    `edit=True` for a component whose answer edits its own message (see `update`)."""
    return await answers_of(interaction).when_ready(interaction, work, edit=edit)


async def reply(
    interaction: discord.Interaction, content: str | None = None, **kwargs: Any
) -> None:
    """Answer `interaction` with a message only the member sees; a message for everyone goes
    to the channel (`channel.send`), not as an answer."""
    await answers_of(interaction).reply(interaction, content, **kwargs)


async def update(interaction: discord.Interaction, **kwargs: Any) -> None:
    """Answer a component by editing the message it is on (content, embed, view…)."""
    await answers_of(interaction).update(interaction, **kwargs)


# -- a failure, answered privately --------------------------------------------------------

OUT_OF_SYNC = (
    "This command changed since Discord last heard about it. Try again in a minute; "
    "if it keeps happening, tell whoever runs the bot."
)
DATABASE_BUSY = "The database is busy right now; please try again in a moment."


def new_error_id() -> str:
    """A short id that ties what the member sees to one log line."""
    return secrets.token_hex(4)


def unexpected_error_message(error_id: str) -> str:
    return (
        f"Something went wrong on my side, sorry. It was logged as error `{error_id}`: "
        "mention that id if you ask for help."
    )


def _permissions(permissions: list[str]) -> str:
    """ "the Manage Server permission", "the Embed Links and Attach Files permissions"."""
    names = [p.replace("_", " ").replace("guild", "server").title() for p in permissions]
    return f"the {listed(names)} permission{'' if len(names) == 1 else 's'}"


def unwrap(error: BaseException) -> BaseException:
    """The exception the command's code raised, without discord.py's wrapper."""
    if isinstance(error, app_commands.CommandInvokeError):
        return error.original
    return error


def expired(error: BaseException) -> bool:
    """Whether Discord refused an answer because the interaction expired (3 s unacknowledged)."""
    error = unwrap(error)
    return isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION


def _echoed(text: str) -> str:
    """What a member wrote, as an error message repeats it: one line with no markdown and no
    mentions, at most ECHO_CHARS characters."""
    return inline(text, ECHO_CHARS)


def user_message(error: BaseException) -> str | None:
    """What to tell the member about an expected error, or None when the error is a bug."""
    error = unwrap(error)
    if isinstance(error, UserError):
        return error.user_message(lambda moment: timestamp(moment, "F"), _echoed)
    if database_unavailable(error):
        return DATABASE_BUSY
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need {_permissions(error.missing_permissions)} to do this."
    if isinstance(error, app_commands.BotMissingPermissions):
        return (
            f"I need {_permissions(error.missing_permissions)} here. A server admin can grant "
            f"{'it' if len(error.missing_permissions) == 1 else 'them'} to my role."
        )
    if isinstance(error, app_commands.MissingRole | app_commands.MissingAnyRole):
        return "You need a role you do not have to do this."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand “{_echoed(str(error.value))}” for this option."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return OUT_OF_SYNC
    if isinstance(error, discord.Forbidden):
        return (
            "Discord didn't let me do that: I'm missing a permission in this channel. "
            "A server admin can check my role's permissions."
        )
    return None


async def send_private(interaction: discord.Interaction, content: str) -> None:
    """Answer `interaction` with an ephemeral message, whether or not it was answered yet.

    A message that echoes a very long value the member typed is cut to fit Discord's limit.
    """
    content = shorten(content, CONTENT_LIMIT)
    try:
        await reply(interaction, content)
    except discord.HTTPException as exc:
        # Most often the interaction expired (10062) before we could answer.
        log.warning("Could not show an error message to the user: %s", exc)


def _where(interaction: discord.Interaction) -> str:
    data: Mapping[str, object] = interaction.data or {}
    if interaction.command is not None:
        what = f"/{interaction.command.qualified_name}"
    elif "custom_id" in data:
        # Only the component's kind: the rest of a custom_id can carry a ballot's choice,
        # which next to the user id would link a member to a secret vote.
        kind = ":".join(str(data["custom_id"]).split(":")[:2])
        what = f"component {kind!r}"
    else:
        what = f"interaction type {interaction.type.name}"
    user = interaction.user.id if interaction.user else None
    return f"{what} (guild {interaction.guild_id}, channel {interaction.channel_id}, user {user})"


async def report_interaction_error(
    interaction: discord.Interaction, error: BaseException
) -> str | None:
    """Tell the member what went wrong; log bugs with an id. Returns the error id for bugs.

    The command tree's error handler, `reports_errors`' and `Modals`'.
    """
    if expired(error):
        # Nothing reaches the member any more, and a bot this far behind has no time for a
        # traceback and a second answer that Discord would refuse the same way.
        log.warning("Interaction expired before it was answered in %s", _where(interaction))
        return None
    message = user_message(error)
    if message is not None:
        if message == OUT_OF_SYNC:
            log.warning("Out-of-sync command in %s: %s", _where(interaction), error)
        elif message == DATABASE_BUSY:
            log.warning(
                "Database unavailable in %s: %s", _where(interaction), summary(unwrap(error))
            )
        else:
            log.debug("User error in %s: %s", _where(interaction), type(unwrap(error)).__name__)
        await send_private(interaction, message)
        return None
    error_id = new_error_id()
    original = unwrap(error)
    log.error(
        "Unexpected error %s in %s",
        error_id,
        _where(interaction),
        exc_info=(type(original), original, original.__traceback__),
    )
    await send_private(interaction, unexpected_error_message(error_id))
    return error_id


P = ParamSpec("P")


def dynamic_view(*items: discord.ui.DynamicItem[Any]) -> discord.ui.View:
    """A message's components, each a `DynamicItem` the bot dispatches from its custom_id:
    the view is stopped, so discord.py keeps nothing of it in memory."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view


def reports_errors(
    callback: Callable[P, Awaitable[None]],
) -> Callable[P, Coroutine[Any, Any, None]]:
    """Answer the member when a component callback fails, as the command tree does for
    commands.

    discord.py only logs an exception raised in a `DynamicItem` callback, so without this the
    member would watch "thinking…" until the interaction expires. Decorate the callback::

        @reports_errors
        async def callback(self, interaction): ...
    """

    @functools.wraps(callback)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        interaction = next(a for a in args if isinstance(a, discord.Interaction))
        try:
            await callback(*args, **kwargs)
        except Exception as error:
            await report_interaction_error(interaction, error)

    return wrapper


# -- modals -------------------------------------------------------------------------------


class ModalValues:
    """What a member submitted in a modal, by each component's custom_id: text inputs in
    action rows or labels, and menus."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self._values: dict[str, Any] = {}
        self._read(data.get("components") or [])

    def _read(self, components: Sequence[Mapping[str, Any]]) -> None:
        for component in components:
            if "custom_id" in component:
                self._values[component["custom_id"]] = component.get(
                    "values", component.get("value")
                )
            self._read(component.get("components") or [])  # an action row
            if isinstance(component.get("component"), Mapping):  # a label
                self._read([component["component"]])

    def text(self, custom_id: str) -> str:
        """A text input's value ("" when the member left it out)."""
        value = self._values.get(custom_id)
        return value if isinstance(value, str) else ""

    def choices(self, custom_id: str) -> list[str]:
        """A menu's chosen values (none when the member chose none)."""
        value = self._values.get(custom_id)
        return [str(v) for v in value] if isinstance(value, list) else []


class DynamicModal(ABC):
    r"""A modal answered from its custom_id, as discord.py's `DynamicItem` answers a button.

    A subclass gives its custom_id's `template` (a regular expression matched whole), builds
    its handler `from_custom_id`, and answers the submission in `on_submit` from the values
    the member submitted. `modal(...)` makes the `discord.ui.Modal` to open with
    `interaction.response.send_modal`; discord.py does not keep it (it is stopped before it
    is sent), so the submission is answered here alone, once::

        class BlockReasonModal(DynamicModal, template=r"sc:vote:(?P<vote>\d+):block"):
            def __init__(self, vote_id: int) -> None:
                super().__init__(f"sc:vote:{vote_id}:block")
                self.vote_id = vote_id

            @classmethod
            def from_custom_id(cls, match):
                return cls(int(match["vote"]))

            async def on_submit(self, interaction, values):
                await cast(interaction, self.vote_id, "block", reason=values.text("reason"))
    """

    template: ClassVar[re.Pattern[str]]

    def __init_subclass__(cls, *, template: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.template = re.compile(template)

    def __init__(self, custom_id: str) -> None:
        if self.template.fullmatch(custom_id) is None:
            raise ValueError(f"{type(self).__name__}'s template does not match {custom_id!r}")
        self.custom_id = custom_id

    def modal(self, title: str, *items: discord.ui.Item[Any]) -> discord.ui.Modal:
        """The modal to open: this handler's custom_id, `title`, and `items` in order."""
        modal = discord.ui.Modal(title=title, custom_id=self.custom_id)
        for item in items:
            modal.add_item(item)
        # A stopped modal is not kept by discord.py's view store: its submission reaches
        # `Modals` only, and no modal object waits in memory for it.
        modal.stop()
        return modal

    @classmethod
    @abstractmethod
    def from_custom_id(cls, match: re.Match[str]) -> Self:
        """The handler for a submitted modal whose custom_id is `match`."""

    @abstractmethod
    async def on_submit(self, interaction: discord.Interaction, values: ModalValues) -> None:
        """Answer the member's submission (through `when_ready` and `reply`, as a command)."""


class Modals:
    """The bot's modal handlers, registered with `add` at start from the cogs' `dynamic_items`.

    `on_interaction` is the bot's one listener for submitted modals: it finds the handler
    whose template matches the modal's custom_id and answers through it; a failure is
    answered privately by `report_interaction_error`. A custom_id no handler matches is left
    to discord.py, which answers the modals it keeps (those not made by a `DynamicModal`).
    """

    def __init__(self) -> None:
        self._handlers: dict[str, type[DynamicModal]] = {}

    def add(self, *handlers: type[DynamicModal]) -> None:
        for handler in handlers:
            # By name: a reloaded extension's class takes the place of the one it replaces.
            self._handlers[f"{handler.__module__}.{handler.__qualname__}"] = handler

    @property
    def handlers(self) -> tuple[type[DynamicModal], ...]:
        return tuple(self._handlers.values())

    def find(self, custom_id: str) -> DynamicModal | None:
        """The handler for the modal `custom_id`, or None if no registered one matches."""
        for handler in self._handlers.values():
            if match := handler.template.fullmatch(custom_id):
                return handler.from_custom_id(match)
        return None

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        # discord.py calls every listener for every interaction: a click returns here at once.
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: Mapping[str, Any] = interaction.data or {}
        try:
            handler = self.find(str(data.get("custom_id", "")))
            if handler is not None:
                await handler.on_submit(interaction, ModalValues(data))
        except Exception as error:
            await report_interaction_error(interaction, error)
