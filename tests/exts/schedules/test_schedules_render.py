"""The answers of schedule commands where their wording follows a rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.db.models.schedules import MissedPolicy, ScheduleStatus
from bot.exts.schedules import render
from bot.services.schedules import ScheduleInfo

SCHEDULE = ScheduleInfo(
    id=4,
    guild_id=1,
    reading_id=2,
    reading_title="Why We Read Together",
    channel_id=3,
    forum=False,
    status=ScheduleStatus.ACTIVE,
    cadence="weekly on Monday",
    next_post_at=datetime(2025, 3, 3, 18, tzinfo=UTC),
    next_position=1,
    total_sections=6,
    posted_sections=0,
    sections_per_post=1,
    ping_role=False,
    role_id=None,
    missed_policy=MissedPolicy.ALL,
    members=0,
    created_by=9,
)


def test_a_new_schedule_says_whether_its_posts_ping_the_circle() -> None:
    quiet = render.created_embed(SCHEDULE)
    pinging = render.created_embed(replace(SCHEDULE, ping_role=True))

    assert quiet.title == "Schedule #4 created"
    assert quiet.description == "Members can now `/join` it. Posts ping nobody."
    assert pinging.description == "Members can now `/join` it. Each post pings the circle's role."


def test_a_schedules_footer_says_in_words_whether_posts_ping() -> None:
    quiet = render.schedule_embed(SCHEDULE)
    pinging = render.schedule_embed(replace(SCHEDULE, ping_role=True, role_id=123456789012345678))

    assert quiet.footer.text == "Missed posts: all · posts ping nobody"
    # A footer shows a mention as its raw markup: the role is named in words, not by id.
    assert pinging.footer.text == "Missed posts: all · posts ping the circle role"
