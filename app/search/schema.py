"""The search index's database objects, which are not SQLModel tables (migration 0009 creates them).

Alembic's autogenerate would report them as differences (SQLite's FTS5 table and its shadow tables; the
PostgreSQL expression indexes), so ``app/migrations/env.py`` and the schema test pass :func:`include_object` to
leave them out of the comparison explicitly.
"""

from __future__ import annotations

from typing import Any

FTS_TABLE = "search_fts"
PG_INDEXES = frozenset({"ix_search_messages", "ix_search_drafts", "ix_search_case_notes"})


def include_object(_obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
    """False for the search index's own objects (``search_fts*`` tables, ``ix_search_*`` indexes)."""
    if type_ == "table" and name is not None and name.startswith(FTS_TABLE):
        return False
    return not (type_ == "index" and name in PG_INDEXES)
