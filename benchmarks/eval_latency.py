"""How long an eval run takes against a slow model: 500+ cases through an endpoint that answers in 1 s (issue 16).

The ``classification`` suite (540 labelled messages, every one drafted through the configured provider) runs
through ``triage eval run`` exactly as QA runs it, with ``TRIAGE_LLM_PROVIDER=openai`` pointed at
``benchmarks/stub_llm.py`` answering every call after ``--latency`` seconds. Drafting is concurrent
(``--concurrency``), and the provider's HTTP pool is sized from it, so the run should take about
cases / concurrency x latency plus our own per-case work, not cases x latency.

Run: ``.venv/bin/python benchmarks/eval_latency.py [--latency 1.0] [--concurrency 32] [--suite classification]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `app` and `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import PROJECT_ROOT
from benchmarks.stub_llm import stub_llm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--latency", type=float, default=1.0, help="seconds the stub takes per call")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--suite", default="classification")
    args = parser.parse_args()
    data_dir = PROJECT_ROOT / "var" / "bench-cache" / "eval-latency"
    with stub_llm(args.latency) as (base_url, calls):
        env = {
            **os.environ,
            "TRIAGE_DATA_DIR": str(data_dir),
            "TRIAGE_LLM_PROVIDER": "openai",
            "TRIAGE_LLM_BASE_URL": base_url,
            "TRIAGE_LLM_API_KEY": "stub",
            "TRIAGE_LLM_MODEL": "stub-1s",
            "TRIAGE_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(PROJECT_ROOT),
        }
        command = [
            str(Path(sys.executable).with_name("triage")),
            "eval",
            "run",
            args.suite,
            "--concurrency",
            str(args.concurrency),
            "--no-store",
            "--json",
            str(data_dir / "run.json"),
        ]
        triage = str(Path(sys.executable).with_name("triage"))
        # The knowledge base is indexed once and kept (QA runs against an installed desk, not a fresh one).
        subprocess.run([triage, "kb", "sync"], env=env, cwd=PROJECT_ROOT, capture_output=True, check=True)
        (data_dir / "run.json").unlink(missing_ok=True)
        started, started_at = time.perf_counter(), time.monotonic()
        completed = subprocess.run(command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
        elapsed, end_at = time.perf_counter() - started, time.monotonic()
        if not (data_dir / "run.json").is_file():
            sys.exit(f"eval run failed ({completed.returncode}):\n{completed.stderr[-2000:]}")
    first, last = (min(calls) - args.latency, max(calls)) if calls else (0.0, 0.0)
    print(
        f"eval run: suite {args.suite}, {len(calls)} model calls at {args.latency:g} s each, "
        f"concurrency {args.concurrency}"
    )
    print(
        f"  wall time {elapsed:.1f} s: start-up (loading models, KB already indexed) {first - started_at:.1f} s, "
        f"model calls {last - first:.1f} s, scoring and report {end_at - last:.1f} s"
    )
    print(f"  serial would be {len(calls) * args.latency:.0f} s; target (issue 16): 500 cases < 60 s")


if __name__ == "__main__":
    main()
