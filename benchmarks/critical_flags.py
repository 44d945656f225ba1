"""Critical-flag detection: the rules alone vs the rules plus the nearest-example model, on two labelled sets.

Run from the repository root:  .venv/bin/python benchmarks/critical_flags.py [--grid]

``evals/data/labelled_messages.jsonl`` is the set the rules were tuned on (and the model's thresholds chosen
on); ``evals/data/fresh_messages.jsonl`` was written later by someone who had not read the detectors, and is
never tuned on: its numbers are the honest estimate. Prints recall, precision and the false-positive rate on
hard negatives for each, and the time per message. ``--grid`` prints the threshold grid used to choose the
model's settings (on the labelled set only).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import numpy as np  # noqa: E402

from app.config import Settings  # noqa: E402
from app.knowledge.embeddings import Embedder, get_embedder  # noqa: E402
from app.taxonomy import CRITICAL_FLAGS  # noqa: E402
from app.triage.flag_model import CriticalFlagModel, FlagModelSettings, message_sentences  # noqa: E402
from app.triage.signals import detect_signals  # noqa: E402

SETS = {
    "labelled (tuned on)": "evals/data/labelled_messages.jsonl",
    "fresh (unseen)": "evals/data/fresh_messages.jsonl",
}


def load(path: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (REPO_ROOT / path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score(rows: list[dict[str, object]], got: list[set[str]]) -> str:
    tp = fp = fn = 0
    hard = hard_hits = 0
    for row, flags in zip(rows, got, strict=True):
        gold = set(row["flags"]) & CRITICAL_FLAGS  # type: ignore[arg-type]
        tp += len(gold & flags)
        fp += len(flags - gold)
        fn += len(gold - flags)
        if row.get("hard_negative"):
            hard += 1
            hard_hits += bool(flags - gold)
    recall = tp / max(tp + fn, 1)
    precision = tp / max(tp + fp, 1)
    return f"recall {recall:.3f} ({tp}/{tp + fn})  precision {precision:.3f}  hard-negative FP {hard_hits}/{hard}"


@dataclass
class Prepared:
    """A set's messages with their rule flags and sentence vectors, computed once for every model setting."""

    texts: list[str]
    rules: list[set[str]]
    sentences: list[list[str]]
    vectors: np.ndarray
    bounds: np.ndarray

    def combined(self, model: CriticalFlagModel, *, with_rules: bool = True) -> list[set[str]]:
        out = []
        for i, text in enumerate(self.texts):
            found = set(self.rules[i]) if with_rules else set()
            if self.sentences[i]:
                vectors = self.vectors[self.bounds[i] : self.bounds[i + 1]]
                found |= {s.code for s in model.detect_embedded(text, self.sentences[i], vectors)}
            out.append(found)
        return out


def prepare(texts: list[str], embedder: Embedder) -> tuple[Prepared, float]:
    rules = [{s.code for s in detect_signals(t)} & CRITICAL_FLAGS for t in texts]
    started = time.perf_counter()
    sentences = [message_sentences(t) for t in texts]
    vectors = embedder.embed([s for group in sentences for s in group])
    per_message_ms = (time.perf_counter() - started) * 1000 / len(texts)
    bounds = np.cumsum([0] + [len(g) for g in sentences])
    return Prepared(texts, rules, sentences, vectors, bounds), per_message_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    embedder = get_embedder()
    started = time.perf_counter()
    model = CriticalFlagModel.load(embedder, cache_dir=Settings().cache_dir)
    print(f"model ready in {time.perf_counter() - started:.1f} s")
    for name, path in SETS.items():
        rows = load(path)
        prepared, per_message_ms = prepare([str(r["body"]) for r in rows], embedder)
        print(f"\n{name}: {len(rows)} messages; embedding {per_message_ms:.0f} ms/message")
        print(f"  rules only      {score(rows, prepared.rules)}")
        print(f"  model only      {score(rows, prepared.combined(model, with_rules=False))}")
        print(f"  rules + model   {score(rows, prepared.combined(model))}")
        if args.grid and path.startswith("evals/data/labelled"):
            for c in (1.0, 4.0, 16.0):
                for probability in (0.5, 0.6, 0.7, 0.8):
                    tuned = CriticalFlagModel.load(embedder, Settings().cache_dir, FlagModelSettings(probability, c))
                    alone = score(rows, prepared.combined(tuned, with_rules=False))
                    both = score(rows, prepared.combined(tuned))
                    print(f"    C {c:<4} p >= {probability:.1f}: model only {alone}\n{'':22}with rules {both}")


if __name__ == "__main__":
    main()
