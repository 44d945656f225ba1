"""The HTML report: one self-contained file (no scripts, no external assets), every value escaped.

It shows each metric against its threshold and the baseline run, the confusion matrices as heat maps (cell
colour = share of the row, green on the diagonal, red off it), the worst cases with their inputs and outputs,
and the specialists' decision statistics when the database has any.
"""

from __future__ import annotations

import json
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from app.evaluation.baseline import baseline_metrics
from app.evaluation.results import RunResult, SuiteResult

_CONFUSIONS = ("confusion", "priority_confusion")


def render(result: RunResult, baseline: dict[str, Any] | None = None) -> str:
    env = Environment(
        loader=PackageLoader("app.evaluation", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pretty"] = _pretty
    env.filters["num"] = _num
    suites = [_suite_view(s, baseline) for s in result.suites.values()]
    return env.get_template("report.html").render(run=result, suites=suites, decisions=result.decisions)


def _suite_view(suite: SuiteResult, baseline: dict[str, Any] | None) -> dict[str, Any]:
    before = baseline_metrics(baseline, suite.name)
    checked = {c.metric for c in suite.checks}
    others = [
        {
            "name": name,
            "value": value,
            "baseline": before.get(name),
            "delta": round(value - before[name], 4) if name in before else None,
        }
        for name, value in suite.metrics.items()
        if name not in checked
    ]
    heatmaps = []
    for key, title, details in _confusions(suite.details):
        heatmaps.append({"key": key, "title": title, **_heatmap(details)})
    tables = {
        name: table
        for name, table in suite.details.items()
        if name in ("per_label", "per_flag", "per_kind") and isinstance(table, dict) and table
    }
    for source, section in suite.details.items():  # external: one table per source
        if isinstance(section, dict) and isinstance(section.get("per_kind"), dict):
            tables[f"{source} per_kind"] = section["per_kind"]
    return {"suite": suite, "others": others, "heatmaps": heatmaps, "tables": tables}


def _confusions(details: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [(k, k.replace("_", " "), details[k]) for k in _CONFUSIONS if isinstance(details.get(k), dict)]
    for source, section in details.items():
        if isinstance(section, dict) and isinstance(section.get("confusion"), dict):
            found.append((f"{source}-confusion", f"{source} confusion", section["confusion"]))
    return found


def _heatmap(confusion: dict[str, Any]) -> dict[str, Any]:
    labels: list[str] = [str(label) for label in confusion.get("labels", [])]
    matrix: list[list[int]] = confusion.get("matrix", [])
    rows = []
    for i, label in enumerate(labels):
        row = matrix[i] if i < len(matrix) else []
        total = sum(row)
        cells = []
        for j, count in enumerate(row):
            share = count / total if total else 0.0
            hue = "22, 163, 74" if i == j else "220, 38, 38"
            alpha = 0.0 if count == 0 else 0.12 + 0.78 * share
            cells.append({"count": count, "style": f"background: rgba({hue}, {alpha:.2f})", "share": share})
        rows.append({"label": label, "cells": cells, "total": total, "recall": row[i] / total if total else None})
    return {"labels": labels, "rows": rows}


def _pretty(value: Any) -> str:
    """Short, readable text for a case's input/expected/got: ``key: value`` lines, lists joined by commas."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_pretty(v)}" for k, v in value.items())
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(str(v) for v in value) if value else "(none)"
    return json.dumps(value, ensure_ascii=False, default=str)


def _num(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, list | tuple) and len(value) == 2:  # a confidence interval
        return f"{_num(value[0], 3)}–{_num(value[1], 3)}"
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)
