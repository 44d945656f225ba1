"""Bring a data directory to a usable state: schema migrated, knowledge base indexed. Safe to run any time."""

from __future__ import annotations

import logging

from sqlmodel import Session, func, select

from app.knowledge.models import ArticleVersion
from app.knowledge.service import DirectorySync, sync_directory
from app.migrate import upgrade
from app.services import Services

logger = logging.getLogger(__name__)


def migrate(services: Services) -> None:
    upgrade(services.settings.resolved_database_url)


def sync_knowledge(services: Services) -> DirectorySync:
    """Sync knowledge_base/ into the database and index; quarantined files are logged, never fatal.

    The server must come up even when a writer saved an article that reads as instructions to the model: that file
    is left out (its last clean version keeps serving) and a warning names it. ``triage kb sync`` fails loudly.
    """
    with Session(services.engine, expire_on_commit=False) as session:
        result = sync_directory(session, services.settings.knowledge_dir, services.store, services.embedder)
        session.commit()
    for item in result.quarantined:
        logger.warning(
            "kb.quarantined",
            extra={
                "file": item.file,
                "article_id": item.article_id,
                "evidence": item.evidence,
                "serving_version": item.serving_version,
            },
        )
    return result


def ensure_ready(services: Services) -> None:
    """Migrate, and index the knowledge base if nothing is indexed yet (a fresh clone)."""
    migrate(services)
    with Session(services.engine) as session:
        versions = session.exec(select(func.count()).select_from(ArticleVersion)).one()
    if not versions or not services.store.article_hashes():
        sync_knowledge(services)
