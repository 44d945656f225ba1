"""Full-text search over messages, drafts and internal notes (issue 14), with case filters, on SQLite FTS5 and
PostgreSQL full-text behind one interface (:class:`app.search.backends.SearchBackend`)."""
