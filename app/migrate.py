"""Apply Alembic migrations programmatically, so a fresh database is created the same way everywhere."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from app.locks import exclusive

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Bring the database at ``url`` to the newest revision (idempotent; safe on every start).

    API processes and workers all migrate on start; a cross-process lock makes them take turns, so on a fresh
    PostgreSQL the first creates the schema and the others find it current, instead of racing to create tables.
    """
    with exclusive(url, "migrations"):
        command.upgrade(alembic_config(url), "head")
