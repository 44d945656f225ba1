"""Per-type precision and recall of ``app.triage.redaction`` on the presidio-research synthetic PII set, and speed.

Data: ``../shared/data/presidio_pii/synth_dev.json`` relative to the repository root (microsoft/presidio-research
@7622dec, ``data/synth_dataset_v2.json``, MIT licence); it is read in place, never copied into the repository.

Scoring is by overlap, per kind: a gold span is found when a predicted span of the same kind overlaps it, and a
predicted span is correct when it overlaps a gold span of the same kind. Presidio labels we do not redact
(names, organisations, dates…) are ignored, so a redaction counts as wrong only if it hides something of a
different kind or nothing at all.

Run: ``.venv/bin/python benchmarks/redaction_presidio.py [--data PATH] [--limit N]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `app` importable from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.evaluation.datasets import PRESIDIO, PRESIDIO_KINDS, PresidioRow, read_presidio
from app.triage.redaction import find_pii

DATA_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "data" / PRESIDIO
# Targets from the brief; ADDRESS and IBAN are reported without one.
RECALL_TARGETS = {"EMAIL": 0.99, "CARD": 0.99, "SSN": 0.99, "IP": 0.99, "PHONE": 0.90}
PRECISION_TARGET = 0.90
PRECISION_KINDS = tuple(RECALL_TARGETS)


@dataclass
class Counts:
    gold: int = 0
    found: int = 0  # gold spans overlapped by a prediction of the same kind
    predicted: int = 0
    correct: int = 0  # predictions overlapping a gold span of the same kind
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0


@dataclass
class Report:
    per_kind: dict[str, Counts]
    rows: int
    chars: int
    seconds: float

    def overall_precision(self, kinds: Sequence[str] = PRECISION_KINDS) -> float:
        predicted = sum(self.per_kind[k].predicted for k in kinds)
        return sum(self.per_kind[k].correct for k in kinds) / predicted if predicted else 1.0

    def failures(self) -> list[str]:
        """Targets not met, as readable lines; empty when all pass."""
        out = [
            f"{kind} recall {self.per_kind[kind].recall:.3f} < {target}"
            for kind, target in RECALL_TARGETS.items()
            if self.per_kind[kind].recall < target
        ]
        if self.overall_precision() < PRECISION_TARGET:
            out.append(f"precision {self.overall_precision():.3f} < {PRECISION_TARGET}")
        return out


def load_rows(path: Path = DATA_PATH) -> list[PresidioRow]:
    """The rows with their gold spans (presidio labels mapped to our kinds; ZIP_CODE, GPE… are not ours)."""
    return read_presidio(path)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(rows: Sequence[PresidioRow]) -> Report:
    per_kind = {kind: Counts() for kind in PRESIDIO_KINDS.values()}
    seconds = 0.0
    chars = 0
    for row in rows:
        text = row.text
        gold = [(kind, (start, end)) for kind, start, end in row.spans]
        started = time.perf_counter()
        predicted = [(p.kind, (p.start, p.end)) for p in find_pii(text)]
        seconds += time.perf_counter() - started
        chars += len(text)
        for kind, g in gold:
            counts = per_kind[kind]
            counts.gold += 1
            if any(k == kind and _overlaps(g, p) for k, p in predicted):
                counts.found += 1
            else:
                counts.misses.append(text[g[0] : g[1]])
        for kind, p in predicted:
            counts = per_kind[kind]
            counts.predicted += 1
            if any(k == kind and _overlaps(g, p) for k, g in gold):
                counts.correct += 1
            else:
                counts.false_alarms.append(text[p[0] : p[1]])
    return Report(per_kind=per_kind, rows=len(rows), chars=chars, seconds=seconds)


def _print(report: Report, show: int) -> None:
    print(f"{'kind':8} {'gold':>5} {'recall':>7} {'pred':>5} {'precision':>9}  target")
    for kind, c in report.per_kind.items():
        target = f"recall >= {RECALL_TARGETS[kind]}" if kind in RECALL_TARGETS else "(reported only)"
        print(f"{kind:8} {c.gold:5d} {c.recall:7.3f} {c.predicted:5d} {c.precision:9.3f}  {target}")
    print(f"precision over {', '.join(PRECISION_KINDS)}: {report.overall_precision():.3f} (target >= 0.9)")
    print(f"precision over all kinds: {report.overall_precision(tuple(report.per_kind)):.3f}")
    per_row_ms = 1000 * report.seconds / max(report.rows, 1)
    print(
        f"speed: {report.rows} rows in {report.seconds:.3f}s = {per_row_ms:.3f} ms/row, "
        f"{report.chars / max(report.seconds, 1e-9) / 1e6:.2f} M chars/s"
    )
    if show:
        for kind, c in report.per_kind.items():
            for label, items in (("missed", c.misses), ("false alarm", c.false_alarms)):
                for item in items[:show]:
                    print(f"  {kind} {label}: {item!r}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DATA_PATH)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N rows")
    parser.add_argument("--show", type=int, default=0, help="print up to N misses and false alarms per kind")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"presidio data not found at {args.data}; nothing to benchmark (see ../shared/data/README.md).")
        return 0
    rows = load_rows(args.data)
    if args.limit:
        rows = rows[: args.limit]
    report = evaluate(rows)
    _print(report, args.show)
    failures = report.failures()
    for line in failures:
        print(f"TARGET MISSED: {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
