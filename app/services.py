"""Builds the side-effecting parts (engine, vector store, embedder, classifier, provider, pipeline) lazily.

The API keeps one ``Services`` on ``app.state`` and every dependency reads from it, so tests pass their own
pieces to ``create_app`` or use ``app.dependency_overrides``; the CLI builds one per command. Nothing here is a
module-level global.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from app.clock import Clock, SystemClock
from app.config import Settings
from app.db import make_engine
from app.escalation.tasks import WEBHOOK_JOB, EscalationWebhookHandler
from app.escalation.webhook import HttpxWebhookSender, WebhookSender
from app.jobs.worker import JobHandler, Worker
from app.knowledge.catalog import DbArticleCatalog
from app.knowledge.embeddings import Embedder, get_embedder
from app.knowledge.multilingual_embeddings import embedder_named
from app.knowledge.retrieval import HybridRetriever
from app.knowledge.vector_store import ChromaVectorStore, VectorStore
from app.llm.provider import Provider
from app.triage.model_store import FlagModelStore, StoreBackedFlagModel
from app.triage.pipeline import DraftingPipeline, FlagModel
from app.triage.screen import MODEL_SCREEN_JOB, SCREEN_JOB, ScreenJobHandler
from app.triage.tasks import DRAFT_JOB, DraftJobHandler

T = TypeVar("T")


class Services:
    def __init__(self, settings: Settings, **overrides: Any) -> None:
        self.settings = settings
        self._built: dict[str, Any] = dict(overrides)
        self._lock = threading.RLock()

    def _get(self, name: str, factory: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = factory()
            value: T = self._built[name]
            return value

    @property
    def engine(self) -> Engine:
        return self._get("engine", lambda: make_engine(self.settings.resolved_database_url))

    @property
    def clock(self) -> Clock:
        return self._get("clock", SystemClock)

    @property
    def embedder(self) -> Embedder:
        return self._get("embedder", get_embedder)

    @property
    def store(self) -> VectorStore:
        def build() -> VectorStore:
            if self.settings.chroma_url:
                return ChromaVectorStore.http(self.settings.chroma_url)
            return ChromaVectorStore.persistent(self.settings.resolved_chroma_path)

        return self._get("store", build)

    @property
    def retriever(self) -> HybridRetriever:
        return self._get("retriever", lambda: HybridRetriever(self.store, self.embedder))

    @property
    def catalog(self) -> DbArticleCatalog:
        return self._get("catalog", lambda: DbArticleCatalog(self.engine))

    @property
    def provider(self) -> Provider:
        from app.llm.call_log import DbCallRecorder
        from app.llm.factory import build_provider

        return self._get("provider", lambda: build_provider(self.settings, self.embedder, DbCallRecorder(self.engine)))

    @property
    def pipeline(self) -> DraftingPipeline:
        return self._get(
            "pipeline",
            lambda: DraftingPipeline(
                retriever=self.retriever,
                catalog=self.catalog,
                provider=self.provider,
                prompts_dir=self.settings.prompts_dir,
                redact_pii=self.settings.redaction_enabled,
                k=self.settings.retrieval_k,
                flag_model=self.flag_model,
            ),
        )

    @property
    def flag_model(self) -> FlagModel | None:
        """The risk-flag model: the shipped one, or the one ``triage model train`` made current in ``data_dir``."""
        return self._get("flag_model", lambda: StoreBackedFlagModel(self.flag_model_store))

    @property
    def flag_model_store(self) -> FlagModelStore:
        return self._get("flag_model_store", lambda: FlagModelStore(self.settings.data_dir / "models", embedder_named))

    @property
    def webhook_sender(self) -> WebhookSender:
        return self._get("webhook_sender", HttpxWebhookSender)

    def worker(self, worker_id: str | None = None) -> Worker:
        handlers: dict[str, JobHandler] = {
            SCREEN_JOB: ScreenJobHandler(
                self.engine, self.clock, self.settings, model_stage_follows=self.flag_model is not None
            ),
            MODEL_SCREEN_JOB: ScreenJobHandler(self.engine, self.clock, self.settings, flag_model=self.flag_model),
            DRAFT_JOB: DraftJobHandler(self.engine, self.pipeline, self.clock, self.settings),
            WEBHOOK_JOB: EscalationWebhookHandler(self.engine, self.webhook_sender, self.clock, self.settings),
        }
        return Worker(self.engine, handlers, self.clock, self.settings, worker_id)

    def close(self) -> None:
        engine = self._built.get("engine")
        if engine is not None:
            engine.dispose()
