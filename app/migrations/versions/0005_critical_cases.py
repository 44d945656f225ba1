"""critical-case ownership, follow-ups, preservation holds, referrals (issue 13)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 11:20:00

Besides the tables, triggers make a preservation hold binding in the database itself: while a case has an
unreleased hold, its messages' content cannot be updated and its messages and audit events cannot be deleted,
whatever code path (or SQL console) tries.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sqlmodel.sql.sqltypes.UTCDateTime


def _s(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


_HELD = "EXISTS (SELECT 1 FROM preservation_holds h WHERE h.case_id = OLD.case_id AND h.released_at IS NULL)"
_MESSAGE_CONTENT = "body, metadata, sender_id, sender_name, subject, received_at, case_id"
# (trigger name, table, event)
_TRIGGERS = (
    ("messages_hold_no_update", "messages", f"UPDATE OF {_MESSAGE_CONTENT}"),
    ("messages_hold_no_delete", "messages", "DELETE"),
    ("case_events_hold_no_update", "case_events", "UPDATE"),
    ("case_events_hold_no_delete", "case_events", "DELETE"),
)


def upgrade() -> None:
    op.create_table(
        "case_watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("owner", _s(100), nullable=True),
        sa.Column("owner_since", _TS(), nullable=True),
        sa.Column("ack_due_at", _TS(), nullable=False),
        sa.Column("acked_at", _TS(), nullable=True),
        sa.Column("acked_by", _s(100), nullable=True),
        sa.Column("realerts", sa.Integer(), nullable=False),
        sa.Column("last_alert_at", _TS(), nullable=True),
        sa.Column("opened_at", _TS(), nullable=False),
        sa.Column("closed_at", _TS(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
    )
    op.create_index("ix_case_watches_owner", "case_watches", ["owner"])
    op.create_index("ix_case_watches_ack_due_at", "case_watches", ["ack_due_at"])
    op.create_table(
        "followup_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", _s(300), nullable=False),
        sa.Column("promise", sa.Text(), nullable=False),
        sa.Column("source", _s(16), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("status", _s(8), nullable=False),
        sa.Column("due_at", _TS(), nullable=False),
        sa.Column("assignee", _s(100), nullable=True),
        sa.Column("created_by", _s(100), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("done_at", _TS(), nullable=True),
        sa.Column("done_by", _s(100), nullable=True),
        sa.Column("done_note", _s(500), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("case_id", "status", "due_at"):
        op.create_index(f"ix_followup_tasks_{column}", "followup_tasks", [column])
    op.create_table(
        "preservation_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", _s(64), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("placed_by", _s(100), nullable=False),
        sa.Column("placed_at", _TS(), nullable=False),
        sa.Column("expires_at", _TS(), nullable=False),
        sa.Column("released_at", _TS(), nullable=True),
        sa.Column("released_by", _s(100), nullable=True),
        sa.Column("release_note", _s(500), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_preservation_holds_case_id", "preservation_holds", ["case_id"])
    op.create_index("ix_preservation_holds_expires_at", "preservation_holds", ["expires_at"])
    op.create_table(
        "deletion_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requester_id", _s(200), nullable=False),
        sa.Column("status", _s(16), nullable=False),
        sa.Column("requested_by", _s(100), nullable=False),
        sa.Column("note", _s(500), nullable=True),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("executed_at", _TS(), nullable=True),
        sa.Column("erased_messages", sa.Integer(), nullable=False),
        sa.Column("waiting_on", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deletion_requests_requester_id", "deletion_requests", ["requester_id"])
    op.create_index("ix_deletion_requests_status", "deletion_requests", ["status"])
    op.create_table(
        "case_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("code", _s(40), nullable=False),
        sa.Column("note", _s(2000), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("actor", _s(100), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.ForeignKeyConstraint(["decision_id"], ["decisions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_resolutions_case_id", "case_resolutions", ["case_id"])
    op.create_table(
        "referral_packets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _s(32), nullable=False),
        sa.Column("status", _s(16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_by", _s(100), nullable=False),
        sa.Column("created_at", _TS(), nullable=False),
        sa.Column("reviewed_by", _s(100), nullable=True),
        sa.Column("reviewed_at", _TS(), nullable=True),
        sa.Column("review_note", _s(500), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("case_id", "kind", "status"):
        op.create_index(f"ix_referral_packets_{column}", "referral_packets", [column])
    _create_triggers()


def _create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION triage_refuse_while_held() RETURNS trigger AS $$ BEGIN "
            f"IF {_HELD} THEN RAISE EXCEPTION 'preservation hold: case % is preserved; release the hold first', "
            "OLD.case_id; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        for name, table, event in _TRIGGERS:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW "
                "EXECUTE FUNCTION triage_refuse_while_held()"
            )
        return
    for name, table, event in _TRIGGERS:
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {_HELD} BEGIN "
            "SELECT RAISE(ABORT, 'preservation hold: the case is preserved; release the hold first'); END"
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, _event in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}" if postgres else f"DROP TRIGGER IF EXISTS {name}")
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS triage_refuse_while_held()")
    for table in (
        "referral_packets",
        "case_resolutions",
        "deletion_requests",
        "preservation_holds",
        "followup_tasks",
        "case_watches",
    ):
        op.drop_table(table)
