"""Bring a data directory to a usable state: schema migrated, knowledge base indexed. Safe to run any time."""

from __future__ import annotations

from sqlmodel import Session, func, select

from app.knowledge.models import ArticleVersion
from app.knowledge.service import DirectorySync, sync_directory
from app.migrate import upgrade
from app.services import Services


def migrate(services: Services) -> None:
    upgrade(services.settings.resolved_database_url)


def sync_knowledge(services: Services) -> DirectorySync:
    with Session(services.engine, expire_on_commit=False) as session:
        result = sync_directory(session, services.settings.knowledge_dir, services.store, services.embedder)
        session.commit()
    return result


def ensure_ready(services: Services) -> None:
    """Migrate, and index the knowledge base if nothing is indexed yet (a fresh clone)."""
    migrate(services)
    with Session(services.engine) as session:
        versions = session.exec(select(func.count()).select_from(ArticleVersion)).one()
    if not versions or not services.store.article_hashes():
        sync_knowledge(services)
