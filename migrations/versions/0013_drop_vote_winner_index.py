"""drop votes.winner_index: nothing reads it

A vote's winner is `winner_text` and `winner_topic_id`; `winner_index` was written beside
them and read by nothing: no data is lost.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite rebuilds the table: its ballots stay (foreign keys are off while migrating).
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_column("winner_index")


def downgrade() -> None:
    # The values are gone; the older code never read them either.
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("winner_index", sa.Integer(), nullable=True))
