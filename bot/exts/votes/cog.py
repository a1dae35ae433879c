"""`/topic …`, `/vote …`, `/motion propose`: members propose, the circle decides.

Ballots are cast by the components in `views` (all through `views.cast`), which tell the
member privately and poke the cog's live tally (at most one edit every few seconds per
vote). `/vote close` closes through the service, as the scheduler's closing job does; both
post the result through `announcer.DiscordAnnouncer`.
"""

from __future__ import annotations

from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.db.models.votes import VoteKind
from bot.errors import UserError
from bot.exts.features import DigestPart
from bot.exts.interactions import (
    facilitator_only,
    guild_id_of,
    guild_member,
    is_facilitator,
    reply,
    when_ready,
)
from bot.exts.options import WHICH_CIRCLE, EnumOption, ScheduleId, TopicId, VoteId
from bot.exts.text import jump_url
from bot.exts.votes import render, views
from bot.exts.votes.live_tally import LiveTally, refresh_vote_message
from bot.services.votes import (
    DEFAULT_CLOSES,
    MAX_MOTION_CHARS,
    MAX_QUESTION_CHARS,
    MAX_TOPIC_CHARS,
    Opened,
    TopicInfo,
    TopicScope,
    VoteRequest,
    VoteState,
    parse_options,
)
from bot.voting import MotionThreshold, VoteMethod, VoteReminder
from bot.voting.plan import MAX_OPTIONS

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

LIVE_EDIT_INTERVAL = 5.0
# A consensus motion is opened by /motion propose, not as a method of /vote open.
Method = app_commands.Transform[
    VoteMethod,
    EnumOption(
        {
            VoteMethod.APPROVAL: "approval",
            VoteMethod.SINGLE: "single choice",
            VoteMethod.RANKED: "ranked",
        }
    ),
]
Remind = app_commands.Transform[VoteReminder, EnumOption(list(VoteReminder))]
Threshold = app_commands.Transform[MotionThreshold, EnumOption(list(MotionThreshold))]


class ResultsShown(StrEnum):
    """Whether the tally shows while the vote is open: the command's own choice, stored as
    the vote's `hidden`."""

    LIVE = "live"
    HIDDEN = "hidden"


Results = app_commands.Transform[ResultsShown, EnumOption(list(ResultsShown))]

_DESCRIBE_COMMON = {
    "closes": "When it closes: a duration (2d, 3h, 90m) or YYYY-MM-DD HH:MM in the circle's "
    f"time zone (default {DEFAULT_CLOSES})",
    "quorum": "Share of the circle's members who must vote, in percent (default: no quorum)",
    "secret": "Secret ballot: nobody, facilitators included, can see who voted what",
    "results": "Show the tally live, or hide it until the close (always hidden when secret)",
    "reminder": "Before the close: count non-voters, ping them (open ballots only), or nothing",
    "schedule": "Which circle votes, when the server has several",
}


def _channel_of(interaction: discord.Interaction) -> discord.TextChannel | discord.Thread:
    channel = interaction.channel
    if not isinstance(channel, discord.TextChannel | discord.Thread):
        raise UserError("Run this in a text channel or a thread, where the vote can be posted.")
    return channel


class VotesCog(commands.Cog, name="Votes"):
    """Topics, votes and consensus motions; a `DigestContributor`: a section's digest has a
    line for each vote closed on it."""

    dynamic_items = (*views.DYNAMIC_ITEMS, views.BlockReasonModal)
    own = views.VOTES_COG  # how the ballots find this cog
    digest_part = DigestPart.VOTES
    topic = app_commands.Group(name="topic", description="Topics members propose to discuss")
    vote = app_commands.Group(
        name="vote",
        description="Decide together: approval, single choice or ranked votes",
    )
    motion = app_commands.Group(
        name="motion",
        description="Consensus motions: agree, stand aside or block",
    )

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot
        refresh = partial(refresh_vote_message, bot, bot.services.votes)
        self.live = LiveTally(refresh, LIVE_EDIT_INTERVAL)

    async def cog_unload(self) -> None:
        await self.live.close()

    async def digest_lines(self, guild_id: int, schedule_id: int, section_id: int) -> list[str]:
        closed = await self.bot.services.votes.closed_on_section(guild_id, schedule_id, section_id)
        return [render.digest_line(state) for state in closed]

    # -- topics ---------------------------------------------------------------------------

    @topic.command(name="propose", description="Propose something to discuss")
    @app_commands.describe(
        text=f"The topic, in a sentence (up to {MAX_TOPIC_CHARS} characters)",
        schedule="Which circle it is for, when the server has several",
    )
    async def propose(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, MAX_TOPIC_CHARS],
        schedule: ScheduleId | None = None,
    ) -> None:
        guild, member = guild_member(interaction)
        channel_id = _channel_of(interaction).id

        async def propose() -> TopicInfo:
            facilitator = await is_facilitator(interaction)
            return await self.bot.services.votes.topics.propose_topic(
                guild.id, member.id, text, channel_id, schedule, facilitator=facilitator
            )

        topic = await when_ready(interaction, propose())
        await reply(interaction, render.proposed_text(topic))

    @topic.command(name="list", description="The open topics of this circle or channel")
    @app_commands.describe(schedule=WHICH_CIRCLE)
    async def list_(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        guild_id = guild_id_of(interaction)
        channel_id = _channel_of(interaction).id

        async def find() -> tuple[TopicScope, list[TopicInfo]]:
            scope = await self.bot.services.votes.topics.topic_scope(guild_id, channel_id, schedule)
            return scope, await self.bot.services.votes.topics.open_topics(scope, guild_id)

        scope, topics = await when_ready(interaction, find())
        await reply(interaction, embed=render.topics_embed(scope, topics))

    @topic.command(name="withdraw", description="Withdraw a topic you proposed")
    @app_commands.describe(topic="The topic to withdraw")
    async def withdraw(self, interaction: discord.Interaction, topic: TopicId) -> None:
        guild, member = guild_member(interaction)
        done = await when_ready(
            interaction, self.bot.services.votes.topics.withdraw_topic(guild.id, member.id, topic)
        )
        await reply(interaction, render.withdrawn_text(done))

    @topic.command(name="merge", description="Fold a duplicate topic into another")
    @app_commands.describe(topic="The duplicate", into="The topic it joins")
    @facilitator_only
    async def merge(self, interaction: discord.Interaction, topic: TopicId, into: TopicId) -> None:
        kept = await when_ready(
            interaction,
            self.bot.services.votes.topics.merge_topics(guild_id_of(interaction), topic, into),
        )
        await reply(interaction, render.merged_text(kept))

    @topic.command(name="remove", description="Remove a topic (duplicates, off-topic)")
    @app_commands.describe(topic="The topic to remove")
    @facilitator_only
    async def remove(self, interaction: discord.Interaction, topic: TopicId) -> None:
        done = await when_ready(
            interaction,
            self.bot.services.votes.topics.remove_topic(guild_id_of(interaction), topic),
        )
        await reply(interaction, render.topic_removed_text(done))

    @topic.command(name="clear", description="Remove all open topics here, or one member's")
    @app_commands.describe(
        member="Only this member's topics (default: everyone's)",
        schedule=WHICH_CIRCLE,
    )
    @facilitator_only
    async def clear(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        schedule: ScheduleId | None = None,
    ) -> None:
        guild_id = guild_id_of(interaction)
        channel_id = _channel_of(interaction).id

        async def clear() -> tuple[TopicScope, int]:
            scope = await self.bot.services.votes.topics.topic_scope(guild_id, channel_id, schedule)
            proposed_by = member.id if member else None
            return scope, await self.bot.services.votes.topics.clear_topics(
                scope, guild_id, proposed_by=proposed_by
            )

        scope, removed = await when_ready(interaction, clear())
        proposer = member.mention if member else None
        await reply(interaction, render.cleared_text(removed, scope, proposer))

    # -- opening --------------------------------------------------------------------------

    @vote.command(name="open", description="Put the open topics, or options you list, to a vote")
    @app_commands.describe(
        question="What is being decided",
        options=f"Options separated by semicolons, up to {MAX_OPTIONS} (default: the open topics)",
        method="Approval (default), single choice, or ranked (Schulze)",
        min_choices="Approval: the fewest options a ballot approves (default 1)",
        max_choices="Approval: the most options a ballot approves (default all)",
        **_DESCRIBE_COMMON,
    )
    async def open_vote(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
        options: str | None = None,
        method: Method = VoteMethod.APPROVAL,
        closes: str = DEFAULT_CLOSES,
        quorum: app_commands.Range[int, 1, 100] | None = None,
        secret: bool = False,
        results: Results = ResultsShown.LIVE,
        min_choices: app_commands.Range[int, 0, MAX_OPTIONS] | None = None,
        max_choices: app_commands.Range[int, 1, MAX_OPTIONS] | None = None,
        reminder: Remind = VoteReminder.COUNT,
        schedule: ScheduleId | None = None,
    ) -> None:
        request = VoteRequest(
            question=question,
            channel_id=_channel_of(interaction).id,
            method=method,
            options=parse_options(options) if options else None,
            closes=closes,
            quorum_percent=quorum,
            secret=secret,
            hidden=results == ResultsShown.HIDDEN,
            min_choices=min_choices,
            max_choices=max_choices,
            remind=reminder,
            schedule_id=schedule,
        )
        await self._open(interaction, request)

    @motion.command(name="propose", description="Propose a motion for consensus")
    @app_commands.describe(
        text="The motion: what the group would agree to do",
        threshold="Agreement needed among those not standing aside (default: majority)",
        **_DESCRIBE_COMMON,
    )
    async def propose_motion(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, MAX_MOTION_CHARS],
        closes: str = DEFAULT_CLOSES,
        quorum: app_commands.Range[int, 1, 100] | None = None,
        secret: bool = False,
        results: Results = ResultsShown.LIVE,
        threshold: Threshold = MotionThreshold.MAJORITY,
        reminder: Remind = VoteReminder.COUNT,
        schedule: ScheduleId | None = None,
    ) -> None:
        request = VoteRequest(
            question=text,
            channel_id=_channel_of(interaction).id,
            kind=VoteKind.MOTION,
            closes=closes,
            quorum_percent=quorum,
            secret=secret,
            hidden=results == ResultsShown.HIDDEN,
            remind=reminder,
            threshold=threshold,
            schedule_id=schedule,
        )
        await self._open(interaction, request)

    async def _open(self, interaction: discord.Interaction, request: VoteRequest) -> None:
        guild, member = guild_member(interaction)
        channel = _channel_of(interaction)

        async def post() -> tuple[Opened, discord.Message]:
            facilitator = await is_facilitator(interaction)
            opened = await self.bot.services.votes.opening.open_vote(
                guild.id, member.id, request, facilitator=facilitator
            )
            state = opened.vote
            try:
                message = await channel.send(
                    embed=render.vote_embed(state),
                    view=views.vote_view(state),
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except BaseException:
                await self.bot.services.votes.opening.discard(state.id)
                raise
            await self.bot.services.votes.opening.attach_message(state.id, message.id)
            return opened, message

        opened, message = await when_ready(interaction, post())
        await reply(interaction, render.opened_text(opened, message.jump_url))

    # -- closing --------------------------------------------------------------------------

    @vote.command(name="close", description="Close a vote or motion now and post its result")
    @app_commands.describe(vote="The vote or motion to close")
    async def close_vote(self, interaction: discord.Interaction, vote: VoteId) -> None:
        guild, member = guild_member(interaction)

        async def close() -> VoteState:
            facilitator = await is_facilitator(interaction)
            return await self.bot.services.votes.closing.close_by_hand(
                guild.id, vote, member.id, facilitator=facilitator
            )

        state = await when_ready(interaction, close())
        result_url = jump_url(guild.id, state.channel_id, state.result_message_id)
        await reply(interaction, render.closed_text(state, result_url))

    # -- export and settings --------------------------------------------------------------

    @vote.command(name="export", description="The results and ballots of a closed vote, as CSV")
    @app_commands.describe(vote="The vote or motion to export")
    @facilitator_only
    async def export(self, interaction: discord.Interaction, vote: VoteId) -> None:
        guild_id = guild_id_of(interaction)
        exported = await when_ready(interaction, self.bot.services.votes.export(guild_id, vote))
        state = exported.vote
        result_url = jump_url(guild_id, state.channel_id, state.result_message_id)
        await reply(
            interaction,
            render.export_text(state, result_url),
            files=render.export_files(exported),
        )

    @vote.command(name="settings", description="This server's voting rules")
    @app_commands.describe(
        motion_fallback="When a motion is blocked, let a 3/4 supermajority pass it anyway"
    )
    @facilitator_only
    async def settings(self, interaction: discord.Interaction, motion_fallback: bool) -> None:
        await when_ready(
            interaction,
            self.bot.services.votes.opening.set_motion_fallback(
                guild_id_of(interaction), motion_fallback
            ),
        )
        await reply(interaction, render.motion_fallback_text(motion_fallback))
