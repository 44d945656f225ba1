"""Migration 0004 creates exactly the tables the models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import inspect

from app.channels.models import EmailThread
from app.db import make_engine
from app.delivery.models import Delivery
from app.migrate import upgrade


def test_migration_matches_the_models(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        inspector = inspect(engine)
        for model in (Delivery, EmailThread):
            table = model.__table__  # type: ignore[attr-defined]
            columns = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
            assert columns == {c.name: c.nullable for c in table.columns}, table.name
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("deliveries")}
        assert {("message_id",), ("idempotency_key",)} <= uniques
    finally:
        engine.dispose()
