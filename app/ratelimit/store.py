"""A sliding-window limit counted in the database, so two API processes (or replicas) share one budget.

An in-memory counter gives every process its own budget: behind ``uvicorn --workers 4`` an attacker gets four
times the attempts, and a restart forgets them all. Here every counted attempt is a row, each check counts the
client's rows in the window, and rows that left the window are deleted as new ones come in. Each call is its own
short transaction, so a request that rolls back (a failed sign-in does) still leaves its attempt counted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine

from app.clock import Clock
from app.ratelimit.models import RateLimitHit

_HITS = RateLimitHit.__table__  # type: ignore[attr-defined]
MAX_CLIENT_LENGTH = 200


class SharedRateLimiter:
    """``max_failures`` counted attempts by one client within ``window`` block it until the oldest ages out.

    The same methods as the in-memory limiter: ``retry_after`` before the attempt, ``failed`` to count one,
    ``succeeded`` to forget the client (a good sign-in clears its failures).
    """

    def __init__(self, engine: Engine, clock: Clock, *, scope: str, max_failures: int, window: timedelta) -> None:
        if max_failures < 1 or window <= timedelta(0):
            raise ValueError("max_failures must be >= 1 and window positive")
        self._engine = engine
        self._clock = clock
        self._scope = scope
        self._max_failures = max_failures
        self._window = window

    def retry_after(self, client: str) -> timedelta | None:
        """How long ``client`` must wait before trying again, or None if it may try now."""
        now = self._clock.now()
        newest_first = (
            select(_HITS.c.at)
            .where(_HITS.c.scope == self._scope, _HITS.c.client == _key(client), _HITS.c.at > now - self._window)
            .order_by(_HITS.c.at.desc())
            .limit(self._max_failures)
        )
        with self._engine.connect() as connection:
            stamps = [_aware(at) for at in connection.execute(newest_first).scalars()]
        if len(stamps) < self._max_failures:
            return None
        return max(stamps[-1] + self._window - now, timedelta(seconds=1))

    def failed(self, client: str) -> None:
        now = self._clock.now()
        with self._engine.begin() as connection:
            connection.execute(delete(_HITS).where(_HITS.c.scope == self._scope, _HITS.c.at <= now - self._window))
            connection.execute(insert(_HITS).values(scope=self._scope, client=_key(client), at=now))

    def succeeded(self, client: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(_HITS).where(_HITS.c.scope == self._scope, _HITS.c.client == _key(client)))


def _key(client: str) -> str:
    return client[:MAX_CLIENT_LENGTH]


def _aware(at: datetime) -> datetime:
    """A driver that hands datetimes back without their zone: every time here is UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
