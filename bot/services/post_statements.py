"""The statements of a section post, built once.

Every post runs these, for every schedule, so they are Core statements made at import with
bound parameters: SQLAlchemy then keys and compiles each once, where an ORM statement built
per call costs more Python than SQLite takes to run it.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    Table,
    and_,
    bindparam,
    func,
    insert,
    select,
    update,
)

from bot.db.models import Membership, Progress, Prompt, Reading, Schedule, Section, SectionPost
from bot.db.models.schedules import PostStatus
from bot.services.readings import section_count
from bot.services.votes.focus import unused_winners

# A mapped class's `__table__` is typed as any FromClause; these are Tables, which INSERT and
# UPDATE take.
schedules = cast(Table, Schedule.__table__)
sections = cast(Table, Section.__table__)
section_posts = cast(Table, SectionPost.__table__)
prompts = cast(Table, Prompt.__table__)
readings = cast(Table, Reading.__table__)
memberships = cast(Table, Membership.__table__)
progress = cast(Table, Progress.__table__)

_schedule_id: BindParameter[int] = bindparam("schedule")


def caught_up_columns(schedule_id: ColumnElement[int]) -> tuple[ColumnElement[int], ...]:
    """(members, members who marked every section posted so far as read) as two scalar
    subqueries, for the schedule `schedule_id` names."""
    is_posted = (
        section_posts.c.schedule_id == schedule_id,
        section_posts.c.status == PostStatus.POSTED,
    )
    posted = select(section_posts.c.section_id).where(*is_posted)
    posted_count = select(func.count()).select_from(section_posts).where(*is_posted)
    done = (
        select(func.count())
        .select_from(progress)
        .where(progress.c.user_id == memberships.c.user_id, progress.c.section_id.in_(posted))
        .scalar_subquery()
    )
    members = (
        select(func.count())
        .select_from(memberships)
        .where(memberships.c.schedule_id == schedule_id)
        .scalar_subquery()
    )
    caught_up = (
        select(func.count())
        .select_from(memberships)
        .where(
            memberships.c.schedule_id == schedule_id,
            done >= posted_count.scalar_subquery(),
        )
        .scalar_subquery()
    )
    return members.label("members"), caught_up.label("caught_up")


SCHEDULE = select(schedules).where(schedules.c.id == _schedule_id)

# The schedule, and how many posts were already made for a due time (by an earlier run of
# the same job).
SCHEDULE_AND_POSTS_MADE = SCHEDULE.add_columns(
    select(func.count(func.distinct(section_posts.c.message_id)))
    .where(
        section_posts.c.schedule_id == _schedule_id,
        section_posts.c.due_at == bindparam("due_at"),
        section_posts.c.status == PostStatus.POSTED,
    )
    .scalar_subquery()
    .label("posts_made")
)

# The sections of the next post, each with its row of an earlier attempt, if any.
SECTIONS_TO_POST = (
    select(
        sections.c.id,
        sections.c.position,
        sections.c.title,
        sections.c.word_count,
        sections.c.text,
        section_posts.c.id.label("post_id"),
        section_posts.c.due_at,
        section_posts.c.message_id,
        section_posts.c.thread_id,
    )
    .select_from(
        sections.outerjoin(
            section_posts,
            and_(
                section_posts.c.section_id == sections.c.id,
                section_posts.c.schedule_id == _schedule_id,
            ),
        )
    )
    .where(
        sections.c.reading_id == bindparam("reading_id"),
        sections.c.position >= bindparam("first"),
        sections.c.position < bindparam("end"),
    )
    .order_by(sections.c.position)
)

_winner = unused_winners(_schedule_id)

# What a post shows besides its sections: the reading's title and length, the circle's
# counts, and the topic a vote chose for it.
POST_FACTS = select(
    readings.c.title,
    section_count(readings.c.id).label("total"),
    *caught_up_columns(_schedule_id),
    _winner.with_only_columns(_winner.selected_columns.id).scalar_subquery().label("focus_id"),
    _winner.with_only_columns(_winner.selected_columns.winner_text)
    .scalar_subquery()
    .label("focus"),
).where(readings.c.id == bindparam("reading_id"))

SHOWN_PROMPTS = (
    select(prompts.c.section_id, prompts.c.kind, prompts.c.text, prompts.c.quote)
    .where(
        prompts.c.section_id.in_(bindparam("section_ids", expanding=True)),
        prompts.c.hidden.is_(False),
    )
    .order_by(prompts.c.section_id, prompts.c.position)
)

SECTIONS_LEFT = (
    select(func.count())
    .select_from(sections)
    .where(
        sections.c.reading_id == bindparam("reading_id"),
        sections.c.position >= bindparam("first"),
    )
)

ADD_POSTING_ROWS = insert(section_posts)

# Bound names differ from the column names: those are reserved for the SET clause.
MARK_POSTED = (
    update(section_posts)
    .where(
        section_posts.c.schedule_id == _schedule_id,
        section_posts.c.section_id.in_(bindparam("section_ids", expanding=True)),
    )
    .values(
        status=PostStatus.POSTED,
        posted_at=bindparam("when"),
        channel_id=bindparam("channel"),
        message_id=bindparam("message"),
        thread_id=bindparam("thread"),
    )
)

MOVE_ON = (
    update(schedules)
    .where(schedules.c.id == _schedule_id)
    .values(
        status=bindparam("new_status"),
        next_position=bindparam("position"),
        next_post_at=bindparam("next_at"),
    )
)


def _latest_post(*, before: bool) -> ColumnElement[int]:
    """The message of the schedule's latest post (before position `before`, if asked)."""
    earlier = section_posts.alias("earlier")
    query = select(earlier.c.message_id).where(
        earlier.c.schedule_id == _schedule_id, earlier.c.status == PostStatus.POSTED
    )
    if before:
        query = query.where(earlier.c.position < bindparam("before"))
    return query.order_by(earlier.c.position.desc()).limit(1).scalar_subquery()


def _sections_of(message: ColumnElement[int]) -> Select[int]:
    return (
        select(section_posts.c.section_id)
        .where(
            section_posts.c.schedule_id == _schedule_id,
            section_posts.c.status == PostStatus.POSTED,
            section_posts.c.message_id == message,
        )
        .order_by(section_posts.c.position.desc())
    )


# The sections of the latest post, to close: before a given position, or at all.
LATEST_POSTED_BEFORE = _sections_of(_latest_post(before=True))
LATEST_POSTED = _sections_of(_latest_post(before=False))
