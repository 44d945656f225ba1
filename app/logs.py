"""Structured logs: JSON lines on stderr (stdout stays clean for CLI output). Bodies and PII are never logged.

Not logging bodies in our own calls is not enough: an exception's *text* carries data too. A failed insert on
PostgreSQL says ``DETAIL: Failing row contains (…, the message body, …)``, a unique violation repeats the key
values, and SQLAlchemy appends the bound parameters (``hide_parameters`` on the engine turns that off; this is
the second line of defence). So every log record's exception — whoever logs it: uvicorn's "Exception in ASGI
application", starlette, a worker's ``log.exception`` — is rendered by :func:`safe_traceback`: the frames and
exception types as usual, but for database and validation errors only identifiers (SQLSTATE, constraint, table,
the SQL text with its placeholders), never values.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy.exc import StatementError

_MAX_SQL = 300
# Signs that a string is a driver error's text (SQLAlchemy's "[SQL: …]", PostgreSQL's "DETAIL:" with row values):
# such a string, wherever it appears in a record (message, an `extra` field), is cut to its first line.
_DRIVER_TEXT_MARKERS = ("[SQL: ", "\nDETAIL:", "[parameters: ", "Failing row contains")


def _is_driver_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("psycopg")


def _driver_summary(exc: BaseException) -> str:
    """Identifiers only: the driver's message text can quote the row (PostgreSQL DETAIL) or the bad value."""
    parts = [type(exc).__name__]
    for label, value in (
        ("sqlstate", getattr(exc, "sqlstate", None)),
        ("sqlite", getattr(exc, "sqlite_errorname", None)),
    ):
        if value:
            parts.append(f"{label} {value}")
    diag = getattr(exc, "diag", None)
    for label in ("table_name", "column_name", "constraint_name"):
        value = getattr(diag, label, None) if diag is not None else None
        if value:
            parts.append(f"{label.removesuffix('_name')} {value}")
    return ", ".join(parts) + " (driver message withheld: it can quote row values)"


def safe_message(exc: BaseException) -> str:
    """``str(exc)`` for log lines, without the values database and validation errors quote."""
    if isinstance(exc, StatementError):
        statement = " ".join(str(exc.statement or "").split())
        if len(statement) > _MAX_SQL:
            statement = statement[:_MAX_SQL] + "…"
        driver = _driver_summary(exc.orig) if isinstance(exc.orig, BaseException) else type(exc).__name__
        return f"{driver}; SQL: {statement} (parameters hidden)"
    if _is_driver_error(exc):
        return _driver_summary(exc)
    if isinstance(exc, ValidationError):
        fields = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or '(root)'}: {error['type']}" for error in exc.errors()[:10]
        )
        return f"{exc.error_count()} validation error(s) for {exc.title} (input withheld): {fields}"
    text: str = _scrub(str(exc))  # an exception that quotes a driver error in its own message
    return text


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it came from, oldest first, as Python prints them."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return list(reversed(chain))


def safe_traceback(exc: BaseException) -> str:
    """A traceback like Python's (frames and source lines hold no runtime values) with :func:`safe_message`s."""
    out: list[str] = []
    for index, item in enumerate(_chain(exc)):
        if index:
            out.append("\nThe above exception was followed by:\n\n")
        out.append("Traceback (most recent call last):\n")
        out.extend(traceback.format_tb(item.__traceback__))
        name = type(item).__qualname__
        module = type(item).__module__
        qualified = name if module in ("builtins", "__main__") else f"{module}.{name}"
        out.append(f"{qualified}: {safe_message(item)}\n")
    return "".join(out).rstrip("\n")


def _scrub(value: Any) -> Any:
    if isinstance(value, BaseException):
        return safe_message(value)
    if isinstance(value, str) and any(marker in value for marker in _DRIVER_TEXT_MARKERS):
        return value.split("\n", 1)[0].split("[SQL: ", 1)[0].rstrip() + " (driver detail withheld)"
    return value


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Make ``record`` safe to emit: exception arguments and tracebacks rendered without quoted values."""
    if isinstance(record.args, tuple):
        record.args = tuple(_scrub(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: _scrub(arg) for key, arg in record.args.items()}
    record.msg = _scrub(record.msg)
    if record.exc_info and record.exc_info[1] is not None:
        # Every stock Formatter uses exc_text when it is set, so this covers handlers we do not own (uvicorn's).
        record.exc_text = safe_traceback(record.exc_info[1])
    return record


class RedactingFilter(logging.Filter):
    """Handler filter: redacts again at emit time, when ``extra`` fields (set after the record factory) exist."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in list(vars(record).items()):
            if key not in ("exc_info", "exc_text", "args", "msg") and isinstance(value, str | BaseException):
                setattr(record, key, _scrub(value))
        redact_record(record)
        return True


class RedactingJsonFormatter(JsonFormatter):
    """JSON lines; python-json-logger formats ``exc_info`` itself, so its exception text is made safe here too."""

    def formatException(self, ei: Any) -> str | list[str]:  # type: ignore[override]  # as the base class
        exc = ei[1] if isinstance(ei, tuple) else None
        return safe_traceback(exc) if isinstance(exc, BaseException) else super().formatException(ei)


def install_redaction() -> None:
    """Redact every record any logger makes in this process (idempotent): loggers and handlers we do not
    configure (uvicorn, starlette, libraries) share the record factory."""
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, "triage_redacting", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(current(*args, **kwargs))

    factory.triage_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def configure_logging(level: str = "INFO") -> None:
    install_redaction()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingJsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "chromadb", "urllib3", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
