"""Input bounds shared by the API and the console: what the databases and our arithmetic can actually hold.

Every value a client sends ends up in a PostgreSQL or SQLite column, a JSON column, or date arithmetic. Each of
those has limits the type hint alone does not say — and a value past them is a driver error (a 500) at best,
and at worst a row stored fine that crashes every later read (a ``received_at`` in year 9999 broke the queue for
everyone). So the limits are checked at the edge, once, here, and the error names the field and what to send:

- ids are PostgreSQL ``INTEGER`` columns: 1 … 2³¹-1 (SQLite would take more; both databases must agree);
- text may not hold NUL (PostgreSQL refuses ``\\x00`` in text) nor lone surrogates (not encodable as UTF-8, so
  neither database nor the tokenizer can take them);
- JSON must be JSON both databases and every client can read back: no NaN/Infinity (``1e400`` parses as
  infinity), integers within 64 bits, bounded nesting;
- dates must lie in a window around now, so ``date + SLA`` and ``now - date`` can never overflow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator

DB_INT_MAX = 2**31 - 1  # PostgreSQL INTEGER, the type of every id and version column
JSON_INT_LIMIT = 2**63  # beyond this, JSON integers stop round-tripping through SQLite, PostgreSQL and JavaScript
JSON_MAX_DEPTH = 16
EARLIEST_DATE = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_TOLERANCE = timedelta(days=1)  # clock skew between a channel and us; anything later is a bad timestamp

DbId = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="a database id: 1 to 2147483647")]
DbVersion = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="a version number: 1 to 2147483647")]
Offset = Annotated[int, Query(ge=0, le=DB_INT_MAX, description="rows to skip: 0 to 2147483647")]


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can."""
    if "\x00" in value:
        return f"contains a NUL character (\\u0000) at position {value.index(chr(0))}; remove it"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return (
            f"contains a lone surrogate (\\u{ord(value[exc.start]):04x}) at position {exc.start}, which is not "
            "valid Unicode; send UTF-8 text"
        )
    return None


def safe_text(value: str) -> str:
    """Pydantic validator: refuse text PostgreSQL or UTF-8 cannot hold (see :func:`text_problem`)."""
    problem = text_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


SafeText = Annotated[str, AfterValidator(safe_text)]


def json_problem(value: Any, *, where: str, depth: int = 0) -> str | None:
    """Why ``value`` (parsed JSON) cannot be stored and read back, naming the offending path; None when it can."""
    if depth > JSON_MAX_DEPTH:
        return f"{where}: nested deeper than {JSON_MAX_DEPTH} levels; flatten it"
    if isinstance(value, str):
        problem = text_problem(value)
        return f"{where}: {problem}" if problem else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        if abs(value) >= JSON_INT_LIMIT:
            return f"{where}: the integer {str(value)[:24]}… does not fit in 64 bits; send it as a string"
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return f"{where}: {value} is not a JSON number (NaN, Infinity or beyond ±1.8e308); send a finite number"
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            key_problem = text_problem(str(key))
            if key_problem:
                return f"{where}: a key {key_problem}"
            problem = json_problem(item, where=f"{where}.{key}", depth=depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            problem = json_problem(item, where=f"{where}[{index}]", depth=depth + 1)
            if problem:
                return problem
        return None
    return f"{where}: {type(value).__name__} is not a JSON value"


def sane_instant(value: datetime, *, now: datetime | None = None) -> datetime:
    """Pydantic validator: a timestamp from 2000-01-01 to a day after now (wall clock), else ValueError.

    The wall clock, not the service clock: this is a bound against garbage (year 9999, year 1), not a business
    rule, and the tolerance absorbs any skew between the two.
    """
    current = now or datetime.now(UTC)
    try:
        in_window = EARLIEST_DATE <= value <= current + FUTURE_TOLERANCE
    except OverflowError:  # an offset that pushes year 1 or 9999 past the representable range
        in_window = False
    if not in_window:
        raise ValueError(
            f"{value.isoformat()} is outside the accepted window: send a time from {EARLIEST_DATE.date()} "
            "to at most one day from now, with a UTC offset"
        )
    return value


def add_clamped(moment: datetime, delta: timedelta) -> datetime:
    """``moment + delta``, clamped to the representable range: rows stored before the ingest bound existed
    (year 9999) must still render in the queue instead of raising OverflowError for every reader."""
    try:
        return moment + delta
    except OverflowError:
        return (datetime.max if delta > timedelta(0) else datetime.min).replace(tzinfo=moment.tzinfo)


ARTICLE_ID_MAX = 120  # article_versions.article_id is VARCHAR(120)
ArticleIdPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=ARTICLE_ID_MAX,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="an article id like 'coins-not-credited' or 'refunds.es' (at most 120 characters)",
    ),
]
