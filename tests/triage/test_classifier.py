"""What a specialist would notice about the offline category classifier.

One real MiniLM classifier is trained per session (its example vectors cached in a temp dir), so the file
runs in well under a minute. The external-data checks skip when ../shared/data is absent.
"""

from __future__ import annotations

import collections
import random
from pathlib import Path

import numpy as np
import pytest

from app.knowledge.embeddings import FloatArray, HashingEmbedder, get_embedder
from app.taxonomy import Category
from app.triage.classifier import CategoryClassifier, LabelledExample, load_training_examples
from benchmarks.classifier_external import DEFAULT_DATA_DIR, load_banking77, load_clinc150, load_mapping

BANKING_THRESHOLD = 0.85
OOS_THRESHOLD = 0.80


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("classifier-cache")


@pytest.fixture(scope="session")
def classifier(cache_dir: Path) -> CategoryClassifier:
    return CategoryClassifier.train(get_embedder(), cache_dir=cache_dir)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I paid for 1,000 coins but they never arrived", Category.RECHARGE_PAYMENT),
        ("my card got declined three times trying to recharge, what's wrong", Category.RECHARGE_PAYMENT),
        ("The top-up shows pending since yesterday", Category.RECHARGE_PAYMENT),
        ("please give me my money back for the coins I bought yesterday", Category.REFUND_REQUEST),
        ("I sent a rose to the wrong streamer in a battle", Category.GIFT_TRANSACTION),
        ("my bank reversed the payment and now you say I owe you coins", Category.CHARGEBACK_DISPUTE),
        ("When do I get my diamonds cashed out to PayPal? it's been 3 weeks", Category.CREATOR_PAYOUT),
        ("I forgot my passcode and can't open the app", Category.ACCOUNT_ACCESS),
        ("my phone got stolen, can someone get into my account?", Category.ACCOUNT_ACCESS),
        ("why was I banned from LIVE? I did nothing wrong, I want to appeal", Category.ACCOUNT_RESTRICTION),
        ("How can our agency add new hosts in Backstage?", Category.CREATOR_AGENCY),
        ("a man in the comments keeps asking kids for their snapchat", Category.SAFETY_REPORT),
        ("there's a charge on my card from you that I never made", Category.SCAM_FRAUD_REPORT),
        ("please erase all data you hold on me under GDPR", Category.PRIVACY_REQUEST),
        ("Sgt. Miller, county police: we need subscriber records for this username", Category.LAW_ENFORCEMENT_REQUEST),
        ("the app closes itself whenever I start a LIVE", Category.TECHNICAL_ISSUE),
    ],
)
def test_common_requests_land_in_their_category(classifier: CategoryClassifier, text: str, expected: Category) -> None:
    assert classifier.classify(text).category is expected


@pytest.mark.parametrize(
    "text",
    [
        "what's a quick recipe for lasagna?",
        "will it snow in Denver on Friday",
        "who was the first person to walk on the moon",
        "recommend me a hotel near the beach in Barcelona",
        "knock knock",
    ],
)
def test_out_of_scope_messages_get_feedback_other(classifier: CategoryClassifier, text: str) -> None:
    result = classifier.classify(text)
    assert result.category is Category.FEEDBACK_OTHER
    assert 0.0 <= result.confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "🙂🙂🙂", "?", "coins " * 400])
def test_any_input_gets_a_category_and_well_formed_scores(classifier: CategoryClassifier, text: str) -> None:
    result = classifier.classify(text)
    assert isinstance(result.category, Category)
    assert 0.0 <= result.confidence <= 1.0
    assert set(result.scores) == {c.value for c in Category}
    assert sum(result.scores.values()) == pytest.approx(1.0, abs=1e-6)


def test_batch_and_single_answers_agree(classifier: CategoryClassifier) -> None:
    texts = ["refund please", "the app crashes on start", "what's the capital of Peru", "my 2FA code never comes"]
    batch = classifier.classify_many(texts)
    assert [r.category for r in batch] == [classifier.classify(t).category for t in texts]
    assert classifier.classify_many([]) == []


class CountingEmbedder:
    """A real (hashing) embedder that counts how many texts it was asked to embed."""

    def __init__(self) -> None:
        self._inner = HashingEmbedder(dimension=128)
        self.name = self._inner.name
        self.dimension = self._inner.dimension
        self.embedded = 0

    def embed(self, texts: list[str]) -> FloatArray:
        self.embedded += len(texts)
        return self._inner.embed(texts)


def test_a_cached_model_answers_exactly_like_a_fresh_one(tmp_path: Path) -> None:
    examples = load_training_examples()
    embedder = CountingEmbedder()
    fresh = CategoryClassifier.train(embedder, examples)  # no cache: embeds and fits in memory
    first = CategoryClassifier.train(embedder, examples, cache_dir=tmp_path)
    embedded = embedder.embedded
    second = CategoryClassifier.train(embedder, examples, cache_dir=tmp_path)
    assert embedder.embedded == embedded  # the second training read the cache

    probe = ["I was charged twice for coins", "hello", "my LIVE got banned", ""]
    expected = [r.scores for r in fresh.classify_many(probe)]
    for model in (first, second):
        for scores, want in zip([r.scores for r in model.classify_many(probe)], expected, strict=True):
            assert scores == pytest.approx(want, abs=1e-9)


def test_editing_the_examples_never_serves_a_stale_model(tmp_path: Path) -> None:
    examples = load_training_examples()[::10]
    embedder = CountingEmbedder()
    CategoryClassifier.train(embedder, examples, cache_dir=tmp_path)
    probe = [examples[-1].text, "the app freezes", "refund me"]

    relabelled = [*examples[:-1], LabelledExample(examples[-1].text, Category.TECHNICAL_ISSUE)]
    before = embedder.embedded
    cached = CategoryClassifier.train(embedder, relabelled, cache_dir=tmp_path)
    assert embedder.embedded == before  # same texts: vectors reused, model refitted
    fresh = CategoryClassifier.train(embedder, relabelled)
    for got, want in zip(cached.classify_many(probe), fresh.classify_many(probe), strict=True):
        assert got.scores == pytest.approx(want.scores, abs=1e-9)

    reworded = [*examples[:-1], LabelledExample("a brand new example about the weather", Category.FEEDBACK_OTHER)]
    before = embedder.embedded
    CategoryClassifier.train(embedder, reworded, cache_dir=tmp_path)
    assert embedder.embedded == before + len(reworded)


def test_a_corrupt_cache_is_recomputed(tmp_path: Path) -> None:
    examples = load_training_examples()[::15]  # a few of every category
    embedder = CountingEmbedder()
    CategoryClassifier.train(embedder, examples, cache_dir=tmp_path)
    for path in tmp_path.glob("*.npz"):
        path.write_bytes(b"not an npz")
    model = CategoryClassifier.train(embedder, examples, cache_dir=tmp_path)
    assert embedder.embedded == 2 * len(examples)
    assert isinstance(model.classify("hello").category, Category)


def test_shipped_examples_cover_every_category() -> None:
    examples = load_training_examples()
    counts = collections.Counter(e.category for e in examples)
    assert set(counts) == set(Category)
    assert min(counts.values()) >= 50
    assert counts[Category.FEEDBACK_OTHER] >= 150
    texts = [e.text.strip().lower() for e in examples]
    assert len(texts) == len(set(texts)), "duplicate training examples"


def _require_data(*parts: str) -> Path:
    path = DEFAULT_DATA_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"external data not found at {path} (see ../shared/data/README.md); nothing to measure")
    return path


def test_banking77_mapped_sample_reaches_the_threshold(classifier: CategoryClassifier) -> None:
    _require_data("banking77", "train.csv")
    rows = random.Random(7).sample(load_banking77(DEFAULT_DATA_DIR, load_mapping("banking77")), 200)
    predictions = classifier.classify_many([r.text for r in rows])
    hits = np.array([p.category.value == r.category for p, r in zip(predictions, rows, strict=True)])
    assert hits.mean() >= BANKING_THRESHOLD, f"banking77 accuracy {hits.mean():.3f} < {BANKING_THRESHOLD}"


def test_clinc_out_of_scope_sample_goes_to_feedback_other(classifier: CategoryClassifier) -> None:
    _require_data("clinc150", "train_val.json")
    oos = [r for r in load_clinc150(DEFAULT_DATA_DIR, load_mapping("clinc150")) if r.intent == "oos"]
    rows = random.Random(7).sample(oos, min(100, len(oos)))
    predictions = classifier.classify_many([r.text for r in rows])
    share = np.mean([p.category is Category.FEEDBACK_OTHER for p in predictions])
    assert share >= OOS_THRESHOLD, f"only {share:.3f} of CLINC oos rows went to feedback_other"
