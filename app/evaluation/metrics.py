"""Metric arithmetic, free of I/O: per-label precision/recall/F-beta, confusion matrices, set-valued (multi-label)
flag scores, retrieval ranks.

Undefined values (a label never predicted has no precision) are ``None`` in the detail tables, never 0 or NaN:
a 0 would read as "always wrong" and NaN is not valid JSON. The flat ``metrics`` a suite gates on are only
the ones that are defined.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    return numerator / denominator if denominator else None


def fbeta(precision: float | None, recall: float | None, beta: float = 1.0) -> float | None:
    """F-beta; beta=2 weighs recall four times as much as precision (a missed flag is worse than a false alarm)."""
    if precision is None or recall is None:
        return None
    if precision == 0 and recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float] | None:
    """95% Wilson score interval of a proportion: honest at small counts and at 0 or 1, unlike p ± 1.96·se."""
    if trials <= 0:
        return None
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)


@dataclass
class Tally:
    """True positives, false positives and false negatives for one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    def f(self, beta: float = 1.0) -> float | None:
        return fbeta(self.precision, self.recall, beta)

    def add(self, other: Tally) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def row(self, beta: float = 1.0) -> dict[str, Any]:
        return {
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            f"f{beta:g}": _round(self.f(beta)),
            "precision_ci": wilson_interval(self.tp, self.tp + self.fp),
            "recall_ci": wilson_interval(self.tp, self.tp + self.fn),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def single_label_tallies(gold: Sequence[str], predicted: Sequence[str], labels: Iterable[str]) -> dict[str, Tally]:
    """One-label-per-case tallies: a wrong answer is a false negative for the truth and a false positive for the
    prediction."""
    tallies = {label: Tally() for label in labels}
    for truth, guess in zip(gold, predicted, strict=True):
        tallies.setdefault(truth, Tally())
        tallies.setdefault(guess, Tally())
        if truth == guess:
            tallies[truth].tp += 1
        else:
            tallies[truth].fn += 1
            tallies[guess].fp += 1
    return tallies


def multi_label_tallies(
    gold: Sequence[set[str]], predicted: Sequence[set[str]], labels: Iterable[str]
) -> dict[str, Tally]:
    """Per-label tallies when each case carries a set of labels (risk flags)."""
    tallies = {label: Tally() for label in labels}
    for truth, guess in zip(gold, predicted, strict=True):
        for label in truth | guess:
            tally = tallies.setdefault(label, Tally())
            if label in truth and label in guess:
                tally.tp += 1
            elif label in truth:
                tally.fn += 1
            else:
                tally.fp += 1
    return tallies


def micro(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def macro_f1(tallies: dict[str, Tally]) -> float | None:
    """Mean F1 over labels that occur in the gold data (labels nobody asked about do not dilute it)."""
    scores = [t.f(1.0) for t in tallies.values() if t.support]
    defined = [s if s is not None else 0.0 for s in scores]
    return sum(defined) / len(defined) if defined else None


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float | None:
    return ratio(sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold))


def confusion(gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Rows are the truth, columns the prediction, in ``labels`` order (extra predicted labels appended)."""
    extra = sorted({p for p in predicted if p not in labels} | {g for g in gold if g not in labels})
    order = list(labels) + extra
    counts = Counter(zip(gold, predicted, strict=True))
    matrix = [[counts.get((truth, guess), 0) for guess in order] for truth in order]
    keep = [i for i, label in enumerate(order) if any(matrix[i]) or any(row[i] for row in matrix)]
    return {"labels": [order[i] for i in keep], "matrix": [[matrix[i][j] for j in keep] for i in keep]}


def reciprocal_rank(expected: set[str], ranked: Sequence[str]) -> float:
    for position, item in enumerate(ranked, start=1):
        if item in expected:
            return 1.0 / position
    return 0.0


def hit_at_k(expected: set[str], ranked: Sequence[str], k: int) -> bool:
    return any(item in expected for item in ranked[:k])


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def rounded(metrics: dict[str, float | None], digits: int = 4) -> dict[str, float]:
    """The defined metrics, rounded for reports (gates compare the rounded value the report shows)."""
    return {name: round(value, digits) for name, value in metrics.items() if value is not None}
