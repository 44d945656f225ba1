"""Risk-flag detection: the rule floor alone, the flag model alone, and both, on four labelled sets; and its cost.

Run from the repository root:  .venv/bin/python benchmarks/critical_flags.py [--messages 500]

Sets: the flag corpus's held-back test split (never trained on, thresholds not chosen on it), the older
``evals/data/labelled_messages.jsonl`` (the set the rules were once tuned on), ``fresh_messages.jsonl`` and
``fresh_flags_2026_12.jsonl`` (written by people who had seen neither rules nor model). For each: critical
precision and recall, the share of hard negatives called critical, and recall over the nine other flags.
Detection is text only here (no metadata or sender history), as the model sees it.

Latency: rules + model on each message one at a time (the way a screen job or a draft sees it), after a
warm-up, p50 and p95 in milliseconds over ``--messages`` messages cycled from the sets.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from app.knowledge.multilingual_embeddings import embedder_named  # noqa: E402
from app.taxonomy import CRITICAL_FLAGS, RISK_FLAGS  # noqa: E402
from app.triage.flag_classifier import FlagClassifier, FlagModelParams  # noqa: E402
from app.triage.flag_corpus import FlagExample, Split, by_split, load_corpus, read_corpus_path  # noqa: E402
from app.triage.model_store import shipped_model_path  # noqa: E402
from app.triage.signals import detect_signals  # noqa: E402

OTHER = [f for f in RISK_FLAGS if f not in CRITICAL_FLAGS]


def labelled(path: Path) -> list[FlagExample]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append(
                FlagExample(
                    text=row["body"],
                    flags=frozenset(row["flags"]),
                    kind="hard_negative" if row.get("hard_negative") else "ordinary",
                )
            )
    return rows


def score(rows: list[FlagExample], predicted: list[set[str]]) -> str:
    tp = fp = fn = 0
    hard = hard_critical = 0
    other_hit = other_total = 0
    for row, got in zip(rows, predicted, strict=True):
        gold_c, got_c = bool(row.flags & CRITICAL_FLAGS), bool(got & CRITICAL_FLAGS)
        tp += gold_c and got_c
        fp += got_c and not gold_c
        fn += gold_c and not got_c
        if row.kind == "hard_negative":
            hard += 1
            hard_critical += bool((got - row.flags) & CRITICAL_FLAGS)
        for flag in OTHER:
            if flag in row.flags:
                other_total += 1
                other_hit += flag in got
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    false_critical = hard_critical / hard if hard else float("nan")
    other = other_hit / other_total if other_total else float("nan")
    return f"| {precision:.3f} | {recall:.3f} | {false_critical:.3f} | {other:.3f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    params = FlagModelParams.load(shipped_model_path())
    model = FlagClassifier(params, embedder_named(params.embedder))
    data = REPO_ROOT / "evals" / "data"
    sets = {
        "corpus test split": by_split(load_corpus())[Split.TEST],
        "labelled_messages": labelled(data / "labelled_messages.jsonl"),
        "fresh_messages": labelled(data / "fresh_messages.jsonl"),
        "fresh_flags_2026_12": read_corpus_path(data / "fresh_flags_2026_12.jsonl"),
    }
    print(f"model {params.version} ({params.embedder}, {params.meta.get('features')})\n")
    print("| set | detector | critical precision | critical recall | hard negatives called critical | other recall |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, rows in sets.items():
        print(f"scoring {name} ({len(rows)} rows)", file=sys.stderr)
        rules = [{s.code for s in detect_signals(r.text)} for r in rows]
        probabilities = model.probabilities([r.text for r in rows])
        found = [{params.flags[j] for j, p in enumerate(row) if p >= params.thresholds[j]} for row in probabilities]
        for label, predicted in (
            ("rules", rules),
            ("model", found),
            ("both", [a | b for a, b in zip(rules, found, strict=True)]),
        ):
            print(f"| {name} ({len(rows)}) | {label} " + score(rows, predicted))
    texts = [r.text for rows in sets.values() for r in rows]
    for text in texts[:20]:  # warm-up: first calls load weights and fill caches
        model.detect(text + " warm")
        detect_signals(text)
    timings = []
    for i in range(args.messages):
        text = texts[i % len(texts)] + f" #{i}"  # a new text every time: no embedding memo hit
        started = time.perf_counter()
        detect_signals(text)
        model.detect(text)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(
        f"\ndetection (rules + model) per message over {len(timings)} messages: "
        f"p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
