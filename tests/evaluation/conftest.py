"""Helpers for the eval tests: suites written to a temp folder, and a system under test built from plain
functions, so the runner, metrics and gate are tested on behaviour a test controls (a detector that misses, a
drafter that is slow) without patching anything. The real offline system for the quality gate is built once per
session, with its own batched embedding memo (the classifier's example vectors come from var/test-cache).
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.config import PROJECT_ROOT, Settings
from app.evaluation.results import RunResult
from app.evaluation.runner import RunOptions, run_suites
from app.evaluation.suites import SuiteSpec, load_suite
from app.evaluation.system import MemoEmbedder, SystemUnderTest, from_services
from app.knowledge.embeddings import Embedder
from app.knowledge.multilingual_embeddings import embedder_named
from app.knowledge.retrieval import SearchHit
from app.knowledge.vector_store import ChromaVectorStore
from app.llm.factory import build_provider
from app.migrate import upgrade
from app.services import Services
from app.setup import sync_knowledge
from app.taxonomy import RISK_FLAGS, priority_for
from app.triage.model_store import FlagModelStore, StoreBackedFlagModel
from app.triage.pipeline import DraftOutcome, PipelineInput
from tests.conftest import TEST_CACHE

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge_base"


def outcome(
    category: str = "feedback_other",
    flags: Sequence[str] = (),
    reply: str = "Thanks, we are looking into it.",
    citations: Sequence[dict[str, Any]] = (),
) -> DraftOutcome:
    return DraftOutcome(
        category=category,
        priority=priority_for(category, list(flags)).value,
        risk_flags=[
            {"code": f, "severity": RISK_FLAGS[f].severity.value, "source": "rule", "evidence": ""} for f in flags
        ],
        reply=reply,
        citations=list(citations),
        findings=[],
        blocking=False,
        origin="model",
        provider="stub",
        model="stub-1",
        prompt_name="stub",
        prompt_version="stub@0",
    )


class ScriptedDrafter:
    """Answers each message with ``answer(input)``, after ``latency_s``; records how many ran at once."""

    def __init__(self, answer: Callable[[PipelineInput], DraftOutcome], latency_s: float = 0.0) -> None:
        self._answer = answer
        self._latency = latency_s
        self.running = 0
        self.peak = 0
        self.calls = 0

    async def run(self, inp: PipelineInput) -> DraftOutcome:
        self.calls += 1
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            if self._latency:
                await asyncio.sleep(self._latency)
            return self._answer(inp)
        finally:
            self.running -= 1


class NoRetriever:
    def search_articles(
        self, query: str, k: int = 3, locale: str | None = None, categories: Sequence[str] | None = None
    ) -> list[SearchHit]:
        return []


def stub_system(drafter: Any = None, **overrides: Any) -> SystemUnderTest:
    return SystemUnderTest(
        drafter=drafter or ScriptedDrafter(lambda inp: outcome()),
        retriever=overrides.pop("retriever", NoRetriever()),
        articles=overrides.pop("articles", {}),
        provider="stub",
        model="stub-1",
        **overrides,
    )


def write_suite(root: Path, name: str, spec: dict[str, Any], cases: list[dict[str, Any]] | None) -> SuiteSpec:
    """A suite folder under ``root`` (``cases=None`` writes no cases file)."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "suite.yaml").write_text(yaml.safe_dump({"name": name, **spec}), encoding="utf-8")
    if cases is not None:
        import json

        (folder / "cases.jsonl").write_text("".join(json.dumps(c) + "\n" for c in cases), encoding="utf-8")
    return load_suite(folder)


def run(specs: list[SuiteSpec], system: SystemUnderTest, tmp_path: Path, **options: Any) -> RunResult:
    opts = RunOptions(project_root=tmp_path, knowledge_dir=KNOWLEDGE_DIR, **options)
    return asyncio.run(run_suites(specs, system, opts))


@pytest.fixture(scope="session")
def offline_system(
    embedder: Embedder, indexed_chroma: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SystemUnderTest]:
    """The real offline pipeline, retriever and detectors on a copy of the indexed knowledge base.

    Its own provider shares a ``MemoEmbedder`` with the retriever so each eval text is embedded once, in a batch
    (training reads the example vectors cached in var/test-cache; only the two regressions are fitted).
    """
    data_dir = tmp_path_factory.mktemp("eval-system")
    shutil.copytree(indexed_chroma, data_dir / "chroma")
    memo = MemoEmbedder(embedder)
    settings = Settings(data_dir=data_dir, chroma_path=data_dir / "chroma")
    services = Services(
        settings,
        embedder=memo,
        provider=build_provider(Settings(data_dir=TEST_CACHE), memo),
        store=ChromaVectorStore.persistent(data_dir / "chroma"),
        flag_model=StoreBackedFlagModel(FlagModelStore(TEST_CACHE / "no-models", embedder_named)),
    )
    upgrade(settings.resolved_database_url)
    sync_knowledge(services)
    try:
        yield from_services(services)
    finally:
        services.close()
