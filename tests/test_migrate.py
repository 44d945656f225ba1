"""API processes and workers starting together on a fresh database all migrate it, and none of them fails."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import inspect

from app.db import make_engine
from app.migrate import upgrade


def test_concurrent_migrations_on_a_fresh_database_all_succeed(database_url: str) -> None:
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _i: upgrade(database_url), range(4)))
    assert results == [None] * 4
    engine = make_engine(database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"cases", "messages", "jobs", "drafts", "alembic_version"} <= tables
        with engine.connect() as conn:
            versions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
        assert len(versions) == 1
    finally:
        engine.dispose()
