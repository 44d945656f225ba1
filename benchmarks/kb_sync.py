"""How long ``triage kb sync`` takes on a large knowledge base: cold, with nothing changed, and with one edit.

``--articles`` articles (default 2,000, synthesised from ``knowledge_base/`` by ``benchmarks/synthetic_kb.py``)
are written to a temporary directory and synced three times through ``app.setup.sync_knowledge`` — what the CLI
and ``ensure_ready`` run — with the real MiniLM embedder and embedded Chroma in the same temporary directory:

1. cold: an empty database and index (every article screened, versioned, split, embedded and indexed);
2. no change: the same files again (everything must be recognised as unchanged);
3. one change: one article's summary edited (one new version, one article re-embedded).

``--database-url`` runs against PostgreSQL instead of a SQLite file (the database must exist and be empty).

Run: ``.venv/bin/python benchmarks/kb_sync.py [--articles 2000] [--database-url postgresql+psycopg://…]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `app` and `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import Settings
from app.knowledge.embeddings import get_embedder
from app.migrate import upgrade
from app.services import Services
from app.setup import sync_knowledge
from benchmarks.synthetic_kb import write_kb


def timed_sync(services: Services, label: str) -> float:
    started = time.perf_counter()
    result = sync_knowledge(services)
    elapsed = time.perf_counter() - started
    report = result.index
    print(
        f"  {label:11s} {elapsed:8.1f} s   versions recorded {len(result.versions_added):5d}   "
        f"embedded {report.embedded:5d}   unchanged {report.unchanged:5d}   removed {len(report.removed)}",
        flush=True,
    )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        articles = write_kb(root / "kb", args.articles)
        settings = Settings(data_dir=root, knowledge_dir=root / "kb", database_url=args.database_url)
        upgrade(settings.resolved_database_url)
        services = Services(settings, embedder=get_embedder())
        services.embedder.embed(["warm up the model"])  # loading the weights is not part of any sync
        print(f"kb sync of {len(articles)} articles ({settings.resolved_database_url.split(':', 1)[0]})")
        timed_sync(services, "cold")
        timed_sync(services, "no change")
        edited = root / "kb" / f"{articles[len(articles) // 2].id}.md"
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("## Summary\n", "## Summary\nReviewed again this quarter.\n", 1), "utf-8")
        timed_sync(services, "one change")
        services.close()


if __name__ == "__main__":
    main()
