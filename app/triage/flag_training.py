"""Fitting, calibrating, thresholding and scoring the risk-flag model (``triage model train``).

1. **Fit** one logistic regression per flag on the train split's features (sentence embedding and hashed
   character n-grams) (class-balanced; a specialist's
   correction weighs ``correction_weight`` rows and teaches only the flag it corrects).
2. **Calibrate** on the dev split: Platt scaling of each flag's best-window score, so a probability means the
   same thing for every flag and a threshold can be read.
3. **Threshold** on the dev split, recall first: the threshold that maximises F2 (a missed flag weighs four
   false alarms). The recall targets (``critical_recall``, ``other_recall``) are checked on dev and recorded in
   the model file as reached or not; they are targets, never floors set under a measured value.
4. **Score** on the test split, which nothing above has seen: per-flag precision and recall with 95% Wilson
   intervals, per language, and the share of hard negatives that were called critical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

from app.evaluation.metrics import Tally, wilson_interval
from app.knowledge.embeddings import Embedder, FloatArray
from app.taxonomy import CRITICAL_FLAGS, RISK_FLAGS
from app.triage.flag_classifier import FlagClassifier, FlagFeatures, FlagModelParams, fit_idf
from app.triage.flag_corpus import FlagExample, Split, by_split, corpus_digest

FLAG_ORDER: tuple[str, ...] = tuple(RISK_FLAGS)


@dataclass(frozen=True)
class TrainSettings:
    c: float = 2.0
    ngrams: bool = True
    beta: float = 2.0  # thresholds maximise F-beta on dev: beta 2 weighs a missed flag four times a false alarm
    critical_recall: float = 0.95  # the targets the report checks dev against (not floors under a measurement)
    other_recall: float = 0.80
    correction_weight: float = 3.0
    hard_negative_weight: float = 3.0  # a row written to resemble a flag, when that flag's regression is fitted
    min_threshold: float = 0.05
    max_threshold: float = 0.95


def _labels(rows: Sequence[FlagExample], flag: str) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.int_]]:
    """Which rows teach ``flag`` (mask) and their 0/1 labels."""
    mask = np.array([r.teaches(flag) for r in rows], dtype=bool)
    labels = np.array([int(flag in r.flags) for r in rows], dtype=int)
    return mask, labels


def _fit_flag(
    features: Any, rows: Sequence[FlagExample], flag: str, settings: TrainSettings
) -> tuple[FloatArray, float]:
    mask, labels = _labels(rows, flag)
    y = labels[mask]
    if y.min(initial=1) == y.max(initial=0):  # no positives (or no negatives): a flag the data cannot teach
        return np.zeros(features.shape[1], dtype=np.float32), -10.0
    weights = np.array(
        [
            (settings.correction_weight if r.source == "correction" else 1.0)
            * (settings.hard_negative_weight if flag in r.hard_negative_for else 1.0)
            for r in rows
        ]
    )[mask]
    regression = LogisticRegression(C=settings.c, max_iter=3000, class_weight="balanced")
    regression.fit(features[mask], y, sample_weight=weights)
    return regression.coef_[0].astype(np.float32), float(regression.intercept_[0])


def _platt(raw: npt.NDArray[np.float32], labels: npt.NDArray[np.int_]) -> tuple[float, float]:
    if labels.min(initial=1) == labels.max(initial=0):
        return 1.0, 0.0
    scaler = LogisticRegression(C=100.0, max_iter=1000)
    scaler.fit(raw.reshape(-1, 1), labels)
    a, b = float(scaler.coef_[0][0]), float(scaler.intercept_[0])
    return (a, b) if a > 0 else (1.0, 0.0)  # a non-increasing fit says dev is too small to calibrate on


def choose_threshold(
    probabilities: npt.NDArray[np.float32], labels: npt.NDArray[np.int_], settings: TrainSettings
) -> float:
    """The threshold that maximises F-beta on these labels (ties: the higher threshold, fewer false alarms)."""
    if not (labels == 1).any():
        return 0.5
    best_f, best_t = -1.0, 0.5
    for candidate in np.unique(probabilities):
        if not settings.min_threshold <= candidate <= settings.max_threshold:
            continue
        predicted = probabilities >= candidate
        tally = Tally(
            tp=int((predicted & (labels == 1)).sum()),
            fp=int((predicted & (labels == 0)).sum()),
            fn=int((~predicted & (labels == 1)).sum()),
        )
        f = tally.f(settings.beta) or 0.0
        if f >= best_f:
            best_f, best_t = f, float(candidate)
    return best_t


@dataclass
class TrainedModel:
    classifier: FlagClassifier
    dev_report: dict[str, Any]
    test_report: dict[str, Any]


def _params(
    version: str,
    embedder: Embedder,
    coef: FloatArray,
    intercept: FloatArray,
    idf: FloatArray | None,
    platt: tuple[list[float], list[float]] | None = None,
    thresholds: list[float] | None = None,
    meta: dict[str, Any] | None = None,
) -> FlagModelParams:
    n = len(FLAG_ORDER)
    return FlagModelParams(
        version=version,
        embedder=embedder.name,
        flags=FLAG_ORDER,
        coef=coef,
        intercept=intercept,
        platt_a=np.array(platt[0] if platt else [1.0] * n, dtype=np.float32),
        platt_b=np.array(platt[1] if platt else [0.0] * n, dtype=np.float32),
        thresholds=np.array(thresholds or [0.5] * n, dtype=np.float32),
        meta=meta or {},
        idf=idf,
    )


def train(
    rows: Sequence[FlagExample],
    embedder: Embedder,
    *,
    version: str,
    settings: TrainSettings | None = None,
    extra_meta: dict[str, Any] | None = None,
) -> TrainedModel:
    settings = settings or TrainSettings()
    parts = by_split(rows)
    train_rows, dev_rows = parts[Split.TRAIN], parts[Split.DEV]
    texts = [r.text for r in train_rows]
    idf = fit_idf(texts).astype(np.float16).astype(np.float32) if settings.ngrams else None
    features = FlagFeatures(embedder, idf).transform(texts)
    fitted = [_fit_flag(features, train_rows, flag, settings) for flag in FLAG_ORDER]
    # Weights at the file's float16 precision from the start, so the model scored here is the one that is saved.
    coef = np.stack([c for c, _ in fitted]).astype(np.float16).astype(np.float32)
    intercept = np.array([b for _, b in fitted], dtype=np.float32)

    uncalibrated = FlagClassifier(_params(version, embedder, coef, intercept, idf), embedder)
    dev_raw = uncalibrated.best_window_raw([r.text for r in dev_rows])
    platt_a, platt_b, thresholds = [], [], []
    for j, flag in enumerate(FLAG_ORDER):
        mask, labels = _labels(dev_rows, flag)
        a, b = _platt(dev_raw[mask, j], labels[mask])
        probabilities = (1.0 / (1.0 + np.exp(-(a * dev_raw[mask, j] + b)))).astype(np.float32)
        platt_a.append(a)
        platt_b.append(b)
        thresholds.append(choose_threshold(probabilities, labels[mask], settings))
    meta: dict[str, Any] = {
        "corpus_rows": len(rows),
        "corpus_digest": corpus_digest(rows),
        "corrections": sum(1 for r in rows if r.source == "correction"),
        "split_sizes": {s.value: len(parts[s]) for s in Split},
        "settings": settings.__dict__,
        "features": "sentence embedding + char n-grams" if idf is not None else "sentence embedding",
        **(extra_meta or {}),
    }
    params = _params(version, embedder, coef, intercept, idf, (platt_a, platt_b), thresholds, meta)
    classifier = FlagClassifier(params, embedder)
    dev_report = evaluate(classifier, dev_rows)
    test_report = evaluate(classifier, parts[Split.TEST])
    meta["dev_target_reached"] = {
        flag: (dev_report["per_flag"][flag]["recall"] or 0.0)
        >= (settings.critical_recall if flag in CRITICAL_FLAGS else settings.other_recall)
        for flag in FLAG_ORDER
    }
    meta["dev"] = dev_report
    meta["test"] = test_report
    return TrainedModel(classifier=classifier, dev_report=dev_report, test_report=test_report)


def _rate(hits: int, total: int) -> dict[str, Any]:
    return {
        "rate": round(hits / total, 4) if total else None,
        "count": hits,
        "of": total,
        "ci": wilson_interval(hits, total),
    }


def evaluate(classifier: FlagClassifier, rows: Sequence[FlagExample]) -> dict[str, Any]:
    """Per-flag precision/recall (with 95% intervals), critical as a group, per language, hard negatives."""
    rows = [r for r in rows if r.source != "correction"]
    if not rows:
        return {"rows": 0}
    probabilities = classifier.probabilities([r.text for r in rows])
    thresholds = classifier.params.thresholds
    flags = classifier.params.flags
    predicted = [{flags[j] for j in np.nonzero(p >= thresholds)[0]} for p in probabilities]
    return score_predictions(rows, predicted)


def score_predictions(rows: Sequence[FlagExample], predicted: Sequence[set[str]]) -> dict[str, Any]:
    """The report ``evaluate`` gives, for any detector's predictions (rules, model, both)."""
    per_flag = {flag: Tally() for flag in FLAG_ORDER}
    critical = Tally()
    by_lang: dict[str, Tally] = {}
    by_lang_critical: dict[str, Tally] = {}
    hard_negatives = hard_negative_critical = 0
    public_rows = public_critical = attacks = attacks_found = 0
    for row, found in zip(rows, predicted, strict=True):
        if row.source.startswith("public:"):  # scored on their own: what each set can truthfully say
            if row.kind == "ordinary":
                public_rows += 1
                public_critical += bool(found & CRITICAL_FLAGS)
            if "prompt_injection" in row.flags:
                attacks += 1
                attacks_found += "prompt_injection" in found
            continue
        for flag in FLAG_ORDER:
            gold, got = flag in row.flags, flag in found
            tally = per_flag[flag]
            tally.tp += gold and got
            tally.fp += got and not gold
            tally.fn += gold and not got
            lang = by_lang.setdefault(row.lang, Tally())
            lang.tp += gold and got
            lang.fp += got and not gold
            lang.fn += gold and not got
        gold_critical, got_critical = bool(row.flags & CRITICAL_FLAGS), bool(found & CRITICAL_FLAGS)
        for tally in (critical, by_lang_critical.setdefault(row.lang, Tally())):
            tally.tp += gold_critical and got_critical
            tally.fp += got_critical and not gold_critical
            tally.fn += gold_critical and not got_critical
        if row.kind == "hard_negative":
            hard_negatives += 1
            hard_negative_critical += bool((found - row.flags) & CRITICAL_FLAGS)
    return {
        "rows": len(rows),
        "critical": critical.row(),
        "per_flag": {flag: t.row() for flag, t in per_flag.items()},
        "by_language": {lang: t.row() for lang, t in sorted(by_lang.items())},
        "critical_by_language": {lang: t.row() for lang, t in sorted(by_lang_critical.items())},
        "hard_negatives_falsely_critical": _rate(hard_negative_critical, hard_negatives),
        "public_ordinary_falsely_critical": _rate(public_critical, public_rows),
        "public_unseen_attack_kinds_found": _rate(attacks_found, attacks),
    }


def critical_recall_drops(new: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Critical flags whose test recall is lower under ``new`` than under ``current`` (same test rows)."""
    dropped = []
    for flag in sorted(CRITICAL_FLAGS):
        before = (current.get("per_flag", {}).get(flag) or {}).get("recall")
        after = (new.get("per_flag", {}).get(flag) or {}).get("recall")
        if before is not None and (after is None or after < before):
            dropped.append(f"{flag} {before:.3f} → {after if after is None else round(after, 3)}")
    return dropped
