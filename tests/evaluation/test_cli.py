"""``triage eval``: usage errors exit 2 before any model loads; stored runs re-render; decisions export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from app.evaluation.runner import store_run
from tests.evaluation.conftest import run, stub_system, write_suite
from tests.evaluation.test_decisions import _case, _decide


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    get_settings.cache_clear()


def test_unknown_suite_and_provider_are_usage_errors() -> None:
    result = CliRunner().invoke(cli, ["eval", "run", "no-such-suite"])
    assert result.exit_code == 2
    assert "unknown suite(s) no-such-suite; known:" in result.output
    assert "classification" in result.output
    result = CliRunner().invoke(cli, ["eval", "run", "all", "--provider", "gpt-5"])
    assert result.exit_code == 2 and "--provider must be one of offline, openai, fake" in result.output


def test_an_unreadable_baseline_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text('{"not": "a run"}')
    result = CliRunner().invoke(cli, ["eval", "run", "retrieval", "--baseline", str(tmp_path / "b.json")])
    assert result.exit_code == 2 and "expected a run JSON with a 'suites' object" in result.output


def test_report_renders_a_stored_run_beside_a_baseline(tmp_path: Path) -> None:
    spec = write_suite(
        tmp_path,
        "r",
        {"kind": "retrieval", "thresholds": {"mrr": {"min": 0.5}}},
        [{"id": "q1", "query": "coins", "expected": ["coins"]}],
    )
    stored = store_run(run([spec], stub_system(), tmp_path), tmp_path / "runs")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["eval", "report", str(stored), "--html", str(out), "--baseline", str(stored)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "r: mrr 0 &lt; min 0.5 — cases: q1" in html


def test_export_decisions_writes_a_golden_suite(data_dir: Path) -> None:
    from app.db import make_engine
    from app.migrate import upgrade

    url = f"sqlite:///{data_dir / 'triage.db'}"
    upgrade(url)
    with Session(make_engine(url)) as session:
        case, draft = _case(session, 1, "coins missing, I'm at ana@example.com", "recharge_payment", "p@1")
        _decide(session, case, draft, "approve", "Draft reply.", 0)
        session.commit()
    out = data_dir / "golden.jsonl"
    result = CliRunner().invoke(cli, ["eval", "export-decisions", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1 and rows[0]["body"] == "coins missing, I'm at <EMAIL_1>"
    assert "1 golden case(s) written" in result.output
