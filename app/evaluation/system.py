"""The system under test: the parts of Triage Desk a suite measures, each swappable.

A suite never reaches into ``Services``; it gets these callables and objects, so a test can hand the runner a
deliberately degraded detector or drafter and watch the gate fail — without patching anything. ``from_services``
assembles the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from app.knowledge.embeddings import Embedder, FloatArray
from app.knowledge.retrieval import SearchHit
from app.triage.detection import combined_signals
from app.triage.pipeline import DraftOutcome, PipelineInput
from app.triage.redaction import PiiSpan, find_pii
from app.triage.signals import SenderHistory, Signal, detect_injection, detect_signals

if TYPE_CHECKING:
    from app.evaluation.judge import Judge
    from app.services import Services


class Drafter(Protocol):
    async def run(self, inp: PipelineInput) -> DraftOutcome: ...


class ArticleSearch(Protocol):
    def search_articles(
        self, query: str, k: int = 3, locale: str | None = None, categories: Sequence[str] | None = None
    ) -> list[SearchHit]: ...


SignalDetector = Callable[[str, Mapping[str, Any] | None, SenderHistory | None], list[Signal]]
InjectionDetector = Callable[[str], list[Signal]]
PiiFinder = Callable[[str], list[PiiSpan]]


def _detect_signals(text: str, metadata: Mapping[str, Any] | None, history: SenderHistory | None) -> list[Signal]:
    return detect_signals(text, metadata, history)


@dataclass
class SystemUnderTest:
    drafter: Drafter
    retriever: ArticleSearch
    articles: Mapping[str, int]  # article id -> current version: what a valid citation may name
    provider: str
    model: str
    article_bodies: Mapping[str, str] = field(default_factory=dict)  # for the judge's groundedness grade
    detect_signals: SignalDetector = _detect_signals
    detect_injection: InjectionDetector = detect_injection
    find_pii: PiiFinder = find_pii
    judge: Judge | None = None
    prompt_versions: dict[str, str] = field(default_factory=dict)
    prefetch: Callable[[list[str]], None] = lambda texts: None
    memo: MemoEmbedder | None = None


class MemoEmbedder:
    """Remembers vectors for the texts of one eval run, so a message is embedded once, in a batch.

    The pipeline embeds each message twice (retrieval, then the offline classifier) and one at a time; asking it
    to ``prefetch`` the run's texts first makes that one batched pass. It lives for one run, in memory, and its
    hit counts go into the report: nothing is cached across runs. Vectors are the model's (same name and
    dimension), so the classifier's example-vector cache still applies.
    """

    def __init__(self, inner: Embedder, max_entries: int = 50_000) -> None:
        self._inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._vectors: dict[str, FloatArray] = {}
        self._max = max_entries
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def embed(self, texts: list[str]) -> FloatArray:
        with self._lock:
            if len(self._vectors) >= self._max:
                self._vectors.clear()
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        fresh = dict(zip(missing, self._inner.embed(missing), strict=True)) if missing else {}
        with self._lock:
            self._vectors.update(fresh)
            self.misses += len(missing)
            self.hits += len(texts) - len(missing)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        result: FloatArray = np.stack([known[t] if t in known else fresh[t] for t in texts]).astype(np.float32)
        return result

    def prefetch(self, texts: list[str]) -> None:
        if texts:
            self.embed(texts)

    def stats(self) -> dict[str, int]:
        return {"embedded": self.misses, "reused": self.hits}


def from_services(services: Services, *, judge: Judge | None = None) -> SystemUnderTest:
    """The real pipeline, retriever and detectors of ``services``; wrap its embedder in a ``MemoEmbedder`` when
    building ``services`` (``Services(settings, embedder=MemoEmbedder(get_embedder()))``) to batch the
    embedding work."""
    from app.llm.prompts import PromptError, load_prompt

    provider = services.provider
    memo = services.embedder if isinstance(services.embedder, MemoEmbedder) else None
    catalog = services.catalog.all()
    prompts_dir = services.settings.prompts_dir
    versions: dict[str, str] = {}
    for path in sorted(prompts_dir.glob("*.md")):
        try:
            versions[path.stem] = load_prompt(prompts_dir, path.stem).version
        except PromptError:  # not a prompt template (a README); the report lists templates only
            continue
    return SystemUnderTest(
        drafter=services.pipeline,
        retriever=services.retriever,
        articles={a.id: a.version for a in catalog},
        article_bodies={a.id: a.body for a in catalog},
        provider=provider.name,
        model=provider.model,
        judge=judge,
        detect_signals=combined_signals(services.flag_model),
        # Injection on its own (messages and KB articles alike) is the rule floor, as the knowledge base's screening
        # uses it: the model reads policy prose as instructions (52 of 53 articles). In drafts the model's
        # prompt_injection flag is merged and located (risk-flag suites, guardrail tests).
        prompt_versions=versions,
        prefetch=memo.prefetch if memo else (lambda texts: None),
        memo=memo,
    )


def pipeline_text(inp: PipelineInput) -> list[str]:
    """What the pipeline will embed for ``inp`` (the full text for the classifier, its head for retrieval)."""
    text = "\n".join(p for p in (inp.subject, inp.message) if p)
    return list(dict.fromkeys([text, text[:2000]]))
