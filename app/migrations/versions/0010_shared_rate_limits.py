"""shared rate limits: sign-in and web-form attempts counted in the database

An in-memory count gives every API process its own budget; one row per attempt, counted in a sliding window,
gives all of them one.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("client", sa.String(length=200), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_rate_limit_hits_client", "rate_limit_hits", ["scope", "client", "at"], unique=False)
    op.create_index("ix_rate_limit_hits_expiry", "rate_limit_hits", ["scope", "at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rate_limit_hits_expiry", table_name="rate_limit_hits")
    op.drop_index("ix_rate_limit_hits_client", table_name="rate_limit_hits")
    op.drop_table("rate_limit_hits")
