"""The risk-flag model: corpus, split, training mechanics, model files and the store that makes one current.

Nothing here reads the corpus's test split row by row: its quality is scored as a whole by
``triage eval run risk_flags_test`` and ``triage model train``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from app.knowledge.embeddings import HashingEmbedder
from app.knowledge.multilingual_embeddings import embedder_named
from app.taxonomy import CRITICAL_FLAGS, RISK_FLAGS, FlagSource
from app.triage.flag_classifier import FlagClassifier, FlagModelParams, ModelFileError, message_windows
from app.triage.flag_corpus import FlagExample, Split, by_split, load_corpus, split_of
from app.triage.flag_training import choose_threshold, critical_recall_drops, train
from app.triage.model_store import FlagModelStore, StoreBackedFlagModel, shipped_model_path


def test_the_shipped_corpus_is_large_varied_and_labelled_with_known_codes() -> None:
    rows = load_corpus()
    assert len(rows) >= 3000
    langs = Counter(r.lang for r in rows)
    assert langs["es"] >= 500 and langs["pt"] >= 500, langs
    positives = Counter(flag for r in rows for flag in r.flags)
    assert set(positives) == set(RISK_FLAGS)
    assert all(positives[f] >= 100 for f in CRITICAL_FLAGS), positives
    hard = [r for r in rows if r.kind == "hard_negative"]
    assert len(hard) >= 500
    assert all(r.hard_negative_for and not (r.hard_negative_for & r.flags) for r in hard)


def test_the_split_is_by_content_and_never_changes() -> None:
    rows = load_corpus()
    parts = by_split(rows)
    shares = {s: len(parts[s]) / len(rows) for s in Split}
    assert 0.6 < shares[Split.TRAIN] < 0.8 and 0.1 < shares[Split.TEST] < 0.2, shares
    # The same text, whatever its case or spacing, always lands in the same part.
    text = rows[0].text
    assert split_of(text) == split_of("  " + text.upper().replace(" ", "  ") + " ")
    correction = FlagExample(text=text, flags=frozenset(), source="correction", teaches_only=frozenset({"fraud_scam"}))
    assert correction.split is Split.TRAIN  # corrections always train: the test split stays the shipped rows


def _toy_corpus() -> list[FlagExample]:
    """Many short rows so every part has positives; the words are the signal a hashing embedder can see."""
    rows = []
    for i in range(400):
        rows.append(FlagExample(text=f"i will hurt you tonight number {i}", flags=frozenset({"violence_threat"})))
        rows.append(FlagExample(text=f"my coins are missing order {i}", flags=frozenset()))
        rows.append(FlagExample(text=f"charged twice for pack {i} refund", flags=frozenset({"payment_anomaly"})))
    return rows


def test_training_calibrates_thresholds_on_dev_and_round_trips_through_a_file(tmp_path: Path) -> None:
    embedder = HashingEmbedder(256)
    trained = train(_toy_corpus(), embedder, version="toy-1")
    report = trained.test_report
    assert report["per_flag"]["violence_threat"]["recall"] == 1.0
    assert report["per_flag"]["payment_anomaly"]["precision"] == 1.0
    low, high = report["per_flag"]["violence_threat"]["recall_ci"]
    assert 0.8 < low < 1.0 and high == 1.0  # a Wilson interval, not a bare point estimate
    params = trained.classifier.params
    params.save(tmp_path / "m.npz")
    again = FlagClassifier(FlagModelParams.load(tmp_path / "m.npz"), embedder)
    texts = ["i will hurt you tonight", "where are my coins"]
    assert np.allclose(again.probabilities(texts), trained.classifier.probabilities(texts))
    signals = again.detect("i will hurt you tonight after the stream")
    assert [s.code for s in signals] == ["violence_threat"] and signals[0].source is FlagSource.MODEL
    with pytest.raises(ModelFileError, match="needs the hashing-test embedder"):
        FlagClassifier(params, embedder_named("use-multilingual-v3"))


def test_a_correction_teaches_only_its_flag() -> None:
    embedder = HashingEmbedder(256)
    text = "my coins are missing order 7 and the seller laughs"
    rows = _toy_corpus()
    before = train(rows, embedder, version="a").classifier
    correction = FlagExample(
        text=text, flags=frozenset({"fraud_scam"}), source="correction", teaches_only=frozenset({"fraud_scam"})
    )
    after = train(rows + [correction] * 20, embedder, version="b").classifier
    column = list(after.params.flags).index("fraud_scam")
    assert after.probabilities([text])[0, column] > before.probabilities([text])[0, column]
    assert after.params.meta["corrections"] == 20


def test_threshold_maximises_f2_so_recall_comes_first() -> None:
    from app.triage.flag_training import TrainSettings

    probabilities = np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1], dtype=np.float32)
    labels = np.array([1, 1, 1, 0, 1, 0])
    # 0.7 is exact (3 of 4 found, no false alarm) but F2 prefers 0.2: all four found for one false alarm.
    assert choose_threshold(probabilities, labels, TrainSettings()) == pytest.approx(0.2)
    assert choose_threshold(probabilities, labels, TrainSettings(beta=0.5)) == pytest.approx(0.7)


def test_critical_recall_drops_names_the_flag() -> None:
    current = {"per_flag": {"self_harm": {"recall": 0.97}, "extortion": {"recall": 0.9}}}
    new = {"per_flag": {"self_harm": {"recall": 0.95}, "extortion": {"recall": 0.95}}}
    assert critical_recall_drops(new, current) == ["self_harm 0.970 → 0.95"]
    assert critical_recall_drops(current, current) == []


def test_windows_catch_one_sentence_in_a_long_message() -> None:
    text = "Hello team. I have a question about payouts. Also I feel like ending it. Thanks."
    windows = message_windows(text)
    assert windows[0] == text and "I have a question about payouts. Also I feel like ending it." in windows


def test_the_store_switches_every_process_to_a_new_model_and_rolls_back(tmp_path: Path) -> None:
    embedder = HashingEmbedder(256)
    first = FlagModelStore(tmp_path, lambda name: embedder)
    second = FlagModelStore(tmp_path, lambda name: embedder)  # another process sharing the data directory
    one = train(_toy_corpus(), embedder, version="v1").classifier.params
    two = train(_toy_corpus()[:900], embedder, version="v2").classifier.params
    first.install(one)
    assert StoreBackedFlagModel(second).version == "v1"
    first.install(two)
    assert second.current().version == "v2" and first.versions() == ["v1", "v2"]
    first.use("v1")
    assert second.current().version == "v1"
    with pytest.raises(ModelFileError, match="no model v9"):
        first.use("v9")
    assert json.loads((tmp_path / "current.json").read_text())["version"] == "v1"


def test_the_shipped_model_is_a_multilingual_detector(flag_model: StoreBackedFlagModel) -> None:
    """Fresh sentences (not corpus rows) in three languages; the model alone, without the rules."""
    assert shipped_model_path().name == f"flags-{flag_model.version}.npz"
    classifier = flag_model.classifier()
    cases = {
        "honestly i dont see a reason to keep going, i already wrote letters for my kids": "self_harm",
        "ya no le veo sentido a seguir viviendo, perdón a todos": "self_harm",
        "não aguento mais viver assim, hoje eu acabo com tudo": "self_harm",
        "He said he will send my private photos to my family unless I pay him 300 dollars": "extortion",
    }
    for text, code in cases.items():
        assert code in {s.code for s in classifier.detect(text)}, text
    # An ordinary question never gets a critical flag. It does get prompt_injection today: BIPIA's translation attacks
    # taught the model that "change the language" addresses the assistant (a known false positive, issue 10 note).
    assert not {s.code for s in classifier.detect("how do I change the language of the app to English?")} & set(
        CRITICAL_FLAGS
    )
    assert not {s.code for s in classifier.detect("where can I see how many diamonds I earned this week?")}
