"""Choose the provider from settings: ``offline`` (default, embedded) or ``openai`` (any compatible endpoint)."""

from __future__ import annotations

from app.config import Settings
from app.knowledge.embeddings import Embedder
from app.llm.call_log import CallRecorder
from app.llm.offline import OfflineProvider
from app.llm.prompts import load_prompt
from app.llm.provider import Provider


def build_provider(settings: Settings, embedder: Embedder, recorder: CallRecorder | None = None) -> Provider:
    if settings.llm_provider == "offline":
        from app.knowledge.multilingual_embeddings import ConcatEmbedder, get_multilingual_embedder
        from app.triage.classifier import CategoryClassifier

        # Categories read MiniLM and USE-m3 side by side: on the labelled set English accuracy 0.744 → 0.724,
        # non-English 0.615 → 0.821 (benchmarks/embedders.py, README); the draft computes both vectors anyway.
        classifier = CategoryClassifier.train(
            ConcatEmbedder(embedder, get_multilingual_embedder()), cache_dir=settings.cache_dir
        )
        return OfflineProvider(
            classifier,
            reply_prompt=load_prompt(settings.prompts_dir, "offline_reply"),
            fallback_prompt=load_prompt(settings.prompts_dir, "offline_fallback"),
            holding_prompt=load_prompt(settings.prompts_dir, "offline_holding"),
            model=f"logreg+kb-guidance ({classifier.embedder_name})",
        )
    if settings.llm_provider == "openai":
        from app.db import make_engine
        from app.llm.call_log import DbCallRecorder
        from app.llm.openai_provider import OpenAIProvider

        recorder = recorder or DbCallRecorder(make_engine(settings.resolved_database_url))
        return OpenAIProvider.from_settings(settings, recorder)
    if settings.llm_provider == "fake":
        from app.llm.fake import FakeProvider

        return FakeProvider(latency_s=settings.fake_latency_s)
    raise ValueError(f"TRIAGE_LLM_PROVIDER={settings.llm_provider!r} is unknown; use 'offline' or 'openai'")
