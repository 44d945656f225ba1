"""Cross-process locks, so two API processes and a worker starting together take turns where they must.

Two kinds, both keyed by a name:
- ``exclusive(url, name)``: held across transactions (migrations, a knowledge-base sync). PostgreSQL session
  advisory lock on a connection of its own; on SQLite an ``flock`` on a file beside the database.
- ``lock_in_transaction(session, name)``: held until the session's transaction ends (serialising case creation
  per thread). PostgreSQL transaction advisory lock; on SQLite a no-op, because every transaction there already
  starts with ``BEGIN IMMEDIATE`` and so holds the database's write lock.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


def _sqlite_path(url: str) -> Path | None:
    path = url.split("///", 1)[-1] if "///" in url else ""
    if not path or path == ":memory:":
        return None
    return Path(path)


@contextmanager
def exclusive(url: str, name: str) -> Iterator[None]:
    """Hold the lock ``name`` for the database at ``url`` until the block ends (blocks until it is free)."""
    if url.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is None:
            yield
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(f"{path.name}.{name}.lock"), "a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": lock_key(name)})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key(name)})
                conn.commit()
    finally:
        engine.dispose()


def lock_in_transaction(session: Session, name: str) -> None:
    """Take the lock ``name`` until this session's transaction commits or rolls back."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.connection().execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})
