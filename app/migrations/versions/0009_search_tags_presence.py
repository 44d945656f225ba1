"""search index, case tags, presence (issue 14)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:50:00

Full-text search over messages, drafts and internal notes, kept in step with the rows in the same transaction:
- SQLite: one FTS5 table ``search_fts`` fed by triggers on the three tables (rowid = source id * 4 + kind, so a
  trigger finds its entry without a scan). An erased or redacted message leaves the index with it.
- PostgreSQL: GIN expression indexes on ``to_tsvector('simple', …)`` of each table; PostgreSQL maintains them
  itself, and the query repeats the exact expression so the planner uses them.
Neither is a SQLModel table: ``app.search.schema.include_object`` keeps them out of autogenerate comparisons.

``case_presence``: who has a case open (viewing) or is writing a reply (editing), with a heartbeat time; in the
database so every API process sees every other's viewers. ``case_tags``: free-form labels on cases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, kind code in the rowid, kind name, the indexed text)
_SOURCES = (
    ("messages", 1, "message", "coalesce({row}.subject, '') || ' ' || {row}.body"),
    ("drafts", 2, "draft", "{row}.reply"),
    ("case_notes", 3, "note", "{row}.body"),
)
_PG_INDEXES = (
    ("ix_search_messages", "messages", "coalesce(subject, '') || ' ' || body"),
    ("ix_search_drafts", "drafts", "reply"),
    ("ix_search_case_notes", "case_notes", "body"),
)


def _sqlite_upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "body, kind UNINDEXED, case_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for table, code, kind, text in _SOURCES:
        new = text.format(row="new")
        insert = (
            f"INSERT INTO search_fts(rowid, body, kind, case_id) "
            f"VALUES (new.id * 4 + {code}, {new}, '{kind}', new.case_id);"
        )
        delete = f"DELETE FROM search_fts WHERE rowid = old.id * 4 + {code};"
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert} END")
        op.execute(f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete} END")
        op.execute(f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END")
        op.execute(
            f"INSERT INTO search_fts(rowid, body, kind, case_id) "
            f"SELECT id * 4 + {code}, {text.format(row=table)}, '{kind}', case_id FROM {table}"
        )


def _sqlite_downgrade() -> None:
    for table, _code, _kind, _text in _SOURCES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE IF EXISTS search_fts")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_upgrade()
    else:
        for name, table, text in _PG_INDEXES:
            op.execute(f"CREATE INDEX {name} ON {table} USING gin (to_tsvector('simple'::regconfig, {text}))")
    op.create_table(
        "case_tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("tag", sa.String(length=40), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("case_id", "tag", name="uq_case_tags_case_tag"),
    )
    op.create_index("ix_case_tags_case_id", "case_tags", ["case_id"])
    op.create_index("ix_case_tags_tag", "case_tags", ["tag"])
    op.create_table(
        "case_presence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.UniqueConstraint("case_id", "user_name", name="uq_case_presence_case_user"),
    )
    op.create_index("ix_case_presence_case_id", "case_presence", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_presence_case_id", table_name="case_presence")
    op.drop_table("case_presence")
    op.drop_index("ix_case_tags_tag", table_name="case_tags")
    op.drop_index("ix_case_tags_case_id", table_name="case_tags")
    op.drop_table("case_tags")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_downgrade()
    else:
        for name, _table, _text in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
