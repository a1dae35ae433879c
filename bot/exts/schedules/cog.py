"""`/schedule …`: facilitators create and steer reading schedules."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.db.models.schedules import MissedPolicy
from bot.errors import UserError
from bot.exts.interactions import facilitator_only, guild_id_of, guild_member, reply, when_ready
from bot.exts.meetings import answers as meeting_answers
from bot.exts.options import WHICH_SCHEDULE, EnumOption, ReadingId, ScheduleId, TimeZone
from bot.exts.reminders.suggestions import suggest_reminders
from bot.exts.schedules import render
from bot.exts.text import listed, plural
from bot.scheduling.cadence import CadenceError, CadenceKind, parse_date, parse_time, parse_weekdays
from bot.services.schedules import NO_SCHEDULE, ScheduleInfo, ScheduleRequest

if TYPE_CHECKING:
    from bot.app import StudyCircleBot

Cadence = app_commands.Transform[
    CadenceKind,
    EnumOption(
        {
            CadenceKind.WEEKLY: "weekly",
            CadenceKind.DAILY: "daily",
            CadenceKind.EVERY_N_DAYS: "every n days",
        }
    ),
]
Missed = app_commands.Transform[MissedPolicy, EnumOption(list(MissedPolicy))]


def channel_problems(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    """The permissions the bot lacks to post sections in `channel`, by their Discord names."""
    perms = channel.permissions_for(me)
    needed = {
        "View Channel": perms.view_channel,
        "Send Messages": perms.send_messages,
        "Embed Links": perms.embed_links,
        "Read Message History": perms.read_message_history,
        "Send Messages in Threads": perms.send_messages_in_threads,
    }
    if isinstance(channel, discord.TextChannel):
        needed["Create Public Threads"] = perms.create_public_threads
    return [name for name, ok in needed.items() if not ok]


class SchedulesCog(commands.Cog, name="Schedules"):
    """Create, inspect and steer reading schedules."""

    schedule = app_commands.Group(name="schedule", description="Post a reading on a schedule")

    def __init__(self, bot: StudyCircleBot) -> None:
        self.bot = bot

    async def _pick(self, interaction: discord.Interaction, schedule: int | None) -> int:
        """The schedule given, or else the server's only one (by the one rule of the
        schedules service, `pick_schedule`, with its answers when there are none or several)."""
        if schedule is not None:
            return schedule
        return await self.bot.services.schedules.only(guild_id_of(interaction))

    @schedule.command(name="create", description="Post a reading's sections on a schedule")
    @app_commands.describe(
        reading="The reading to post",
        channel="A text channel (each section gets a thread) or a forum (a post each)",
        start="Date of the first post, YYYY-MM-DD",
        at="Time of every post, HH:MM (24-hour), in the time zone below",
        timezone="IANA time zone, e.g. Europe/Rome (start typing)",
        cadence="How often to post (default: weekly)",
        weekdays="For weekly: days such as mon or mon,thu (default: the start date's weekday)",
        every_days="For 'every n days': the number of days between posts",
        sections_per_post="How many sections each post carries (default 1)",
        ping="Ping the circle's role on each post (default: no)",
        missed="After downtime: post all missed, only the latest, or skip them",
        meeting="When the circle meets about each post: “day after 19:00”, “thursday 18:30”",
        meeting_channel="The voice or stage channel the circle meets in",
        meeting_place="Or a place or link outside Discord",
    )
    @facilitator_only
    async def create(
        self,
        interaction: discord.Interaction,
        reading: ReadingId,
        channel: discord.TextChannel | discord.ForumChannel,
        start: str,
        at: str,
        timezone: TimeZone,
        cadence: Cadence = CadenceKind.WEEKLY,
        weekdays: str | None = None,
        every_days: app_commands.Range[int, 1, 365] = 7,
        sections_per_post: app_commands.Range[int, 1, 5] = 1,
        ping: bool = False,
        missed: Missed = MissedPolicy.ALL,
        meeting: str | None = None,
        meeting_channel: meeting_answers.MeetingChannel | None = None,
        meeting_place: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        guild, _ = guild_member(interaction)
        try:
            first_day, post_time = parse_date(start), parse_time(at)
            days = parse_weekdays(weekdays) if weekdays else frozenset({first_day.weekday()})
        except CadenceError as exc:
            raise UserError(exc.message, quoted=exc.quoted) from None
        missing = channel_problems(channel, guild.me)
        if missing:
            raise UserError(
                f"I can't post sections in {channel.mention}. I need "
                f"{plural(len(missing), 'permission')} there: {listed(missing)}."
            )
        where = None
        if meeting is not None:
            where = meeting_answers.check_meeting(
                guild.me, meeting, timezone, meeting_channel, meeting_place
            )
        elif meeting_channel is not None or meeting_place is not None:
            raise UserError("Say when the circle meets too, e.g. `meeting: day after 19:00`.")
        request = ScheduleRequest(
            reading_id=reading,
            channel_id=channel.id,
            forum=isinstance(channel, discord.ForumChannel),
            first_day=first_day,
            at=post_time,
            tz=timezone,
            cadence=cadence,
            every_days=every_days,
            weekdays=days,
            sections_per_post=sections_per_post,
            ping_role=ping,
            missed_policy=missed,
        )

        async def create() -> discord.Embed:
            info = await self.bot.services.schedules.create(guild.id, interaction.user.id, request)
            embed = render.created_embed(info)
            if meeting is not None and where is not None:
                plan = await self.bot.services.meetings.set_plan(
                    guild.id, info.id, interaction.user.id, meeting, where
                )
                meeting_answers.add_plan_field(embed, plan)
            return embed

        await reply(interaction, embed=await when_ready(interaction, create()))

    @schedule.command(name="status", description="Next post, sections done and left")
    @app_commands.describe(schedule=WHICH_SCHEDULE)
    async def status(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        embed = await when_ready(interaction, self._status(interaction, schedule))
        await reply(interaction, embed=embed)

    async def _status(
        self, interaction: discord.Interaction, schedule: int | None
    ) -> discord.Embed:
        info = await self.bot.services.schedules.status(guild_id_of(interaction), schedule)
        embed = render.schedule_embed(info)
        await meeting_answers.add_next_meeting(self.bot, embed, info)
        return embed

    @schedule.command(name="list", description="Every schedule in this server")
    async def list_(self, interaction: discord.Interaction) -> None:
        found = await when_ready(
            interaction, self.bot.services.schedules.of_guild(guild_id_of(interaction))
        )
        if not found:
            raise UserError(NO_SCHEDULE)
        await reply(interaction, embeds=[render.schedule_embed(info) for info in found[:10]])

    async def _act(
        self,
        interaction: discord.Interaction,
        schedule: int | None,
        action: Callable[[int, int], Awaitable[ScheduleInfo]],
        done: Callable[[int], str],
    ) -> None:
        async def act() -> tuple[int, ScheduleInfo]:
            schedule_id = await self._pick(interaction, schedule)
            return schedule_id, await action(guild_id_of(interaction), schedule_id)

        schedule_id, info = await when_ready(interaction, act())
        await reply(interaction, done(schedule_id), embed=render.schedule_embed(info))

    @schedule.command(name="pause", description="Stop posting until resumed")
    @app_commands.describe(schedule=WHICH_SCHEDULE)
    @facilitator_only
    async def pause(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        await self._act(
            interaction, schedule, self.bot.services.schedules.pause, render.paused_text
        )

    @schedule.command(name="resume", description="Go on posting at the next scheduled time")
    @app_commands.describe(schedule=WHICH_SCHEDULE)
    @facilitator_only
    async def resume(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        await self._act(
            interaction, schedule, self.bot.services.schedules.resume, render.resumed_text
        )

    @schedule.command(name="skip", description="Skip the next post date; the section waits")
    @app_commands.describe(schedule=WHICH_SCHEDULE)
    @facilitator_only
    async def skip(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        await self._act(
            interaction,
            schedule,
            self.bot.services.schedules.skip,
            render.skipped_text,
        )

    @schedule.command(name="post-now", description="Post the next section now")
    @app_commands.describe(schedule=WHICH_SCHEDULE)
    @facilitator_only
    async def post_now(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        await self._act(
            interaction,
            schedule,
            self.bot.services.schedules.post_now,
            render.posting_now_text,
        )

    @schedule.command(name="meeting", description="When and where the circle meets")
    @app_commands.describe(
        schedule=WHICH_SCHEDULE,
        when="“day after 19:00”, “2 days after 18:00”, “same day 21:00”, “thursday 18:30”",
        channel="The voice or stage channel the circle meets in",
        place="Or a place or link outside Discord",
        minutes="How long a meeting lasts (default 60)",
        off="No more meetings: cancel the events of those ahead",
    )
    @facilitator_only
    async def meeting(
        self,
        interaction: discord.Interaction,
        schedule: ScheduleId | None = None,
        when: str | None = None,
        channel: meeting_answers.MeetingChannel | None = None,
        place: app_commands.Range[str, 1, 100] | None = None,
        minutes: app_commands.Range[int, 15, 480] = 60,
        off: bool = False,
    ) -> None:
        async def meet() -> str:
            schedule_id = await self._pick(interaction, schedule)
            return await meeting_answers.meeting(
                self.bot, interaction, schedule_id, when, channel, place, minutes, off
            )

        await reply(interaction, await when_ready(interaction, meet()))

    @schedule.command(
        name="calendar", description="Every upcoming post and meeting as a calendar file"
    )
    @app_commands.describe(schedule=WHICH_SCHEDULE)
    async def calendar(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        async def calendar() -> tuple[str, discord.File]:
            schedule_id = await self._pick(interaction, schedule)
            return await meeting_answers.calendar(self.bot, interaction, schedule_id)

        text, file = await when_ready(interaction, calendar())
        await reply(interaction, text, file=file)

    @schedule.command(
        name="reminders", description="Suggest reminders to the circle (it opts nobody in)"
    )
    @app_commands.describe(
        schedule=WHICH_SCHEDULE,
        post="Suggest a DM when a section is posted",
        meeting="Suggest DMs before each meeting, e.g. “1d, 1h”",
        vote="Suggest a DM before a vote the member has not voted in closes",
        behind="Suggest the weekly “sections behind” DM",
    )
    @facilitator_only
    async def reminders(
        self,
        interaction: discord.Interaction,
        schedule: ScheduleId | None = None,
        post: bool = False,
        meeting: app_commands.Range[str, 1, 40] | None = None,
        vote: bool = False,
        behind: bool = False,
    ) -> None:
        async def suggest() -> str:
            schedule_id = await self._pick(interaction, schedule)
            return await suggest_reminders(
                self.bot, interaction, schedule_id, post, meeting, vote, behind
            )

        await reply(interaction, await when_ready(interaction, suggest()))

    @schedule.command(name="delete", description="Stop a schedule for good (posts stay)")
    @app_commands.describe(schedule=WHICH_SCHEDULE)
    @facilitator_only
    async def delete(
        self, interaction: discord.Interaction, schedule: ScheduleId | None = None
    ) -> None:
        async def delete() -> ScheduleInfo:
            schedule_id = await self._pick(interaction, schedule)
            return await self.bot.services.schedules.delete(guild_id_of(interaction), schedule_id)

        info = await when_ready(interaction, delete())
        await reply(interaction, render.deleted_text(info))
