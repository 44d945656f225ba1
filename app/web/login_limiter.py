"""Throttle console sign-in per client IP, so a leaked login page cannot be used to guess API tokens.

Tokens are long random strings, so guessing one is hopeless anyway; the limit mainly stops a script from
hammering the token lookup and fills the logs with something a human can act on.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, deque
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request

from app.clock import Clock

MAX_FAILURES = 5
WINDOW = timedelta(minutes=10)
MAX_TRACKED_CLIENTS = 10_000


class LoginLimiter:
    """Counts failed sign-ins per client IP in a sliding window; ``MAX_FAILURES`` within ``WINDOW`` blocks that IP.

    State is in memory and **per process**: right for the embedded default (one uvicorn process), but behind
    several replicas (or uvicorn ``--workers N``) each process counts on its own, so an attacker gets N times the
    budget; a shared store (e.g. the database or Redis) would be needed there. A restart forgets everything.

    The key is whatever the ASGI server reports as the client address. Behind a reverse proxy that is the proxy,
    so run uvicorn with ``--proxy-headers --forwarded-allow-ips=<proxy>`` or every user shares one budget.

    Memory is bounded: clients whose failures have all left the window are dropped, and at most
    ``max_clients`` addresses are tracked (the least recently failing one is forgotten first). Thread-safe,
    since sync endpoints run in a thread pool.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        max_failures: int = MAX_FAILURES,
        window: timedelta = WINDOW,
        max_clients: int = MAX_TRACKED_CLIENTS,
    ) -> None:
        if max_failures < 1 or window <= timedelta(0) or max_clients < 1:
            raise ValueError("max_failures and max_clients must be >= 1 and window positive")
        self._clock = clock
        self._max_failures = max_failures
        self._window = window
        self._max_clients = max_clients
        # Ordered by each client's latest failure, oldest first, so expired clients are pruned from the front.
        self._failures: OrderedDict[str, deque[datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def _prune(self, now: datetime) -> None:
        cutoff = now - self._window
        while self._failures:
            client, stamps = next(iter(self._failures.items()))
            if stamps[-1] > cutoff:
                break
            del self._failures[client]

    def retry_after(self, client: str) -> timedelta | None:
        """How long ``client`` must wait before trying again, or None if it may try now."""
        with self._lock:
            now = self._clock.now()
            self._prune(now)
            stamps = self._failures.get(client)
            if stamps is None:
                return None
            cutoff = now - self._window
            while stamps and stamps[0] <= cutoff:
                stamps.popleft()
            if len(stamps) < self._max_failures:
                return None
            # Blocked until enough failures age out to leave fewer than max_failures in the window.
            unblocks_at = stamps[len(stamps) - self._max_failures] + self._window
            return unblocks_at - now

    def failed(self, client: str) -> None:
        with self._lock:
            now = self._clock.now()
            self._prune(now)
            stamps = self._failures.pop(client, None) or deque()
            stamps.append(now)
            while len(stamps) > self._max_failures:
                stamps.popleft()  # older ones can never matter again
            self._failures[client] = stamps  # re-inserted at the end: now the most recent
            while len(self._failures) > self._max_clients:
                self._failures.popitem(last=False)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def blocked_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"Too many failed sign-in attempts; try again in {minutes} minute{'s' if minutes != 1 else ''}."


def retry_after_header(wait: timedelta) -> str:
    return str(max(1, math.ceil(wait.total_seconds())))


def client_key(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def get_login_limiter(request: Request) -> LoginLimiter:
    """The app's limiter, created by ``install_console``: one per app, so tests never share counts."""
    limiter: LoginLimiter = request.app.state.login_limiter
    return limiter


LoginLimiterDep = Annotated[LoginLimiter, Depends(get_login_limiter)]
