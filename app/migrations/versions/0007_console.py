"""console notes, tags, macros, saved views, presence, search index (issue 14)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:20:00

``case_watches.escalated``: the critical cases' ownership row now also records who owns an ordinary case claimed
from the queue (false: no acknowledgement clock, not on the escalation queue). Existing rows are escalations.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case_watches") as batch:
        batch.add_column(sa.Column("escalated", sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_case_notes_case_id", "case_notes", ["case_id"])
    op.create_table(
        "macro_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("slug", "version", name="uq_macro_versions_slug_version"),
    )
    op.create_index("ix_macro_versions_slug", "macro_versions", ["slug"])


def downgrade() -> None:
    op.drop_index("ix_macro_versions_slug", table_name="macro_versions")
    op.drop_table("macro_versions")
    op.drop_index("ix_case_notes_case_id", table_name="case_notes")
    op.drop_table("case_notes")
    op.execute("DELETE FROM case_watches WHERE NOT escalated")
    with op.batch_alter_table("case_watches") as batch:
        batch.drop_column("escalated")
