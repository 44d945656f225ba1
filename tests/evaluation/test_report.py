"""The HTML report: thresholds beside the baseline, a heat-map confusion matrix, worst cases — all escaped and
self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.evaluation.baseline import load_baseline
from app.evaluation.report_html import render
from app.evaluation.runner import store_run
from tests.evaluation.conftest import ScriptedDrafter, outcome, run, stub_system, write_suite

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _cases() -> list[dict[str, object]]:
    rows = [
        {"id": f"r{i}", "body": f"refund {i}", "category": "refund_request", "priority": "P2", "flags": []}
        for i in range(4)
    ]
    rows.append({"id": "evil", "body": HOSTILE, "category": "refund_request", "priority": "P2", "flags": []})
    return rows


def test_report_shows_thresholds_baseline_heatmap_and_escaped_worst_cases(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "cls", {"kind": "classification", "thresholds": {"accuracy": {"min": 0.9}}}, _cases())
    good = run([spec], stub_system(ScriptedDrafter(lambda inp: outcome("refund_request"))), tmp_path)
    baseline = load_baseline(store_run(good, tmp_path / "runs"))
    worse = ScriptedDrafter(lambda inp: outcome("gift_transaction" if "<script>" in inp.message else "refund_request"))
    result = run([spec], stub_system(worse), tmp_path, baseline=baseline)
    html = render(result, baseline)

    assert "<script" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no external assets
    assert "cls: accuracy 0.8 &lt; min 0.9 — cases: evil" in html
    assert "regressed" in html and "-0.2000" in html  # baseline 1.0, now 0.8
    heat = re.findall(r'<td style="background: rgba\((\d+), (\d+), (\d+), ([0-9.]+)\)"[^>]*>(\d*)</td>', html)
    assert ("22", "163", "74", "0.74", "4") in heat  # diagonal: 4 of 5 refund messages, green
    assert ("220", "38", "38", "0.28", "1") in heat  # the one filed as a gift, red


def test_a_stored_run_renders_again_from_its_json(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "cls", {"kind": "classification"}, _cases())
    result = run([spec], stub_system(), tmp_path)
    stored = store_run(result, tmp_path / "runs")
    from app.evaluation.results import RunResult

    again = RunResult.model_validate(json.loads(stored.read_text()))
    assert render(again) == render(result)


def test_decision_statistics_appear_per_category_and_prompt_version(tmp_path: Path) -> None:
    spec = write_suite(tmp_path, "cls", {"kind": "classification"}, _cases())
    result = run([spec], stub_system(), tmp_path)
    group = {
        "decisions": 3,
        "reviewed": 3,
        "acceptance_rate": 0.6667,
        "edit_rate": 0.3333,
        "reject_rate": 0.0,
        "escalated": 0,
        "redrafts": 0,
        "mean_edit_distance": 42.0,
    }
    result.decisions = {
        "since": None,
        "overall": group,
        "by_category": {"refund_request": group},
        "by_prompt_version": {"draft_system@abc+draft_user@def": group},
        "reject_reasons": {},
    }
    html = render(result)
    assert "Specialist decisions" in html
    assert "draft_system@abc+draft_user@def" in html and "0.667" in html and "42" in html
