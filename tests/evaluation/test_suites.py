"""Suite files are validated when loaded: a mistake names the file, the line and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.evaluation.suites import MessageCase, SuiteError, SuiteKind, discover, load_cases, select
from tests.evaluation.conftest import write_suite

GOOD_CASE = {"id": "c1", "body": "hi", "category": "refund_request", "priority": "P2", "flags": []}


def test_every_shipped_suite_and_its_cases_load() -> None:
    suites = discover(PROJECT_ROOT / "evals")
    assert {"classification", "risk_flags", "retrieval", "drafting", "injection", "redaction", "external"} <= set(
        suites
    )
    from app.evaluation.suites import CASE_MODELS

    for spec in suites.values():
        path = spec.cases_path()
        if spec.options.get("format") == "corpus" and path is not None:
            from app.evaluation.kinds.risk_flags import corpus_cases

            assert corpus_cases(path, spec), spec.name  # flag-corpus rows, read as message cases
        elif spec.kind in CASE_MODELS and path is not None and path.is_file():
            assert load_cases(spec, CASE_MODELS[spec.kind]), spec.name


def test_a_threshold_needs_exactly_one_bound(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match=r"suite.yaml: thresholds.accuracy.*exactly one"):
        write_suite(tmp_path, "bad", {"kind": "classification", "thresholds": {"accuracy": {"min": 1, "max": 2}}}, [])


def test_unknown_keys_and_kinds_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SuiteError, match="kind"):
        write_suite(tmp_path, "bad", {"kind": "vibes"}, [])
    with pytest.raises(SuiteError, match="threshold"):
        write_suite(tmp_path, "bad2", {"kind": "classification", "threshold": {}}, [])


def test_a_bad_case_names_its_line_and_field(tmp_path: Path) -> None:
    spec = write_suite(
        tmp_path, "cls", {"kind": "classification"}, [GOOD_CASE, {**GOOD_CASE, "id": "c2", "flags": ["vibes"]}]
    )
    with pytest.raises(SuiteError, match=r"cases.jsonl:2: flags: .*unknown risk flag"):
        load_cases(spec, MessageCase)


def test_duplicate_case_ids_are_refused(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "cls", {"kind": "classification"}, [GOOD_CASE, GOOD_CASE])
    with pytest.raises(SuiteError, match="duplicate case id 'c1'"):
        load_cases(spec, MessageCase)


def test_unknown_suite_names_list_the_known_ones(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "one", {"kind": "retrieval"}, None)
    assert select({"one": spec}, ["all"]) == [spec]
    with pytest.raises(SuiteError, match=r"unknown suite.*two.*known: one"):
        select({"one": spec}, ["two"])


def test_hard_negative_targets_come_from_the_note() -> None:
    case = MessageCase.model_validate(
        {**GOOD_CASE, "hard_negative": True, "note": "hard negative for extortion and violence_threat: idiom"}
    )
    assert case.hard_negative_targets() == {"extortion", "violence_threat"}
    plain = MessageCase.model_validate({**GOOD_CASE, "note": "hard negative for self_harm"})
    assert plain.hard_negative_targets() == set()  # not marked hard_negative


def test_the_labelled_set_declares_hard_negatives_against_critical_flags() -> None:
    rows = [json.loads(line) for line in (PROJECT_ROOT / "evals/data/labelled_messages.jsonl").open()]
    cases = [MessageCase.model_validate(r) for r in rows]
    targets = set().union(*(c.hard_negative_targets() for c in cases))
    assert {"self_harm", "violence_threat", "minor_safety", "extortion"} <= targets
    assert SuiteKind.RISK_FLAGS in {s.kind for s in discover(PROJECT_ROOT / "evals").values()}
