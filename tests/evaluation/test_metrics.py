"""The metric arithmetic, on small cases worked out by hand."""

from __future__ import annotations

import pytest

from app.evaluation import metrics as m


def test_single_label_errors_count_against_both_labels() -> None:
    gold = ["refund_request", "refund_request", "gift_transaction", "feedback_other"]
    got = ["refund_request", "gift_transaction", "gift_transaction", "refund_request"]
    tallies = m.single_label_tallies(gold, got, ["refund_request", "gift_transaction", "feedback_other"])
    refund = tallies["refund_request"]
    assert (refund.tp, refund.fp, refund.fn) == (1, 1, 1)
    assert tallies["gift_transaction"].precision == 0.5
    assert tallies["gift_transaction"].recall == 1.0
    assert tallies["feedback_other"].precision is None  # never predicted: undefined, not 0
    assert tallies["feedback_other"].recall == 0.0
    assert m.accuracy(gold, got) == 0.5


def test_macro_f1_ignores_labels_nobody_asked_about() -> None:
    tallies = m.single_label_tallies(["a", "b"], ["a", "b"], ["a", "b", "c"])
    assert m.macro_f1(tallies) == 1.0


def test_f2_weighs_recall_over_precision() -> None:
    cautious = m.fbeta(precision=1.0, recall=0.5, beta=2)
    alarmist = m.fbeta(precision=0.5, recall=1.0, beta=2)
    assert cautious is not None and alarmist is not None
    assert alarmist > cautious
    assert m.fbeta(0.0, 0.0, 2) == 0.0
    assert m.fbeta(None, 1.0) is None


def test_multi_label_tallies_score_each_flag_on_its_own() -> None:
    gold = [{"self_harm"}, {"fraud_scam", "pii_shared"}, set()]
    got = [set(), {"fraud_scam"}, {"violence_threat"}]
    tallies = m.multi_label_tallies(gold, got, ["self_harm", "fraud_scam", "pii_shared", "violence_threat"])
    assert tallies["self_harm"].fn == 1
    assert tallies["fraud_scam"].tp == 1
    assert tallies["violence_threat"].fp == 1
    total = m.micro(tallies.values())
    assert (total.tp, total.fp, total.fn) == (1, 1, 2)


def test_confusion_rows_are_truth_and_empty_labels_are_dropped() -> None:
    result = m.confusion(["a", "a", "b"], ["a", "b", "b"], ["a", "b", "c"])
    assert result == {"labels": ["a", "b"], "matrix": [[1, 1], [0, 1]]}


def test_confusion_keeps_unexpected_predictions_as_extra_columns() -> None:
    result = m.confusion(["a"], ["(error)"], ["a"])
    assert result["labels"] == ["a", "(error)"]
    assert result["matrix"] == [[0, 1], [0, 0]]


@pytest.mark.parametrize(("ranked", "expected_rr"), [(["x", "a"], 0.5), (["a"], 1.0), (["x", "y"], 0.0), ([], 0.0)])
def test_reciprocal_rank(ranked: list[str], expected_rr: float) -> None:
    assert m.reciprocal_rank({"a", "z"}, ranked) == expected_rr


def test_rounded_drops_undefined_metrics() -> None:
    assert m.rounded({"a": 0.123456, "b": None}) == {"a": 0.1235}
