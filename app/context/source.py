"""One interface for every context connector, and the wrapper that gives each a timeout and a short-TTL cache.

A connector answers ``fetch(requester_id)`` with a :class:`RequesterContext`, ``None`` for a requester it does
not know, or raises :class:`ContextError`. :class:`ContextService` turns all of that into a
:class:`ContextResult` that never raises, so drafting never waits longer than the timeout and never fails
because the platform is down. Nothing here logs context content: only the requester-free reason of a failure.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Protocol

from app.context.schemas import ContextResult, ContextStatus, RequesterContext

log = logging.getLogger(__name__)


class ContextError(Exception):
    """The connector could not answer (network, status, shape); the message names no requester data."""


class ContextConnector(Protocol):
    name: str

    async def fetch(self, requester_id: str) -> RequesterContext | None: ...


class ContextService:
    """Timeout + per-process TTL cache around a connector (a cache only: nothing another process needs)."""

    def __init__(
        self,
        connector: ContextConnector | None,
        *,
        timeout_s: float = 2.0,
        ttl_s: float = 60.0,
        max_entries: int = 2048,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connector = connector
        self._timeout_s = timeout_s
        self._ttl_s = ttl_s
        self._max = max_entries
        self._now = monotonic
        self._cache: dict[str, tuple[float, ContextResult]] = {}
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._connector.name if self._connector is not None else "off"

    async def get(self, requester_id: str) -> ContextResult:
        if self._connector is None:
            return ContextResult(status=ContextStatus.OFF, reason="no context connector is configured")
        if not requester_id or len(requester_id) > 200:
            return ContextResult(status=ContextStatus.UNKNOWN, reason="no requester id")
        cached = self._cached(requester_id)
        if cached is not None:
            return cached
        try:
            found = await asyncio.wait_for(self._connector.fetch(requester_id), self._timeout_s)
        except TimeoutError:
            return self._failed(f"the {self.name} connector did not answer within {self._timeout_s:g} s")
        except ContextError as exc:
            return self._failed(f"the {self.name} connector failed: {exc}")
        except Exception as exc:  # a connector bug must not stop drafting either
            return self._failed(f"the {self.name} connector failed: {type(exc).__name__}")
        if found is None:
            result = ContextResult(status=ContextStatus.UNKNOWN, reason="the platform does not know this requester")
        else:
            result = ContextResult(status=ContextStatus.OK, context=found)
        self._store(requester_id, result)  # failures are not cached: the next case tries again
        return result

    def get_sync(self, requester_id: str) -> ContextResult:
        """For sync callers (console pages run in the thread pool, where no event loop is running)."""
        return asyncio.run(self.get(requester_id))

    def forget(self, requester_id: str | None = None) -> None:
        with self._lock:
            if requester_id is None:
                self._cache.clear()
            else:
                self._cache.pop(requester_id, None)

    def _failed(self, reason: str) -> ContextResult:
        log.warning("requester context unavailable", extra={"connector": self.name, "reason": reason})
        return ContextResult(status=ContextStatus.UNAVAILABLE, reason=reason)

    def _cached(self, requester_id: str) -> ContextResult | None:
        with self._lock:
            entry = self._cache.get(requester_id)
            if entry is None:
                return None
            if self._now() - entry[0] > self._ttl_s:
                del self._cache[requester_id]
                return None
            return entry[1]

    def _store(self, requester_id: str, result: ContextResult) -> None:
        with self._lock:
            if len(self._cache) >= self._max:
                self._cache.pop(next(iter(self._cache)))
            self._cache[requester_id] = (self._now(), result)
