"""One interface, two full-text engines: SQLite FTS5 and PostgreSQL ``tsvector``.

A backend answers one question — which documents match these words, and how well — as a subquery with the
columns ``kind``, ``ref_id``, ``case_id`` and ``score`` (higher is better). Filters, dates, snippets and paging
are the service's, written once for both databases.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Integer, Subquery, cast, column, func, literal, literal_column, select, table, text, union_all
from sqlalchemy.engine import Dialect

from app.search.query import Kind

# The indexed expressions, exactly as migration 0009 created the PostgreSQL indexes: the planner only uses an
# expression index for the same expression, so these are literal SQL, not rebuilt with bound parameters.
PG_DOCUMENTS = (
    (Kind.MESSAGE, "messages", "coalesce(subject, '') || ' ' || body"),
    (Kind.DRAFT, "drafts", "reply"),
    (Kind.NOTE, "case_notes", "body"),
)
_PG_CONFIG = "'simple'::regconfig"  # no stemming: requesters write in many languages


class SearchBackend(Protocol):
    def matches(self, terms: list[str]) -> Subquery:
        """Documents containing every term (as a prefix): ``kind, ref_id, case_id, score``."""
        ...


class SqliteFts:
    """The ``search_fts`` FTS5 table (rowid = source id * 4 + kind code); bm25 rank, negated."""

    def matches(self, terms: list[str]) -> Subquery:
        fts = table("search_fts", column("kind"), column("case_id"), column("rowid"), column("rank"))
        expression = " AND ".join('"' + term.replace('"', "") + '"*' for term in terms)
        stmt = select(
            fts.c.kind.label("kind"),
            cast(fts.c.rowid / 4, Integer).label("ref_id"),
            cast(fts.c.case_id, Integer).label("case_id"),
            (-fts.c.rank).label("score"),
        ).where(text("search_fts MATCH :fts_query").bindparams(fts_query=expression))
        return stmt.subquery("hits")


class PostgresFts:
    """``to_tsvector('simple', …) @@ to_tsquery(…)`` on each table, served by its GIN expression index."""

    def matches(self, terms: list[str]) -> Subquery:
        tsquery = " & ".join(f"{term}:*" for term in terms)  # terms are \w+ only: nothing to escape
        parts = []
        for kind, name, expression in PG_DOCUMENTS:
            vector = func.to_tsvector(literal_column(_PG_CONFIG), literal_column(expression))
            query = func.to_tsquery(literal_column(_PG_CONFIG), literal(tsquery))
            source = table(name, column("id"), column("case_id"))
            parts.append(
                select(
                    literal(kind.value).label("kind"),
                    source.c.id.label("ref_id"),
                    source.c.case_id.label("case_id"),
                    func.ts_rank(vector, query).label("score"),
                )
                .select_from(source)
                .where(vector.op("@@")(query))
            )
        return union_all(*parts).subquery("hits")


def backend_for(dialect: Dialect) -> SearchBackend:
    if dialect.name == "sqlite":
        return SqliteFts()
    if dialect.name == "postgresql":
        return PostgresFts()
    raise ValueError(f"full-text search supports SQLite and PostgreSQL, not {dialect.name}")
