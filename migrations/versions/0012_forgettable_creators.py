"""forgettable creators: a schedule's creator and a meeting plan's last editor may be unknown

`/forget-me` clears them (NULL) instead of keeping a member's id for the circle.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Where a member was forgotten, the older schema gets 0: a Discord id no one has.
NOBODY = 0


def upgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.alter_column("created_by", existing_type=sa.BigInteger(), nullable=True)
    with op.batch_alter_table("meeting_plans", schema=None) as batch_op:
        batch_op.alter_column("updated_by", existing_type=sa.BigInteger(), nullable=True)


def downgrade() -> None:
    op.execute(f"UPDATE meeting_plans SET updated_by = {NOBODY} WHERE updated_by IS NULL")
    op.execute(f"UPDATE schedules SET created_by = {NOBODY} WHERE created_by IS NULL")
    with op.batch_alter_table("meeting_plans", schema=None) as batch_op:
        batch_op.alter_column("updated_by", existing_type=sa.BigInteger(), nullable=False)
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.alter_column("created_by", existing_type=sa.BigInteger(), nullable=False)
