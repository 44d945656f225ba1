"""requester context: the demo ledger (accounts, transactions, account events) and the reveal audit (issue 11)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 14:40:00

The ledger tables are the demo connector's store: a real platform plugs in through the HTTP connector and
leaves them empty. Money is kept in minor units (cents) with an ISO currency; coins and diamonds are integers.
``context_reveals`` is append-only: one row per personal-data field a specialist unmasked.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_accounts",
        sa.Column("requester_id", sa.String(length=200), primary_key=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("spend_tier", sa.String(length=16), nullable=False),
        sa.Column("lifetime_spend_cents", sa.BigInteger(), nullable=False),
        sa.Column("coin_balance", sa.BigInteger(), nullable=False),
        sa.Column("diamond_balance", sa.BigInteger(), nullable=False),
        sa.Column("agency_id", sa.String(length=200), nullable=True),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_ledger_accounts_agency_id", "ledger_accounts", ["agency_id"])
    op.create_index("ix_ledger_accounts_lifetime_spend_cents", "ledger_accounts", ["lifetime_spend_cents"])
    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.String(length=64), primary_key=True),
        sa.Column("requester_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("coins", sa.BigInteger(), nullable=True),
        sa.Column("diamonds", sa.BigInteger(), nullable=True),
        sa.Column("product", sa.String(length=120), nullable=True),
        sa.Column("payment_method", sa.String(length=40), nullable=True),
        sa.Column("provider_ref", sa.String(length=120), nullable=True),
        sa.Column("order_id", sa.String(length=80), nullable=True),
        sa.Column("live_session_id", sa.String(length=80), nullable=True),
        sa.Column("counterparty_id", sa.String(length=200), nullable=True),
        sa.Column("credited_to", sa.String(length=200), nullable=True),
        sa.Column("related_id", sa.String(length=64), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_ledger_transactions_requester_occurred", "ledger_transactions", ["requester_id", "occurred_at"])
    op.create_index("ix_ledger_transactions_order_id", "ledger_transactions", ["order_id"])
    op.create_table(
        "ledger_account_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requester_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=True),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index(
        "ix_ledger_account_events_requester_occurred", "ledger_account_events", ["requester_id", "occurred_at"]
    )
    op.create_table(
        "context_reveals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requester_id", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    )
    op.create_index("ix_context_reveals_requester_id", "context_reveals", ["requester_id"])


def downgrade() -> None:
    op.drop_index("ix_context_reveals_requester_id", table_name="context_reveals")
    op.drop_table("context_reveals")
    op.drop_index("ix_ledger_account_events_requester_occurred", table_name="ledger_account_events")
    op.drop_table("ledger_account_events")
    op.drop_index("ix_ledger_transactions_order_id", table_name="ledger_transactions")
    op.drop_index("ix_ledger_transactions_requester_occurred", table_name="ledger_transactions")
    op.drop_table("ledger_transactions")
    op.drop_index("ix_ledger_accounts_lifetime_spend_cents", table_name="ledger_accounts")
    op.drop_index("ix_ledger_accounts_agency_id", table_name="ledger_accounts")
    op.drop_table("ledger_accounts")
