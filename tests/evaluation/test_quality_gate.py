"""The CI quality gate: every offline suite in evals/ against its thresholds, as `make test` runs it.

Fixed-seed samples of the large external sets keep it short (`triage eval run external` measures every row).
It fails when any threshold is missed, with one line per missed metric naming the cases behind it; the full
run is written to var/evals/make-test.json and .html for a person to read.
"""

from __future__ import annotations

import pytest

from app.config import PROJECT_ROOT
from app.evaluation.report_html import render
from app.evaluation.runner import write_json
from app.evaluation.suites import discover
from app.evaluation.system import SystemUnderTest
from tests.evaluation.conftest import run


@pytest.mark.timeout(900)  # ~2 minutes on the shared 2-core box under load; the default 300 s is too tight
def test_offline_suites_meet_their_thresholds(offline_system: SystemUnderTest) -> None:
    specs = [spec for spec in discover(PROJECT_ROOT / "evals").values() if spec.offline]
    result = run(specs, offline_system, PROJECT_ROOT, sample=True, concurrency=8)
    out = PROJECT_ROOT / "var" / "evals"
    out.mkdir(parents=True, exist_ok=True)
    write_json(result, out / "make-test.json")
    (out / "make-test.html").write_text(render(result), encoding="utf-8")
    summary = "\n".join(
        f"  {name}: {suite.status}" + (f" ({suite.reason})" if suite.reason else "")
        for name, suite in result.suites.items()
    )
    assert result.passed, (
        f"quality gate failed (report: {out / 'make-test.html'}):\n"
        + "\n".join(f"  - {failure}" for failure in result.failures)
        + f"\nsuites:\n{summary}"
    )


@pytest.mark.timeout(600)  # may be the first to build the session's offline system
def test_a_degraded_detector_fails_the_shipped_suite_naming_metric_and_cases(offline_system: SystemUnderTest) -> None:
    """The real redaction suite with a redactor that no longer sees phone numbers."""
    from dataclasses import replace

    from app.triage.redaction import PiiSpan, find_pii

    def blind_to_phones(text: str) -> list[PiiSpan]:
        return [span for span in find_pii(text) if span.kind != "PHONE"]

    spec = discover(PROJECT_ROOT / "evals")["redaction"]
    result = run([spec], replace(offline_system, find_pii=blind_to_phones), PROJECT_ROOT)
    assert not result.passed
    assert result.failures == [
        "redaction: recall.PHONE 0 < min 0.9 — cases: rd-02, rd-07, rd-09, rd-14, rd-18, rd-22, rd-25, rd-27, rd-29, "
        "rd-34 (+1 more)"
    ]
