"""Renderers: the same report as JSON, long-form CSV and an inert, self-contained HTML page."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from typing import Any

from app.insights.render import ReportFormat, render

REPORT: dict[str, Any] = {
    "period": {"since": "2026-11-01T00:00:00Z", "days": 7.0},
    "volume": {"cases": 3, "by_channel": {"email": 2, "api": 1}},
    "sla": {
        "P1": {"cases": 2, "breached": 1, "breach_rate": 0.5},
        "P2": {"cases": 1, "breached": 0, "breach_rate": None},
    },
    "spikes": [],
    "repeat_complaints": {
        "clusters": [{"requester_name": '<img src=x onerror="alert(1)">', "case_ids": [4, 9], "cases": 2}],
    },
    "notes": {"delta": -3, "label": "-3 is a number, '@home' is text"},
}


def test_json_round_trips() -> None:
    assert json.loads(render(REPORT, ReportFormat.JSON, title="t")) == REPORT


def test_csv_is_long_form_with_a_header() -> None:
    rows = list(csv.reader(io.StringIO(render(REPORT, ReportFormat.CSV, title="t"))))
    assert rows[0] == ["section", "metric", "value"]
    assert ["volume", "by_channel.email", "2"] in rows
    assert ["sla", "P2.breach_rate", ""] in rows  # None is an empty cell
    assert ["repeat_complaints", "clusters.0.case_ids", "4 9"] in rows
    assert ["notes", "delta", "-3"] in rows  # numbers stay numbers
    assert ["repeat_complaints", "clusters.0.requester_name", '<img src=x onerror="alert(1)">'] in rows
    assert ["notes", "label", "'-3 is a number, '@home' is text"] in rows  # text that a spreadsheet would evaluate


def test_html_escapes_everything_and_loads_nothing() -> None:
    page = render(REPORT, ReportFormat.HTML, title="Report <2026>")
    assert "<img" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<title>Report &lt;2026&gt;</title>" in page
    assert "<script" not in page and "<link" not in page and "url(" not in page
    # The inline stylesheet is the only thing the page's own CSP allows, by its hash.
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"default-src 'none'; style-src 'sha256-{digest}'" in page
    assert "<th>breach rate</th>" in page and "<h2>spikes</h2>" in page
