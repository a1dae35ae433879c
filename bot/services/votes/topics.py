"""Topics members propose to vote on: proposing, listing, withdrawing, removing, merging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import Database, rows_matched
from bot.db.models import Topic
from bot.db.models.votes import TopicStatus
from bot.errors import UserError
from bot.scheduling.clock import Clock
from bot.services.member_text import clean_line
from bot.services.readings import ensure_guild
from bot.services.votes._common import circle_of, guild_topic

MAX_TOPIC_CHARS = 200
# One member cannot fill a circle's list (a vote takes at most 25 topics) or flood it.
MAX_OPEN_TOPICS_PER_MEMBER = 5
MAX_TOPICS_PER_MINUTE = 3
RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class TopicInfo:
    id: int
    text: str
    status: TopicStatus
    proposed_by: int | None
    schedule_id: int | None
    section_id: int | None
    channel_id: int
    merged_into_id: int | None


@dataclass(frozen=True)
class TopicScope:
    schedule_id: int | None
    section_id: int | None
    channel_id: int


def _close(topic: Topic, status: TopicStatus) -> TopicInfo:
    """The open topic withdrawn or removed; one no longer open is refused."""
    if topic.status != TopicStatus.OPEN:
        raise UserError(f"Topic #{topic.id} is {topic.status} already.")
    topic.status = status
    return _topic_info(topic)


def _topic_info(topic: Topic) -> TopicInfo:
    return TopicInfo(
        topic.id,
        topic.text,
        TopicStatus(topic.status),
        topic.proposed_by,
        topic.schedule_id,
        topic.section_id,
        topic.channel_id,
        topic.merged_into_id,
    )


def scope_filter(scope: TopicScope) -> list[ColumnElement[bool]]:
    """The conditions that select the topics of `scope`."""
    if scope.schedule_id is not None:
        return [Topic.schedule_id == scope.schedule_id]
    return [Topic.schedule_id.is_(None), Topic.channel_id == scope.channel_id]


class Topics:
    """Proposing topics, listing them, and tidying them up."""

    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def topic_scope(
        self, guild_id: int, channel_id: int, schedule_id: int | None = None
    ) -> TopicScope:
        async with self.db.read() as session:
            schedule, section = await circle_of(session, guild_id, schedule_id, channel_id)
            return TopicScope(schedule.id if schedule else None, section, channel_id)

    async def propose_topic(
        self,
        guild_id: int,
        user_id: int,
        text_: str,
        channel_id: int,
        schedule_id: int | None = None,
        *,
        facilitator: bool = False,
    ) -> TopicInfo:
        """Add a member's topic to their circle's list (facilitators are not limited)."""
        cleaned = clean_line(
            text_,
            what="topic",
            limit=MAX_TOPIC_CHARS,
            empty="Write the topic you'd like to discuss.",
        )
        async with self.db.session() as session:
            schedule, section = await circle_of(session, guild_id, schedule_id, channel_id)
            scope = TopicScope(schedule.id if schedule else None, section, channel_id)
            same = await session.scalar(
                select(Topic).where(
                    Topic.guild_id == guild_id,
                    Topic.status == TopicStatus.OPEN,
                    func.lower(Topic.text) == cleaned.lower(),
                    *scope_filter(scope),
                )
            )
            if same is not None:
                raise UserError(f"That topic is already proposed, as #{same.id}.")
            if not facilitator:
                await self._check_member_limits(session, guild_id, user_id, scope)
            await ensure_guild(session, guild_id)
            topic = Topic(
                guild_id=guild_id,
                schedule_id=scope.schedule_id,
                section_id=scope.section_id,
                channel_id=channel_id,
                text=cleaned,
                proposed_by=user_id,
                status=TopicStatus.OPEN,
                created_at=self.clock.now(),
            )
            session.add(topic)
            await session.flush()
            return _topic_info(topic)

    async def _check_member_limits(
        self, session: AsyncSession, guild_id: int, user_id: int, scope: TopicScope
    ) -> None:
        since = self.clock.now() - RATE_WINDOW
        recent, open_here = (
            await session.execute(
                select(
                    func.count().filter(Topic.created_at > since),
                    func.count().filter(Topic.status == TopicStatus.OPEN, *scope_filter(scope)),
                ).where(Topic.guild_id == guild_id, Topic.proposed_by == user_id)
            )
        ).one()
        if recent >= MAX_TOPICS_PER_MINUTE:
            raise UserError(
                f"You can propose {MAX_TOPICS_PER_MINUTE} topics a minute, and you just have. "
                "Try again in a minute."
            )
        if open_here >= MAX_OPEN_TOPICS_PER_MEMBER:
            raise UserError(
                f"You have {open_here} open topics here already, the most one member can have. "
                "Withdraw one with `/topic withdraw`, or wait for the next vote."
            )

    async def clear_topics(
        self, scope: TopicScope, guild_id: int, *, proposed_by: int | None = None
    ) -> int:
        """Remove every open topic of `scope` (only `proposed_by`'s, when given); how many."""
        conditions = [
            Topic.guild_id == guild_id,
            Topic.status == TopicStatus.OPEN,
            *scope_filter(scope),
        ]
        if proposed_by is not None:
            conditions.append(Topic.proposed_by == proposed_by)
        async with self.db.session() as session:
            result = await session.execute(
                update(Topic).where(*conditions).values(status=TopicStatus.REMOVED)
            )
            return rows_matched(result)

    async def open_topics(self, scope: TopicScope, guild_id: int) -> list[TopicInfo]:
        async with self.db.read() as session:
            rows = await session.scalars(
                select(Topic)
                .where(
                    Topic.guild_id == guild_id,
                    Topic.status == TopicStatus.OPEN,
                    *scope_filter(scope),
                )
                .order_by(Topic.id)
            )
            return [_topic_info(t) for t in rows]

    async def guild_topics(
        self, guild_id: int, *, status: TopicStatus = TopicStatus.OPEN
    ) -> list[TopicInfo]:
        async with self.db.read() as session:
            rows = await session.scalars(
                select(Topic)
                .where(Topic.guild_id == guild_id, Topic.status == status)
                .order_by(Topic.id)
            )
            return [_topic_info(t) for t in rows]

    async def withdraw_topic(self, guild_id: int, user_id: int, topic_id: int) -> TopicInfo:
        async with self.db.session() as session:
            topic = await guild_topic(session, guild_id, topic_id)
            if topic.proposed_by != user_id:
                raise UserError(
                    "Only the member who proposed a topic can withdraw it; facilitators can "
                    "remove it with `/topic remove`."
                )
            return _close(topic, TopicStatus.WITHDRAWN)

    async def remove_topic(self, guild_id: int, topic_id: int) -> TopicInfo:
        async with self.db.session() as session:
            return _close(await guild_topic(session, guild_id, topic_id), TopicStatus.REMOVED)

    async def merge_topics(self, guild_id: int, topic_id: int, into_id: int) -> TopicInfo:
        """Fold a duplicate into another open topic; the one kept is returned."""
        if topic_id == into_id:
            raise UserError("Pick two different topics to merge.")
        async with self.db.session() as session:
            topic = await guild_topic(session, guild_id, topic_id)
            into = await guild_topic(session, guild_id, into_id)
            for t in (topic, into):
                if t.status != TopicStatus.OPEN:
                    raise UserError(f"Topic #{t.id} is {t.status}; only open topics merge.")
            topic.status = TopicStatus.MERGED
            topic.merged_into_id = into.id
            return _topic_info(into)
