"""Core INSERTs for table models, for the few hot paths where building ORM objects costs more than the SQL.

Building a SQLModel table object and flushing it through the unit of work costs ~0.3 ms per row; ingest writes
five to seven rows per message, which was most of its time. ``insert_rows`` writes plain dicts with one Core
statement per table instead. Column defaults declared on the model still apply (SQLAlchemy fills them in); the
one kind SQLModel cannot declare on the column, a ``default_factory`` on a field with its own ``sa_column`` (our
JSON columns), is filled in here, so a row written this way is the row the ORM would have written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, insert
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
    if rows:
        table: Table = model.__table__  # type: ignore[attr-defined]
        connection.execute(insert(table), [row_values(model, row) for row in rows])


def insert_returning_id(connection: Connection, model: type[SQLModel], values: dict[str, Any]) -> int:
    """Insert one row and return its generated primary key."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    result = connection.execute(insert(table).returning(table.c.id), row_values(model, values))
    return int(result.scalar_one())
