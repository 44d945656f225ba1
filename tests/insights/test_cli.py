"""``triage report service``: JSON parses, CSV has its header, HTML is self-contained and escaped, bad dates exit 2."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings
from app.services import Services
from tests.conftest import auth, drain

# A requester name that is both a spreadsheet formula and markup: it must come out inert in CSV and HTML.
HOSTILE_NAME = "=1+2<script>alert(1)</script>"
RUN = ["report", "service", "--since", "2026-11-01", "--until", "2026-11-01"]


@pytest.fixture
def run_cli(services: Services) -> Iterator[Callable[..., Result]]:
    """Run the real ``triage`` command against this test's database (settings come from the environment)."""
    env = {
        "TRIAGE_DATABASE_URL": services.settings.resolved_database_url,
        "TRIAGE_DATA_DIR": str(services.settings.data_dir),
    }

    def run(*args: str) -> Result:
        get_settings.cache_clear()  # the command reads TRIAGE_* afresh, as a new process would
        return CliRunner().invoke(cli, list(args), env=env)

    yield run
    get_settings.cache_clear()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_report_formats(
    client: TestClient, services: Services, tokens: dict[str, str], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    token = tokens["specialist"]
    case_ids = []
    for number in (1, 2):
        message = {
            "channel": "in_app_chat",
            "external_id": f"cli-{number}",
            "thread_id": f"t-{number}",
            "sender": {"id": "u-hostile", "kind": "user", "name": HOSTILE_NAME},
            "body": f"I paid $9.9{number} for coins with my card but my balance did not change.",
        }
        case_ids.append(client.post("/v1/messages", json=message, headers=auth(token)).json()["case_id"])
    drain(services)
    approved = client.post(f"/v1/cases/{case_ids[0]}/decisions", json={"action": "approve"}, headers=auth(token))
    assert approved.status_code == 201

    as_json = run_cli(*RUN)
    assert as_json.exit_code == 0, as_json.output
    report = json.loads(as_json.stdout)
    assert report["volume"]["cases"] == 2
    assert report["decisions"]["by_action"]["approve"] == 1 and report["decisions"]["acceptance_rate"] == 1.0
    assert report["repeat_complaints"]["clusters"][0]["requester_name"] == HOSTILE_NAME
    assert report["period"]["since"].startswith("2026-11-01T00:00") and report["period"]["until"].startswith(
        "2026-11-02T00:00"
    )

    as_csv = run_cli(*RUN, "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["section", "metric", "value"]
    assert ["volume", "cases", "2"] in rows
    assert ["decisions", "by_action.approve", "1"] in rows
    name_rows = [r for r in rows if r[1].endswith("requester_name")]
    assert name_rows and all(r[2] == "'" + HOSTILE_NAME for r in name_rows)  # not a formula in a spreadsheet

    out = tmp_path / "report.html"
    as_html = run_cli(*RUN, "--format", "html", "--out", str(out))
    assert as_html.exit_code == 0, as_html.output
    assert as_html.stdout == ""  # the page went to the file
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "Content-Security-Policy" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from anywhere


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_bad_options_exit_2_naming_the_option(run_cli: Callable[..., Result]) -> None:
    not_a_date = run_cli("report", "service", "--since", "yesterday-ish")
    assert not_a_date.exit_code == 2 and "--since" in not_a_date.output and "ISO date" in not_a_date.output
    reversed_ = run_cli("report", "service", "--since", "2026-11-08", "--until", "2026-11-01")
    assert reversed_.exit_code == 2 and "--since" in reversed_.output and "until" in reversed_.output
    bad_format = run_cli("report", "service", "--format", "xml")
    assert bad_format.exit_code == 2 and "--format" in bad_format.output
