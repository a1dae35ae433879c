"""model prompts: a by_model flag on prompts, the guild switch, daily use, cached answers,
and each section's model-prompt state

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("by_model", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "model_prompt_settings",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.id"],
            name=op.f("fk_model_prompt_settings_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_model_prompt_settings")),
    )
    op.create_table(
        "model_prompt_usage",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["guild_id"],
            ["guilds.id"],
            name=op.f("fk_model_prompt_usage_guild_id_guilds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "day", name=op.f("pk_model_prompt_usage")),
    )
    op.create_table(
        "model_prompt_answers",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_model_prompt_answers")),
    )
    op.create_table(
        "section_model_prompts",
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_section_model_prompts_section_id_sections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("section_id", name=op.f("pk_section_model_prompts")),
    )
    with op.batch_alter_table("section_model_prompts", schema=None) as batch_op:
        batch_op.create_index("ix_section_model_prompts_guild_id_state", ["guild_id", "state"])


def downgrade() -> None:
    with op.batch_alter_table("section_model_prompts", schema=None) as batch_op:
        batch_op.drop_index("ix_section_model_prompts_guild_id_state")
    op.drop_table("section_model_prompts")
    op.drop_table("model_prompt_answers")
    op.drop_table("model_prompt_usage")
    op.drop_table("model_prompt_settings")
    with op.batch_alter_table("prompts", schema=None) as batch_op:
        batch_op.drop_column("by_model")
