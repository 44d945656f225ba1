"""How the offline category classifier copes with real phrasing it was not written for.

Reads banking77 and CLINC150 from ``../shared/data`` (beside the repository; never copied into it) and the
intent → category mappings in ``evals/external/``, then prints:

- banking77: accuracy on rows whose intent is mapped (target ≥ 0.85), per category and per intent, and the
  confusion between categories;
- CLINC150: share of ``oos`` rows answered ``feedback_other`` (target ≥ 0.80), share of in-scope-but-not-ours
  rows answered ``feedback_other``, accuracy on the few mapped intents;
- accuracy on our own examples, by stratified k-fold (each fold's examples never seen in training);
- time to train (cold and from the embedding cache) and time per message.

Run from the repository root: ``.venv/bin/python benchmarks/classifier_external.py [--banking-sample N]``.
Samples are drawn with a fixed seed so runs are comparable. Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from app.config import get_settings  # noqa: E402
from app.evaluation import datasets as ds  # noqa: E402
from app.evaluation.datasets import IntentMapping, IntentRow, load_banking77, load_clinc150, sample  # noqa: E402
from app.knowledge.embeddings import Embedder, get_embedder  # noqa: E402
from app.taxonomy import Category  # noqa: E402
from app.triage.classifier import (  # noqa: E402
    CategoryClassifier,
    Classification,
    embed_examples,
    load_training_examples,
)

DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
MAPPINGS_DIR = REPO_ROOT / "evals" / "external"
OTHER = Category.FEEDBACK_OTHER.value


def load_mapping(name: str) -> IntentMapping:
    """Read ``evals/external/<name>_mapping.yaml``; unknown categories are a mistake in the file."""
    return ds.load_mapping(MAPPINGS_DIR / f"{name}_mapping.yaml")


def sample_per_intent(rows: list[IntentRow], per_intent: int, seed: int) -> list[IntentRow]:
    """Up to ``per_intent`` rows of each intent, so big and small intents weigh the same."""
    by_intent: dict[str, list[IntentRow]] = collections.defaultdict(list)
    for row in rows:
        by_intent[row.intent].append(row)
    rng = random.Random(seed)
    picked: list[IntentRow] = []
    for intent in sorted(by_intent):
        group = by_intent[intent]
        picked.extend(group if per_intent <= 0 or len(group) <= per_intent else rng.sample(group, per_intent))
    return picked


def accuracy(rows: list[IntentRow], predictions: list[Classification]) -> float:
    if not rows:
        return float("nan")
    return sum(p.category.value == r.category for r, p in zip(rows, predictions, strict=True)) / len(rows)


def print_confusion(rows: list[IntentRow], predictions: list[Classification]) -> None:
    """Rows: the mapped (true) category; columns: predicted categories that occur."""
    pairs = collections.Counter((r.category, p.category.value) for r, p in zip(rows, predictions, strict=True))
    truths = sorted({r.category for r in rows})
    predicted = sorted({p for _, p in pairs})
    short = {c: "_".join(part[:4] for part in c.split("_")[:2]) for c in predicted}
    header = "true \\ predicted"
    print(f"  {header:<26}" + "".join(f"{short[c]:>10}" for c in predicted) + "      acc")
    for truth in truths:
        total = sum(n for (t, _), n in pairs.items() if t == truth)
        cells = "".join(f"{pairs.get((truth, c), 0):>10}" for c in predicted)
        print(f"  {truth:<26}{cells}  {pairs.get((truth, truth), 0) / total:7.3f}  (n={total})")
    print("  columns: " + ", ".join(f"{short[c]}={c}" for c in predicted))


def print_per_intent(rows: list[IntentRow], predictions: list[Classification], worst: int) -> None:
    by_intent: dict[str, list[str]] = collections.defaultdict(list)
    truth: dict[str, str] = {}
    for row, prediction in zip(rows, predictions, strict=True):
        by_intent[row.intent].append(prediction.category.value)
        truth[row.intent] = row.category
    ranked = sorted(by_intent, key=lambda i: sum(p == truth[i] for p in by_intent[i]) / len(by_intent[i]))
    for intent in ranked[:worst]:
        predicted = by_intent[intent]
        share = sum(p == truth[intent] for p in predicted) / len(predicted)
        common = ", ".join(f"{c}:{n}" for c, n in collections.Counter(predicted).most_common(3))
        print(f"  {intent:<42} → {truth[intent]:<20} {share:6.3f}  [{common}]")


def own_holdout_accuracy(embedder: Embedder, cache_dir: Path, folds: int, seed: int) -> float:
    """Stratified k-fold accuracy on the shipped examples, reusing the cached example vectors."""
    from sklearn.model_selection import StratifiedKFold

    examples = load_training_examples()
    vectors = embed_examples(embedder, examples, cache_dir)
    labels = [e.category.value for e in examples]
    correct = 0
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=seed).split(vectors, labels):
        model = CategoryClassifier.fit(embedder, [examples[i] for i in train_idx], vectors[train_idx])
        held_out = [examples[i] for i in test_idx]
        predictions = model.classify_embedded([e.text for e in held_out], vectors[test_idx])
        correct += sum(p.category is e.category for p, e in zip(predictions, held_out, strict=True))
    return correct / len(examples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--banking-sample", type=int, default=1000, help="mapped banking77 rows (0 = all)")
    parser.add_argument("--clinc-per-intent", type=int, default=8, help="rows per CLINC in-scope intent (0 = all)")
    parser.add_argument("--oos-sample", type=int, default=0, help="CLINC oos rows (0 = all)")
    parser.add_argument("--folds", type=int, default=5, help="k for the own-examples hold-out (0 = skip)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--cache-dir", type=Path, default=None, help="example-vector cache (default: the app's)")
    parser.add_argument("--worst", type=int, default=12, help="how many of the weakest intents to list")
    args = parser.parse_args(argv)

    data_dir: Path = args.data_dir
    if not (data_dir / "banking77" / "train.csv").exists() or not (data_dir / "clinc150" / "train_val.json").exists():
        print(f"External data not found under {data_dir} (banking77/, clinc150/); nothing to measure.")
        return 0

    cache_dir: Path = args.cache_dir or get_settings().cache_dir
    return run(args, data_dir, cache_dir)


def run(args: argparse.Namespace, data_dir: Path, cache_dir: Path) -> int:
    embedder = get_embedder()
    started = time.perf_counter()
    classifier = CategoryClassifier.train(embedder, cache_dir=cache_dir)
    first_train = time.perf_counter() - started
    started = time.perf_counter()
    classifier = CategoryClassifier.train(embedder, cache_dir=cache_dir)
    cached_train = time.perf_counter() - started
    print(f"train: {first_train:.1f} s first call (embeds the examples unless {cache_dir} holds them), ", end="")
    print(f"{cached_train:.2f} s from the cache")

    banking = sample(load_banking77(data_dir, load_mapping("banking77")), args.banking_sample, args.seed)
    started = time.perf_counter()
    banking_predictions = classifier.classify_many([r.text for r in banking])
    per_message = (time.perf_counter() - started) / max(1, len(banking))
    banking_accuracy = accuracy(banking, banking_predictions)
    print(f"\nbanking77, mapped intents: accuracy {banking_accuracy:.3f} on {len(banking)} rows (target ≥ 0.85)")
    print_confusion(banking, banking_predictions)
    print("\n  weakest intents (share filed under the mapped category, most common predictions):")
    print_per_intent(banking, banking_predictions, args.worst)

    clinc_all = load_clinc150(data_dir, load_mapping("clinc150"))
    oos = sample([r for r in clinc_all if r.intent == "oos"], args.oos_sample, args.seed)
    mapped = sample_per_intent([r for r in clinc_all if r.category != OTHER], args.clinc_per_intent, args.seed)
    not_ours = sample_per_intent(
        [r for r in clinc_all if r.category == OTHER and r.intent != "oos"], args.clinc_per_intent, args.seed
    )
    predictions = classifier.classify_many([r.text for r in oos + mapped + not_ours])
    oos_p, mapped_p, not_ours_p = (
        predictions[: len(oos)],
        predictions[len(oos) : len(oos) + len(mapped)],
        predictions[len(oos) + len(mapped) :],
    )
    oos_rate = accuracy(oos, oos_p)
    not_ours_rate = accuracy(not_ours, not_ours_p)
    print(f"\nCLINC150 oos → feedback_other: {oos_rate:.3f} of {len(oos)} rows (target ≥ 0.80)")
    wrong = collections.Counter(p.category.value for p in oos_p if p.category.value != OTHER)
    print(f"  oos rows sent elsewhere: {dict(wrong.most_common())}")
    print(f"CLINC150 in-scope intents that are not ours → feedback_other: {not_ours_rate:.3f} of {len(not_ours)} rows")
    print("  intents most often pulled into a category:")
    print_per_intent(not_ours, not_ours_p, args.worst)
    print(f"CLINC150 mapped intents (card_declined, report_fraud): accuracy {accuracy(mapped, mapped_p):.3f}")
    print_per_intent(mapped, mapped_p, args.worst)

    if args.folds > 1:
        holdout = own_holdout_accuracy(embedder, cache_dir, args.folds, args.seed)
        print(f"\nown examples, {args.folds}-fold held-out accuracy: {holdout:.3f}")

    singles = [r.text for r in banking[:20]]
    started = time.perf_counter()
    for text in singles:
        classifier.classify(text)
    single = (time.perf_counter() - started) / max(1, len(singles))
    print(f"\ntime per message: {per_message * 1000:.1f} ms in batches, {single * 1000:.1f} ms one at a time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
