"""Core INSERTs for table models, for the few hot paths where building ORM objects costs more than the SQL.

Building a SQLModel table object and flushing it through the unit of work costs ~0.3 ms per row; ingest writes
five to seven rows per message, which was most of its time. ``insert_rows`` writes plain dicts with one Core
statement per table instead. Column defaults declared on the model still apply (SQLAlchemy fills them in); the
one kind SQLModel cannot declare on the column, a ``default_factory`` on a field with its own ``sa_column`` (our
JSON columns), is filled in here, so a row written this way is the row the ORM would have written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import JSON, Column, Table, insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import class_mapper
from sqlmodel import SQLModel


@cache
def _column_keys(model: type[SQLModel]) -> dict[str, str]:
    """Attribute name → column key (they differ where a column is renamed, e.g. ``meta`` → ``metadata``)."""
    return {attr.key: attr.columns[0].key for attr in class_mapper(model).column_attrs}


@cache
def _missing_defaults(model: type[SQLModel]) -> dict[str, Callable[[], Any]]:
    """Column key → factory, for fields whose default lives only on the pydantic field (``sa_column`` fields)."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    keys = _column_keys(model)
    factories: dict[str, Callable[[], Any]] = {}
    for name, field in model.model_fields.items():
        column = table.columns.get(keys.get(name, name))
        if column is None or column.default is not None or column.server_default is not None:
            continue
        if field.default_factory is not None:
            factories[column.key] = field.default_factory  # type: ignore[assignment]
    return factories


def row_values(model: type[SQLModel], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (by attribute name) as a Core row (by column key), with the model's field-only defaults."""
    keys = _column_keys(model)
    row = {column: factory() for column, factory in _missing_defaults(model).items()}
    row.update({keys.get(name, name): value for name, value in values.items()})
    return row


def insert_rows(connection: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (attribute names as keys) in one statement; all rows must name the same attributes."""
    if not rows:
        return
    table: Table = model.__table__  # type: ignore[attr-defined]
    values = [row_values(model, row) for row in rows]
    if len(values) > 1 and connection.dialect.name == "postgresql":
        connection.execute(*_unnest_insert(connection, table, values, returning=()))
        return
    connection.execute(insert(table), values)


def insert_rows_returning(
    connection: Connection, model: type[SQLModel], rows: Sequence[dict[str, Any]], *, key: Sequence[str]
) -> dict[tuple[Any, ...], int]:
    """Insert ``rows`` in one statement; their generated ids by the values of the ``key`` columns (unique here)."""
    if not rows:
        return {}
    table: Table = model.__table__  # type: ignore[attr-defined]
    values = [row_values(model, row) for row in rows]
    if connection.dialect.name == "postgresql":
        result = connection.execute(*_unnest_insert(connection, table, values, returning=("id", *key)))
    else:
        columns = [table.c.id, *(table.c[k] for k in key)]
        result = connection.execute(insert(table).returning(*columns), values)
    return {tuple(row[1:]): int(row[0]) for row in result}


def _unnest_insert(
    connection: Connection, table: Table, rows: list[dict[str, Any]], *, returning: Sequence[str]
) -> tuple[Any, dict[str, list[Any]]]:
    """PostgreSQL: ``INSERT … SELECT FROM unnest(arrays)``, one short statement and one array per column.

    A multi-row VALUES statement grows with the batch, so psycopg parses it anew every time (it caches only short
    queries) and the server plans it anew; with one array per column the text is the same for every batch size.
    Column defaults are filled in here, as SQLAlchemy would for a plain INSERT.
    """
    columns = [c for c in table.columns if c.key in rows[0] or _python_default(c) is not None]
    quote = connection.dialect.identifier_preparer.quote
    params: dict[str, list[Any]] = {}
    casts = []
    for i, column in enumerate(columns):
        default = _python_default(column)
        cells = [row[column.key] if column.key in row else default() for row in rows]  # type: ignore[misc]
        if isinstance(column.type, JSON):
            cells = [None if cell is None else json.dumps(cell) for cell in cells]
        params[f"c{i}"] = cells
        casts.append(f"CAST(:c{i} AS {column.type.compile(dialect=connection.dialect)}[])")
    names = ", ".join(quote(c.name) for c in columns)
    sql = f"INSERT INTO {quote(table.name)} ({names}) SELECT * FROM unnest({', '.join(casts)})"
    if returning:
        sql += " RETURNING " + ", ".join(quote(table.c[k].name) for k in returning)
    return text(sql), params


def _python_default(column: Column[Any]) -> Callable[[], Any] | None:
    """A factory for the column's Python-side default (scalar or zero-argument callable), None if it has none."""
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        value = default.arg  # type: ignore[attr-defined]
        return lambda: value
    if default.is_callable:
        call = default.arg  # type: ignore[attr-defined]
        return lambda: call(None)
    return None


def insert_returning_id(connection: Connection, model: type[SQLModel], values: dict[str, Any]) -> int:
    """Insert one row and return its generated primary key."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    result = connection.execute(insert(table).returning(table.c.id), row_values(model, values))
    return int(result.scalar_one())
