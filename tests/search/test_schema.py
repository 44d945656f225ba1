"""Migration 0009 and the models agree (autogenerate finds nothing to do), on SQLite and PostgreSQL; the search
index's own objects are the only thing left out, on purpose (``app.search.schema.include_object``)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import app.models  # noqa: F401  (registers every table)
from app.db import make_engine
from app.migrate import upgrade
from app.search.schema import include_object

MINE = {"case_tags", "case_presence", "messages", "drafts", "case_notes"}


def _touches(diff: object) -> set[str]:
    """Table names a diff entry mentions (entries are tuples, or lists of tuples for column changes)."""
    names: set[str] = set()
    items = diff if isinstance(diff, list) else [diff]
    for item in items:
        for part in item if isinstance(item, tuple) else ():
            name = getattr(part, "name", None)
            table = getattr(part, "table", None)
            if isinstance(part, str):
                names.add(part)
            if table is not None:
                names.add(str(getattr(table, "name", "")))
            if name:
                names.add(str(name))
    return names


def test_models_match_the_migrations_for_search_tags_and_presence(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"include_object": include_object})
            diffs = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    ours = [d for d in diffs if _touches(d) & MINE]
    assert ours == []
