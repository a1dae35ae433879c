"""meetings and reminders: meeting plans, meetings (Discord events), reminder settings

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_sequences",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_calendar_sequences_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("schedule_id", name=op.f("pk_calendar_sequences")),
    )
    op.create_table(
        "reminder_prefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("tz", sa.String(length=64), nullable=True),
        sa.Column("quiet_start", sa.String(length=5), nullable=True),
        sa.Column("quiet_end", sa.String(length=5), nullable=True),
        sa.Column("on_post", sa.Boolean(), nullable=False),
        sa.Column("before_meeting", sa.String(length=40), nullable=False),
        sa.Column("before_vote", sa.Boolean(), nullable=False),
        sa.Column("weekly_behind", sa.Boolean(), nullable=False),
        sa.Column("dms_closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dms_closed_told", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.id"],
            name=op.f("fk_reminder_prefs_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_prefs")),
        sa.UniqueConstraint("guild_id", "user_id", name=op.f("uq_reminder_prefs_guild_id_user_id")),
    )
    with op.batch_alter_table("reminder_prefs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_prefs_user_id"), ["user_id"], unique=False)

    op.create_table(
        "meeting_plans",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("rule_kind", sa.String(length=8), nullable=False),
        sa.Column("at_time", sa.String(length=5), nullable=False),
        sa.Column("days_after", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("stage", sa.Boolean(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=True),
        sa.Column("updated_by", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_meeting_plans_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("schedule_id", name=op.f("pk_meeting_plans")),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=True),
        sa.Column("post_linked", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_meetings_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_meetings_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint(
            "schedule_id", "section_id", name=op.f("uq_meetings_schedule_id_section_id")
        ),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_guild_id"), ["guild_id"], unique=False)

    op.create_table(
        "reminder_suggestions",
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("on_post", sa.Boolean(), nullable=False),
        sa.Column("before_meeting", sa.String(length=40), nullable=False),
        sa.Column("before_vote", sa.Boolean(), nullable=False),
        sa.Column("weekly_behind", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["schedules.id"],
            name=op.f("fk_reminder_suggestions_schedule_id_schedules"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("schedule_id", name=op.f("pk_reminder_suggestions")),
    )


def downgrade() -> None:
    op.drop_table("reminder_suggestions")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_guild_id"))

    op.drop_table("meetings")
    op.drop_table("meeting_plans")
    with op.batch_alter_table("reminder_prefs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_prefs_user_id"))

    op.drop_table("reminder_prefs")
    op.drop_table("calendar_sequences")
