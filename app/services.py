"""Builds the side-effecting parts (engine, vector store, embedder, classifier, provider, pipeline) lazily.

The API keeps one ``Services`` on ``app.state`` and every dependency reads from it, so tests pass their own
pieces to ``create_app`` or use ``app.dependency_overrides``; the CLI builds one per command. Nothing here is a
module-level global.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.engine import Engine

from app.cases.ingest_writer import IngestWriter
from app.channels.captcha import CaptchaVerifier, NoCaptcha, SiteverifyCaptcha
from app.clock import Clock, SystemClock
from app.config import Settings
from app.db import make_engine
from app.delivery.outbox import DELIVERY_JOB
from app.delivery.senders import MailSender, ReplyWebhookSender, SmtpMailSender
from app.delivery.tasks import DeliveryJobHandler
from app.escalation.tasks import WEBHOOK_JOB, EscalationWebhookHandler
from app.escalation.webhook import HttpxWebhookSender, WebhookSender
from app.jobs.worker import JobHandler, Worker
from app.knowledge.catalog import DbArticleCatalog
from app.knowledge.embeddings import Embedder, get_embedder
from app.knowledge.multilingual_embeddings import embedder_named
from app.knowledge.retrieval import HybridRetriever
from app.knowledge.vector_store import ChromaVectorStore, VectorStore
from app.llm.provider import Provider
from app.ratelimit.store import SharedRateLimiter
from app.safety.expiry import HoldExpiryHandler
from app.safety.holds import HOLD_EXPIRY_JOB
from app.safety.ownership import ACK_CHECK_JOB
from app.safety.realert import AckCheckHandler
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
    def ingest_writer(self) -> IngestWriter:
        """The group-committing ingest writer (one thread by default: see ``TRIAGE_INGEST_THREADS``)."""

        def build() -> IngestWriter:
            # One thread: batches are the parallelism. More writer threads only queued on the GIL between round
            # trips (measured on PostgreSQL: 4 threads, p95 13x the bare endpoint; 1 thread, 2.4x).
            threads = self.settings.ingest_threads or 1
            return IngestWriter(
                self.engine,
                self.clock,
                max_attempts=self.settings.job_max_attempts,
                threads=threads,
                max_batch=self.settings.ingest_max_batch,
            )

        return self._get("ingest_writer", build)

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

    @property
    def mail_sender(self) -> MailSender | None:
        """SMTP to ``TRIAGE_SMTP_HOST``; None when unset (email replies then fail visibly, saying so)."""

        def build() -> MailSender | None:
            s = self.settings
            if not s.smtp_host:
                return None
            password = s.smtp_password.get_secret_value() if s.smtp_password else None
            return SmtpMailSender(
                s.smtp_host,
                s.smtp_port,
                security=s.smtp_security,
                username=s.smtp_username,
                password=password,
                timeout_s=s.smtp_timeout_s,
            )

        return self._get("mail_sender", build)

    @property
    def captcha_verifier(self) -> CaptchaVerifier:
        def build() -> CaptchaVerifier:
            s = self.settings
            if s.captcha_verify_url and s.captcha_secret:
                return SiteverifyCaptcha(s.captcha_verify_url, s.captcha_secret.get_secret_value())
            return NoCaptcha()

        return self._get("captcha_verifier", build)

    @property
    def webform_limiter(self) -> SharedRateLimiter:
        """Per-IP submission window of the public web form, counted in the database (shared by every process)."""
        s = self.settings
        return self._get(
            "webform_limiter",
            lambda: SharedRateLimiter(
                self.engine,
                self.clock,
                scope="webform",
                max_failures=s.webform_rate_limit,
                window=timedelta(seconds=s.webform_rate_window_s),
            ),
        )

    @property
    def reply_webhook_sender(self) -> WebhookSender:
        return self._get("reply_webhook_sender", ReplyWebhookSender)

    def delivery_handler(self) -> DeliveryJobHandler:
        return DeliveryJobHandler(self.engine, self.mail_sender, self.reply_webhook_sender, self.clock, self.settings)

    def worker(self, worker_id: str | None = None) -> Worker:
        handlers: dict[str, JobHandler] = {
            SCREEN_JOB: ScreenJobHandler(
                self.engine, self.clock, self.settings, model_stage_follows=self.flag_model is not None
            ),
            MODEL_SCREEN_JOB: ScreenJobHandler(self.engine, self.clock, self.settings, flag_model=self.flag_model),
            DRAFT_JOB: DraftJobHandler(self.engine, self.pipeline, self.clock, self.settings),
            WEBHOOK_JOB: EscalationWebhookHandler(self.engine, self.webhook_sender, self.clock, self.settings),
            DELIVERY_JOB: self.delivery_handler(),
            ACK_CHECK_JOB: AckCheckHandler(self.engine, self.clock, self.settings),
            HOLD_EXPIRY_JOB: HoldExpiryHandler(self.engine, self.clock),
        }
        return Worker(self.engine, handlers, self.clock, self.settings, worker_id)

    def close(self) -> None:
        writer = self._built.get("ingest_writer")
        if writer is not None:
            writer.close()
        engine = self._built.get("engine")
        if engine is not None:
            engine.dispose()
