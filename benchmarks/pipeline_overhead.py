"""What the drafting pipeline costs per message on top of the model: p50 and p95 against a zero-latency endpoint.

A stub OpenAI-compatible server on 127.0.0.1 (an ephemeral port, stdlib ``http.server``) answers every chat
completion at once with a valid draft, so everything timed is ours: signals, retrieval (real Chroma index of
``knowledge_base/`` and the real MiniLM embedder, or ``--embedder hashing``), PII redaction, prompt rendering,
the openai SDK, a real loopback HTTP round trip, JSON validation, the SQLite call-log row, guardrails and
placeholder restoration. The stub's own handling (well under a millisecond) is counted too, so the figures are
an upper bound. Messages whose rules raise a critical flag skip the model (safety template) and are left out.

Run: ``.venv/bin/python benchmarks/pipeline_overhead.py [--messages 200] [--embedder minilm|hashing]``
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `app` importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import PROJECT_ROOT, Settings
from app.knowledge.embeddings import Embedder, HashingEmbedder, get_embedder
from app.llm.factory import build_provider
from app.llm.provider import Provider
from app.llm.schemas import DraftRequest, ProviderResult
from app.services import Services
from app.setup import ensure_ready
from app.triage.pipeline import PipelineInput
from benchmarks.stub_llm import stub_llm

FALLBACK_MESSAGES = [
    ("I paid $9.99 for 1,000 coins with my card 4111 1111 1111 1111 but my balance still shows 20.", "en"),
    ("My gift went to the wrong LIVE, I meant to send the Galaxy to @mia_sings. Email me at ana@example.com", "en"),
    ("Hola, compré 1.400 monedas y solo me llegaron 700. Mi teléfono es +34 612 345 678.", None),
    ("I can't log in since yesterday, someone changed my email and 2FA. Last IP I used was 203.0.113.42", "en"),
    ("When will my diamonds be paid out to PayPal? It has been 10 days since I requested the withdrawal.", "en"),
    ("Please delete all my data under CCPA. My SSN is 123-45-6789 if you need to verify me.", "en"),
    ("An agency promised me a host contract if I pay a $200 fee first. Is this legit?", "en"),
    ("The app crashes every time I open a LIVE on Android 14.", "en"),
]


def kb_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((PROJECT_ROOT / "knowledge_base").rglob("*.md")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def load_messages(limit: int) -> list[tuple[str, str | None]]:
    """The demo messages when present (realistic, varied), else a built-in set; cycled to ``limit``."""
    demo = PROJECT_ROOT / "app" / "demo" / "messages.jsonl"
    base: list[tuple[str, str | None]] = []
    if demo.is_file():
        for line in demo.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                base.append((row["body"], row.get("locale")))
    base = base or FALLBACK_MESSAGES
    return [base[i % len(base)] for i in range(limit)]


class TimedProvider:
    """Wraps the real provider to time its part (prompts, SDK, HTTP, validation, call log) apart from the rest."""

    def __init__(self, inner: Provider) -> None:
        self._inner = inner
        self.name = inner.name
        self.model = inner.model
        self.timings: list[float] = []

    async def draft(self, request: DraftRequest) -> ProviderResult:
        started = time.perf_counter()
        try:
            return await self._inner.draft(request)
        finally:
            self.timings.append((time.perf_counter() - started) * 1000)

    async def ping(self) -> None:
        await self._inner.ping()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(
    services: Services, provider: TimedProvider, messages: list[tuple[str, str | None]], warmup: int
) -> tuple[list[float], list[float], int]:
    """Per-message total and provider-part timings (ms) of drafts that reached the model, after the warm-up."""
    pipeline = services.pipeline
    totals: list[float] = []
    parts: list[float] = []
    skipped = 0
    for n, (body, locale) in enumerate(messages):
        inp = PipelineInput(correlation_id=f"bench-{n}", message=body, locale=locale)
        calls = len(provider.timings)
        started = time.perf_counter()
        outcome = await pipeline.run(inp)
        elapsed = (time.perf_counter() - started) * 1000
        if outcome.origin != "model":
            skipped += 1
        elif n >= warmup:
            totals.append(elapsed)
            parts.append(sum(provider.timings[calls:]))
    return totals, parts, skipped


def summary(values: list[float]) -> str:
    return (
        f"p50 {percentile(values, 0.50):6.1f} ms   p95 {percentile(values, 0.95):6.1f} ms   "
        f"mean {statistics.fmean(values):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    args = parser.parse_args()

    stub = stub_llm()
    base_url, _calls = stub.__enter__()
    embedder: Embedder = get_embedder() if args.embedder == "minilm" else HashingEmbedder()
    # The indexed knowledge base is kept between runs (indexing with MiniLM takes minutes on 2 busy cores),
    # keyed by the KB's content and the embedder, so a changed article never meets a stale index.
    data_dir = PROJECT_ROOT / "var" / "bench-cache" / f"pipeline-{args.embedder}-{kb_digest()}"
    settings = Settings(
        data_dir=data_dir,
        llm_provider="openai",
        llm_base_url=base_url,
        llm_model="zero-latency-stub",
    )
    provider = TimedProvider(build_provider(settings, embedder))
    services = Services(settings, embedder=embedder, provider=provider)
    started = time.perf_counter()
    ensure_ready(services)  # migrate + index the knowledge base when not cached (not timed per message)
    setup_s = time.perf_counter() - started
    totals, parts, skipped = asyncio.run(measure(services, provider, load_messages(args.messages), args.warmup))
    services.close()
    stub.__exit__(None, None, None)

    print(f"pipeline overhead per message, openai provider vs a zero-latency endpoint on 127.0.0.1 ({args.embedder})")
    print(
        f"  setup (migrate + index KB, cached in var/bench-cache): {setup_s:.1f} s; messages timed: {len(totals)}",
        end="",
    )
    print(f" (warm-up {args.warmup}, safety-template drafts skipped: {skipped})")
    if totals:
        rest = [t - p for t, p in zip(totals, parts, strict=True)]
        print(f"  whole pipeline overhead    {summary(totals)}")
        print(f"    provider part            {summary(parts)}   (prompts, SDK, HTTP, validation, call log)")
        print(f"    signals+retrieval+rest   {summary(rest)}")


if __name__ == "__main__":
    main()
