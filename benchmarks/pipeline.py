"""Drafting-pipeline overhead per message at 53 articles (the shipped KB) and at 2,000 (synthesised variants).

Everything ``DraftingPipeline.run`` does is timed — signals, the critical-flag model, retrieval (real embedded
Chroma, BM25, the real MiniLM embedder), the catalog, guardrails — with two providers:

* ``offline``: the shipped no-LLM provider (its classifier is our code, so all of it counts);
* ``zero-latency``: the fake provider answering at once, i.e. what we add on top of any model.

Messages are the labelled inbound messages of ``evals/data/labelled_messages.jsonl`` (real wording, several
languages, long and short), cycled to ``--messages``; drafts that take the safety template are timed too (they skip
the provider but not retrieval). The 2,000-article index is built once with the real embedder and cached under
``var/bench-cache/`` keyed by the articles' content (a cold build is ``benchmarks/kb_sync.py``'s subject); every
run copies it into a temporary directory with a fresh SQLite database, so runs never change the cache.

Run: ``.venv/bin/python benchmarks/pipeline.py [--sizes 53 2000] [--messages 300] [--repeat 1]``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `app` and `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import PROJECT_ROOT, Settings
from app.knowledge.articles import load_articles
from app.knowledge.embeddings import Embedder, get_embedder
from app.knowledge.multilingual_embeddings import embedder_named
from app.llm.factory import build_provider
from app.llm.fake import FakeProvider
from app.llm.provider import Provider
from app.migrate import upgrade
from app.services import Services
from app.setup import sync_knowledge
from app.triage.model_store import FlagModelStore, StoreBackedFlagModel
from app.triage.pipeline import PipelineInput
from benchmarks.synthetic_kb import kb_digest, write_kb

CACHE = PROJECT_ROOT / "var" / "bench-cache"


def load_messages(limit: int) -> list[PipelineInput]:
    rows = [
        json.loads(line)
        for line in (PROJECT_ROOT / "evals" / "data" / "labelled_messages.jsonl").read_text().splitlines()
        if line.strip()
    ]
    return [
        PipelineInput(
            correlation_id=f"bench-{n}",
            message=rows[n % len(rows)]["body"],
            sender_kind=rows[n % len(rows)].get("sender_kind", "user"),
        )
        for n in range(limit)
    ]


def prepare_kb(root: Path, count: int) -> Path:
    """The shipped knowledge base for ``count`` <= its size, else ``count`` synthesised articles under ``root``."""
    shipped = PROJECT_ROOT / "knowledge_base"
    if count <= len(load_articles(shipped)):
        return shipped
    write_kb(root / "kb", count)
    return root / "kb"


def cached_index(embedder: Embedder, kb_dir: Path) -> Path:
    """A Chroma directory holding ``kb_dir``, built once per content and embedder."""
    articles = load_articles(kb_dir)
    count = len(articles)
    target = CACHE / f"pipeline-kb-{count}-{kb_digest(articles)}-{embedder.name}"
    if (target / "READY").is_file():
        return target / "chroma"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), knowledge_dir=kb_dir)
        services = Services(settings, embedder=embedder)
        upgrade(settings.resolved_database_url)
        started = time.perf_counter()
        sync_knowledge(services)
        print(f"  built the {count}-article index in {time.perf_counter() - started:.0f} s (cached for later runs)")
        services.close()
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copytree(settings.resolved_chroma_path, target / "chroma")
    (target / "READY").write_text("ok")
    return target / "chroma"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed_run(services: Services, messages: list[PipelineInput], warmup: int) -> tuple[list[float], int]:
    pipeline = services.pipeline
    timings: list[float] = []
    safety = 0
    for n, inp in enumerate(messages):
        started = time.perf_counter()
        outcome = await pipeline.run(inp)
        elapsed = (time.perf_counter() - started) * 1000
        safety += outcome.origin == "safety_template"
        if n >= warmup:
            timings.append(elapsed)
    return timings, safety


def measure(
    embedder: Embedder, count: int, provider_name: str, messages: list[PipelineInput], warmup: int
) -> tuple[list[float], int]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        kb_dir = prepare_kb(root, count)
        chroma = cached_index(embedder, kb_dir)
        shutil.copytree(chroma, root / "chroma")
        settings = Settings(data_dir=root, knowledge_dir=kb_dir, chroma_path=root / "chroma")
        models = Settings(data_dir=CACHE / "models")  # content-keyed example vectors, kept between runs
        provider: Provider = FakeProvider() if provider_name == "zero-latency" else build_provider(models, embedder)
        flag_model = StoreBackedFlagModel(FlagModelStore(models.data_dir / "models", embedder_named))
        services = Services(settings, embedder=embedder, provider=provider, flag_model=flag_model)
        upgrade(settings.resolved_database_url)
        sync_knowledge(services)  # records the versions; the copied index already holds every chunk
        try:
            return asyncio.run(timed_run(services, messages, warmup))
        finally:
            services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[53, 2000])
    parser.add_argument("--providers", nargs="+", default=["offline", "zero-latency"])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size and provider; medians are reported")
    args = parser.parse_args()

    embedder = get_embedder()
    messages = load_messages(args.messages + args.warmup)
    print(f"pipeline overhead per message ({args.messages} timed messages after {args.warmup} warm-up)")
    for count in args.sizes:
        for provider_name in args.providers:
            runs = [measure(embedder, count, provider_name, messages, args.warmup) for _ in range(args.repeat)]
            p50 = statistics.median(percentile(t, 0.5) for t, _ in runs)
            p95 = statistics.median(percentile(t, 0.95) for t, _ in runs)
            mean = statistics.median(statistics.fmean(t) for t, _ in runs)
            print(
                f"  {count:5d} articles  {provider_name:12s}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
                f"mean {mean:6.1f} ms  (safety-template drafts: {runs[0][1]}; runs: {args.repeat})",
                flush=True,
            )


if __name__ == "__main__":
    main()
