"""one index for finding a thread's case: (channel, thread_key)

Ingest looks a thread's newest case up on every message. With only single-column indexes SQLite chose the one on
``channel`` and scanned every case of the channel, so ingest slowed down as the table grew.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 11:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_channel_thread_key", "cases", ["channel", "thread_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_cases_channel_thread_key", table_name="cases")
