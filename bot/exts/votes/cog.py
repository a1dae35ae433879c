"""`/topic …`, `/vote …`, `/motion propose`: members propose, the circle decides.

Ballots come from the components in `views`; the cog casts them through the service, tells
the member privately, and refreshes the live tally (at most one edit every few seconds per
vote). Closing runs from the scheduler's `vote.close` job, or from `/vote close`.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from bot.exts._answer import reply, when_ready
from bot.exts._common import (
    NotFacilitator,
    facilitator_only,
    guild_id_of,
    guild_member,
    is_facilitator,
    jump_url,
    parse_id,
)
from bot.exts.schedules.cog import schedule_choices
from bot.exts.text import inline, label
from bot.exts.votes import render, views
from bot.locks import KeyedLocks
from bot.scheduler import JobContext
from bot.services.votes import (
    MOTION,
    VoteRequest,
    Votes,
    VoteView,
    parse_options,
    reminder_nonce,
    result_nonce,
)
from bot.voting import APPROVAL, RANKED, SINGLE

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

log = logging.getLogger(__name__)
LIVE_EDIT_INTERVAL = 5.0
# How long closing the bot waits for a tally refresh under way.
LIVE_CLOSE_WAIT = 5.0
HISTORY_LOOKBACK = 50
Method = Literal["approval", "single choice", "ranked"]
Results = Literal["live", "hidden"]
Remind = Literal["count", "ping", "none"]
Threshold = Literal["majority", "two-thirds", "three-quarters"]
_METHODS = {"approval": APPROVAL, "single choice": SINGLE, "ranked": RANKED}

_DESCRIBE_COMMON = {
    "closes": "When it closes: a duration (2d, 3h, 90m) or YYYY-MM-DD HH:MM in the circle's "
    "time zone (default 2d)",
    "quorum": "Share of the circle's members who must vote, in percent (default: no quorum)",
    "secret": "Secret ballot: nobody, facilitators included, can see who voted what",
    "results": "Show the tally live, or hide it until the close (always hidden when secret)",
    "reminder": "Before the close: count non-voters, ping them (open ballots only), or nothing",
    "schedule": "Which circle votes, when the server has several",
}


class LiveTally:
    """Coalesces refreshes of vote messages: at most one edit per vote every `interval`
    seconds; pokes during the wait fold into that one edit, which shows the latest state."""

    def __init__(self, refresh: Callable[[int], Awaitable[None]], interval: float) -> None:
        self.refresh = refresh
        self.interval = interval
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._last: dict[int, float] = {}
        self._refreshing: set[int] = set()

    def poke(self, vote_id: int) -> None:
        self._dirty.add(vote_id)
        if vote_id not in self._tasks:
            self._tasks[vote_id] = asyncio.create_task(self._run(vote_id), name=f"tally-{vote_id}")

    async def _run(self, vote_id: int) -> None:
        loop = asyncio.get_running_loop()
        try:
            while vote_id in self._dirty:
                wait = self._last.get(vote_id, -self.interval) + self.interval - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._dirty.discard(vote_id)
                self._last[vote_id] = loop.time()
                self._refreshing.add(vote_id)
                try:
                    await self.refresh(vote_id)
                except Exception:
                    log.warning("Could not refresh the tally of vote %s", vote_id, exc_info=True)
                finally:
                    self._refreshing.discard(vote_id)
        finally:
            self._tasks.pop(vote_id, None)

    def cancel(self, vote_id: int) -> None:
        self._dirty.discard(vote_id)
        task = self._tasks.pop(vote_id, None)
        if task is not None:
            task.cancel()

    async def idle(self) -> None:
        """Wait for pending refreshes (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    async def close(self) -> None:
        """Stop refreshing. Waits are cancelled; a refresh under way may finish (a few
        seconds at most): cut off, its database connection would be torn down mid-statement
        while the database itself is closing."""
        self._dirty.clear()
        tasks = list(self._tasks.items())
        for vote_id, task in tasks:
            if vote_id not in self._refreshing:
                task.cancel()
        if tasks:
            await asyncio.wait([task for _, task in tasks], timeout=LIVE_CLOSE_WAIT)


async def vote_choices(
    interaction: discord.Interaction[StudyCircleBot], current: str
) -> list[app_commands.Choice[str]]:
    cog = interaction.client.get_cog(views.COG_NAME)
    if not isinstance(cog, VotesCog) or interaction.guild_id is None:
        return []
    needle = current.strip().lower().lstrip("#")
    return [
        app_commands.Choice(name=label(f"#{i} · {q} ({s})", 100), value=str(i))
        for i, q, s in await cog.service.list_votes(interaction.guild_id)
        if not needle or needle in q.lower() or needle == str(i)
    ][:25]


async def topic_choices(
    interaction: discord.Interaction[StudyCircleBot], current: str
) -> list[app_commands.Choice[str]]:
    cog = interaction.client.get_cog(views.COG_NAME)
    if not isinstance(cog, VotesCog) or interaction.guild_id is None:
        return []
    needle = current.strip().lower().lstrip("#")
    return [
        app_commands.Choice(name=label(f"#{t.id} · {t.text}", 100), value=str(t.id))
        for t in await cog.service.guild_topics(interaction.guild_id)
        if not needle or needle in t.text.lower() or needle == str(t.id)
    ][:25]


async def _is_facilitator(interaction: discord.Interaction[StudyCircleBot]) -> bool:
    try:
        return await is_facilitator(interaction)
    except NotFacilitator:
        return False


def _channel_of(interaction: discord.Interaction) -> discord.TextChannel | discord.Thread:
    channel = interaction.channel
    if not isinstance(channel, discord.TextChannel | discord.Thread):
        raise UserError("Run this in a text channel or a thread, where the vote can be posted.")
    return channel


class VotesCog(commands.Cog, name="Votes"):
    """Topics, votes and consensus motions."""

    dynamic_items = views.DYNAMIC_ITEMS
    topic = app_commands.Group(
        name="topic", description="Topics members propose to discuss", guild_only=True
    )
    vote = app_commands.Group(
        name="vote",
        description="Decide together: approval, single choice or ranked votes",
        guild_only=True,
    )
    motion = app_commands.Group(
        name="motion",
        description="Consensus motions: agree, stand aside or block",
        guild_only=True,
    )

    def __init__(self, bot: StudyCircleBot, service: Votes) -> None:
        self.bot = bot
        self.service = service
        self.live = LiveTally(self._refresh, LIVE_EDIT_INTERVAL)
        self._closing: KeyedLocks[int] = KeyedLocks()

    async def cog_unload(self) -> None:
        await self.live.close()

    # -- topics ---------------------------------------------------------------------------

    @topic.command(name="propose", description="Propose something to discuss")
    @app_commands.describe(
        text="The topic, in a sentence (up to 200 characters)",
        schedule="Which circle it is for, when the server has several",
    )
    @app_commands.autocomplete(schedule=schedule_choices)
    async def propose(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, 200],
        schedule: str | None = None,
    ) -> None:
        guild, member = guild_member(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        topic = await self.service.propose_topic(
            guild.id,
            member.id,
            text,
            _channel_of(interaction).id,
            parse_id(schedule, "schedule") if schedule else None,
            facilitator=await _is_facilitator(interaction),
        )
        await interaction.followup.send(
            f"Topic #{topic.id} is proposed: {inline(topic.text, 300)}\n"
            "It goes into the next `/vote open` without options.",
            ephemeral=True,
        )

    @topic.command(name="list", description="The open topics of this circle or channel")
    @app_commands.describe(schedule="Which circle, when the server has several")
    @app_commands.autocomplete(schedule=schedule_choices)
    async def list_(self, interaction: discord.Interaction, schedule: str | None = None) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        scope = await self.service.topic_scope(
            guild_id,
            _channel_of(interaction).id,
            parse_id(schedule, "schedule") if schedule else None,
        )
        topics = await self.service.open_topics(scope, guild_id)
        await interaction.followup.send(embed=render.topics_embed(scope, topics), ephemeral=True)

    @topic.command(name="withdraw", description="Withdraw a topic you proposed")
    @app_commands.describe(topic="The topic to withdraw")
    @app_commands.autocomplete(topic=topic_choices)
    async def withdraw(self, interaction: discord.Interaction, topic: str) -> None:
        guild, member = guild_member(interaction)
        done = await self.service.withdraw_topic(guild.id, member.id, parse_id(topic, "topic"))
        await interaction.response.send_message(f"Topic #{done.id} is withdrawn.", ephemeral=True)

    @topic.command(name="merge", description="Fold a duplicate topic into another")
    @app_commands.describe(topic="The duplicate", into="The topic it joins")
    @app_commands.autocomplete(topic=topic_choices, into=topic_choices)
    @facilitator_only
    async def merge(self, interaction: discord.Interaction, topic: str, into: str) -> None:
        kept = await self.service.merge_topics(
            guild_id_of(interaction), parse_id(topic, "topic"), parse_id(into, "topic")
        )
        await interaction.response.send_message(
            f"Merged into topic #{kept.id}: {inline(kept.text, 300)}", ephemeral=True
        )

    @topic.command(name="remove", description="Remove a topic (duplicates, off-topic)")
    @app_commands.describe(topic="The topic to remove")
    @app_commands.autocomplete(topic=topic_choices)
    @facilitator_only
    async def remove(self, interaction: discord.Interaction, topic: str) -> None:
        done = await self.service.remove_topic(guild_id_of(interaction), parse_id(topic, "topic"))
        await interaction.response.send_message(f"Topic #{done.id} is removed.", ephemeral=True)

    @topic.command(name="clear", description="Remove all open topics here, or one member's")
    @app_commands.describe(
        member="Only this member's topics (default: everyone's)",
        schedule="Which circle, when the server has several",
    )
    @app_commands.autocomplete(schedule=schedule_choices)
    @facilitator_only
    async def clear(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        schedule: str | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        scope = await self.service.topic_scope(
            guild_id,
            _channel_of(interaction).id,
            parse_id(schedule, "schedule") if schedule else None,
        )
        removed = await self.service.clear_topics(
            scope, guild_id, proposed_by=member.id if member else None
        )
        whose = f" proposed by {member.mention}" if member else ""
        noun = "topic" if removed == 1 else "topics"
        await interaction.followup.send(
            f"Removed {removed} open {noun}{whose} for {render.scope_text(scope)}.", ephemeral=True
        )

    # -- opening --------------------------------------------------------------------------

    @vote.command(name="open", description="Put the open topics, or options you list, to a vote")
    @app_commands.describe(
        question="What is being decided",
        options="Options separated by semicolons, up to 25 (default: the open topics)",
        method="Approval (default), single choice, or ranked (Schulze)",
        min_choices="Approval: the fewest options a ballot approves (default 1)",
        max_choices="Approval: the most options a ballot approves (default all)",
        **_DESCRIBE_COMMON,
    )
    @app_commands.autocomplete(schedule=schedule_choices)
    async def open_vote(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 200],
        options: str | None = None,
        method: Method = "approval",
        closes: str = "2d",
        quorum: app_commands.Range[int, 1, 100] | None = None,
        secret: bool = False,
        results: Results = "live",
        min_choices: app_commands.Range[int, 0, 25] | None = None,
        max_choices: app_commands.Range[int, 1, 25] | None = None,
        reminder: Remind = "count",
        schedule: str | None = None,
    ) -> None:
        request = VoteRequest(
            question=question,
            channel_id=_channel_of(interaction).id,
            method=_METHODS[method],
            options=parse_options(options) if options else None,
            closes=closes,
            quorum_percent=quorum,
            secret=secret,
            hidden=results == "hidden",
            min_choices=min_choices,
            max_choices=max_choices,
            remind=reminder,
            schedule_id=parse_id(schedule, "schedule") if schedule else None,
        )
        await self._open(interaction, request)

    @motion.command(name="propose", description="Propose a motion for consensus")
    @app_commands.describe(
        text="The motion: what the group would agree to do",
        threshold="Agreement needed among those not standing aside (default: majority)",
        **_DESCRIBE_COMMON,
    )
    @app_commands.autocomplete(schedule=schedule_choices)
    async def propose_motion(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, 1000],
        closes: str = "2d",
        quorum: app_commands.Range[int, 1, 100] | None = None,
        secret: bool = False,
        results: Results = "live",
        threshold: Threshold = "majority",
        reminder: Remind = "count",
        schedule: str | None = None,
    ) -> None:
        request = VoteRequest(
            question=text,
            channel_id=_channel_of(interaction).id,
            kind=MOTION,
            closes=closes,
            quorum_percent=quorum,
            secret=secret,
            hidden=results == "hidden",
            remind=reminder,
            threshold=threshold,
            schedule_id=parse_id(schedule, "schedule") if schedule else None,
        )
        await self._open(interaction, request)

    async def _open(self, interaction: discord.Interaction, request: VoteRequest) -> None:
        guild, member = guild_member(interaction)
        channel = _channel_of(interaction)
        facilitator = await _is_facilitator(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        opened = await self.service.open_vote(guild.id, member.id, request, facilitator=facilitator)
        view = opened.view
        try:
            message = await channel.send(
                embed=render.vote_embed(view),
                view=views.vote_view(view),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except BaseException:
            await self.service.discard(view.id)
            raise
        await self.service.attach_message(view.id, message.id)
        await interaction.followup.send(
            render.opened_text(opened, message.jump_url), ephemeral=True
        )

    # -- ballots --------------------------------------------------------------------------

    async def cast(
        self,
        interaction: discord.Interaction,
        vote_id: int,
        choice: Any,
        *,
        reason: str | None = None,
    ) -> None:
        """Cast (or change) the member's ballot and confirm it to them alone."""
        guild, member = guild_member(interaction)
        receipt = await when_ready(
            interaction, self.service.cast(guild.id, vote_id, member.id, choice, reason)
        )
        self.live.poke(vote_id)  # hidden results still show the number of ballots
        await reply(interaction, render.receipt_text(receipt))

    async def open_ranking(self, interaction: discord.Interaction, vote_id: int) -> None:
        """The private ranked ballot, starting from the member's current ballot if any."""
        guild, member = guild_member(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        view, current = await self.service.start_ballot(guild.id, vote_id, member.id)
        order = list(current or [])
        await interaction.followup.send(
            render.ranking_text(view, order),
            view=views.ranking_view(view, order),
            ephemeral=True,
        )

    async def update_ranking(
        self, interaction: discord.Interaction, vote_id: int, order: list[int]
    ) -> None:
        await interaction.response.defer()
        view = await self.service.view(guild_id_of(interaction), vote_id)
        if not view.is_open:
            raise UserError(f"Vote #{vote_id} is closed: your ballot was not counted.")
        await interaction.edit_original_response(
            content=render.ranking_text(view, order), view=views.ranking_view(view, order)
        )

    async def submit_ranking(
        self, interaction: discord.Interaction, vote_id: int, order: list[int]
    ) -> None:
        guild, member = guild_member(interaction)
        await interaction.response.defer()
        receipt = await self.service.cast(guild.id, vote_id, member.id, order)
        self.live.poke(vote_id)
        await interaction.edit_original_response(
            content=render.ranking_text(receipt.view, order, saved=True), view=None
        )

    async def _refresh(self, vote_id: int) -> None:
        view = await self.service.view_by_id(vote_id)
        if view is None or not view.is_open or view.message_id is None:
            return
        channel = await self._channel(view.channel_id)
        await channel.get_partial_message(view.message_id).edit(embed=render.vote_embed(view))

    # -- closing --------------------------------------------------------------------------

    @vote.command(name="close", description="Close a vote or motion now and post its result")
    @app_commands.describe(vote="The vote or motion to close")
    @app_commands.autocomplete(vote=vote_choices)
    async def close_vote(self, interaction: discord.Interaction, vote: str) -> None:
        guild, member = guild_member(interaction)
        vote_id = parse_id(vote, "vote")
        facilitator = await _is_facilitator(interaction)
        await self.service.can_close(guild.id, vote_id, member.id, facilitator=facilitator)
        await interaction.response.defer(ephemeral=True, thinking=True)
        closed = await self.close(vote_id, closed_by=member.id)
        if closed is None:
            raise UserError(f"Vote #{vote_id} is already closed.")
        view, message = closed
        await interaction.followup.send(
            f"{render.kind_word(view)} #{view.id} is closed. The result: {message.jump_url}",
            ephemeral=True,
        )

    async def close(
        self, vote_id: int, *, closed_by: int | None = None
    ) -> tuple[VoteView, discord.Message] | None:
        """Close once: tally, post the result (same nonce on a retry), mark it closed."""
        async with self._closing[vote_id]:
            closing = await self.service.begin_close(vote_id, closed_by=closed_by)
            if closing is None:
                return None
            self.live.cancel(vote_id)
            view = closing.view
            channel = await self._channel(view.channel_id)
            message = await self._find_result(channel, view) if closing.recovering else None
            if message is None:
                embed, file = render.result_embed(view)
                extra: dict[str, Any] = {"file": file} if file is not None else {}
                if view.message_id is not None:
                    extra["reference"] = discord.MessageReference(
                        message_id=view.message_id,
                        channel_id=view.channel_id,
                        fail_if_not_exists=False,
                    )
                message = await channel.send(
                    embed=embed,
                    allowed_mentions=discord.AllowedMentions.none(),
                    nonce=result_nonce(view.id),
                    **extra,
                )
            await self.service.finish_close(view.id, message.id)
        await self._show_closed(channel, view, message)
        return view, message

    async def _find_result(
        self, channel: discord.TextChannel | discord.Thread, view: VoteView
    ) -> discord.Message | None:
        """An earlier attempt's result message, if it was posted before a crash."""
        title = render.result_embed(view)[0].title
        me = self.bot.user
        async for earlier in channel.history(limit=HISTORY_LOOKBACK):
            ours = me is not None and earlier.author.id == me.id
            if ours and earlier.embeds and earlier.embeds[0].title == title:
                return earlier
        return None

    async def _show_closed(
        self,
        channel: discord.TextChannel | discord.Thread,
        view: VoteView,
        result: discord.Message,
    ) -> None:
        """The vote message loses its ballot components and points to the result."""
        if view.message_id is None:
            return
        try:
            await channel.get_partial_message(view.message_id).edit(
                embed=render.closed_embed(view, result.jump_url), view=None
            )
        except discord.HTTPException as exc:
            # Old messages can refuse edits (30046); the result message stands on its own.
            log.info("Could not mark vote %s's message closed: %s", view.id, exc)

    async def _channel(self, channel_id: int) -> discord.TextChannel | discord.Thread:
        channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise RuntimeError(f"channel {channel_id} is neither a text channel nor a thread")
        return channel

    async def handle_close(self, job: JobContext) -> None:
        await self.close(int(job.payload["vote_id"]))

    async def give_up_close(self, job: JobContext, error: BaseException) -> None:
        """The result could not be posted after every attempt: close the vote anyway."""
        vote_id = int(job.payload["vote_id"])
        log.error("Could not post the result of vote %s: %r", vote_id, error)
        await self.service.begin_close(vote_id)
        await self.service.finish_close(vote_id, None)

    async def handle_remind(self, job: JobContext) -> None:
        vote_id = int(job.payload["vote_id"])
        reminder = await self.service.reminder(vote_id)
        if reminder is None:
            return
        if reminder.not_voted == 0:
            await self.service.mark_reminded(vote_id)
            return
        content, mentions = render.reminder_message(reminder)
        channel = await self._channel(reminder.view.channel_id)
        await channel.send(content, allowed_mentions=mentions, nonce=reminder_nonce(vote_id))
        await self.service.mark_reminded(vote_id)

    # -- export and settings --------------------------------------------------------------

    @vote.command(name="export", description="The results and ballots of a closed vote, as CSV")
    @app_commands.describe(vote="The vote or motion to export")
    @app_commands.autocomplete(vote=vote_choices)
    @facilitator_only
    async def export(self, interaction: discord.Interaction, vote: str) -> None:
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        exported = await self.service.export(guild_id, parse_id(vote, "vote"))
        view = exported.view
        name = f"{render.kind_word(view).lower()}-{view.id}"
        files = [
            discord.File(io.BytesIO(exported.results_csv.encode()), filename=f"{name}-results.csv"),
            discord.File(io.BytesIO(exported.ballots_csv.encode()), filename=f"{name}-ballots.csv"),
        ]
        note = (
            "The ballot was secret: ballots are listed without names, in no particular order."
            if view.secret
            else "The ballot was open: each ballot carries the member's id."
        )
        link = jump_url(guild_id, view.channel_id, view.result_message_id)
        await interaction.followup.send(
            f"{render.kind_word(view)} #{view.id}"
            + (f" ({link})" if link else "")
            + f": {view.result.headline() if view.result else ''}\n{note}",
            files=files,
            ephemeral=True,
        )

    @vote.command(name="settings", description="This server's voting rules")
    @app_commands.describe(
        motion_fallback="When a motion is blocked, let a 3/4 supermajority pass it anyway"
    )
    @facilitator_only
    async def settings(self, interaction: discord.Interaction, motion_fallback: bool) -> None:
        await self.service.set_motion_fallback(guild_id_of(interaction), motion_fallback)
        text = (
            "From now on, a blocked motion still passes with a 3/4 supermajority of those who "
            "took a side (blocks count against)."
            if motion_fallback
            else "From now on, a block stops a motion."
        )
        await interaction.response.send_message(
            text + " Motions already open keep their rules.", ephemeral=True
        )
