"""Render a report (any JSON-shaped dict) as JSON, CSV or a self-contained HTML page.

The renderers know nothing about which report they print, so a new section in a report needs no change here.
CSV is long-form ``section,metric,value`` (one row per number, nested keys joined with dots), which every
spreadsheet and ``csv`` reader takes without guessing columns. Text that comes from requesters (names, ids)
is neutralised: HTML-escaped in the page, and prefixed with ``'`` in CSV when a spreadsheet would otherwise read
it as a formula. The HTML page loads nothing: its one stylesheet is inline and allowed by a hash in its own
Content-Security-Policy, which also forbids every script, so the file is safe to open and to mail around.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
from collections.abc import Iterator
from enum import StrEnum
from html import escape
from typing import Any


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    HTML = "html"


CSV_HEADER = ("section", "metric", "value")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STYLE = (
    "body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:64rem;color:#1d2330;padding:0 1rem}"
    "h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd}"
    "h3{font-size:1rem;margin-bottom:.3rem}table{border-collapse:collapse;margin:.3rem 0 1rem}"
    "th,td{border:1px solid #dde;padding:.25rem .6rem;text-align:left;vertical-align:top}"
    "th{background:#f3f4f8}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".muted{color:#667}"
)
_NONE = '<span class="muted">none</span>'
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
_CSP = f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; form-action 'none'"


def render(data: dict[str, Any], fmt: ReportFormat, *, title: str) -> str:
    if fmt is ReportFormat.CSV:
        return render_csv(data)
    if fmt is ReportFormat.HTML:
        return render_html(data, title=title)
    return render_json(data)


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if not value:
            yield prefix, ""
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and not all(_is_scalar(v) for v in value):
        for index, item in enumerate(value):
            yield from _flatten(item, f"{prefix}.{index}" if prefix else str(index))
    elif isinstance(value, list):
        yield prefix, " ".join("" if v is None else str(v) for v in value)
    else:
        yield prefix, value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_csv(data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for section, content in data.items():
        for metric, value in _flatten(content, ""):
            writer.writerow((section, metric, _cell(value)))
    return buffer.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return '<span class="muted">–</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value)) if value else _NONE
    return escape(str(value))


def _td(value: Any) -> str:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    return f'<td class="n">{_text(value)}</td>' if numeric else f"<td>{_text(value)}</td>"


def _label(key: str) -> str:
    return escape(key.replace("_", " "))


def _table_of_records(rows: list[dict[str, Any]]) -> str:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    head = "".join(f"<th>{_label(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(_td(row.get(c)) for c in columns) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _block(name: str, value: Any, level: int) -> str:
    """One section: key/value rows for scalars, a table for records, a sub-heading per nested group."""
    heading = f"<h{level}>{_label(name)}</h{level}>"
    if _is_scalar(value) or (isinstance(value, list) and all(_is_scalar(v) for v in value)):
        return f"{heading}<p>{_text(value)}</p>"
    if isinstance(value, list):
        return heading + _table_of_records([v if isinstance(v, dict) else {"value": v} for v in value])
    if value and all(isinstance(v, dict) and all(_is_scalar(x) for x in v.values()) for v in value.values()):
        return heading + _table_of_records([{"": key, **row} for key, row in value.items()])
    scalars = {k: v for k, v in value.items() if _is_scalar(v) or (isinstance(v, list) and all(map(_is_scalar, v)))}
    parts = [heading]
    if scalars:
        rows = "".join(f"<tr><th>{_label(k)}</th>{_td(v)}</tr>" for k, v in scalars.items())
        parts.append(f"<table><tbody>{rows}</tbody></table>")
    if not value:
        parts.append(f"<p>{_NONE}</p>")
    parts.extend(_block(k, v, min(level + 1, 4)) for k, v in value.items() if k not in scalars)
    return "".join(parts)


def render_html(data: dict[str, Any], *, title: str) -> str:
    sections = "\n".join(_block(name, value, 2) for name, value in data.items())
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>\n"
        f"<body><h1>{escape(title)}</h1>\n{sections}\n</body></html>\n"
    )
