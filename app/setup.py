"""Bring a data directory to a usable state: schema migrated, knowledge base indexed. Safe to run any time."""

from __future__ import annotations

import logging

from sqlmodel import Session, func, select

from app.knowledge.models import ArticleVersion
from app.knowledge.service import DirectorySync, sync_directory
from app.locks import exclusive
from app.migrate import upgrade
from app.services import Services

logger = logging.getLogger(__name__)
KB_SYNC_LOCK = "kb-sync"


def migrate(services: Services) -> None:
    upgrade(services.settings.resolved_database_url)


def sync_knowledge(services: Services) -> DirectorySync:
    """Sync knowledge_base/ into the database and index; quarantined files are logged, never fatal.

    The server must come up even when a writer saved an article that reads as instructions to the model: that file
    is left out (its last clean version keeps serving) and a warning names it. ``triage kb sync`` fails loudly.
    """
    with exclusive(services.settings.resolved_database_url, KB_SYNC_LOCK):
        return _sync(services)


def ensure_ready(services: Services) -> None:
    """Migrate, and index the knowledge base if nothing is indexed yet (a fresh clone)."""
    migrate(services)
    # The check is made under the lock too: a process that waited while another synced finds the work done and
    # returns at once, and no two processes create a fresh embedded index at the same moment.
    with exclusive(services.settings.resolved_database_url, KB_SYNC_LOCK):
        if _needs_sync(services):
            _sync(services)


def _sync(services: Services) -> DirectorySync:
    """The sync itself; the caller holds ``KB_SYNC_LOCK``.

    One sync at a time per database: API processes and workers started together on a fresh database all sync,
    and two concurrent syncs raced on the same version rows (a unique violation on PostgreSQL) and the same index
    entries. The second one waits for the lock, then finds the versions recorded and the index current.
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


def _needs_sync(services: Services) -> bool:
    with Session(services.engine) as session:
        versions = session.exec(select(func.count()).select_from(ArticleVersion)).one()
    return not versions or not services.store.article_hashes()
