"""Throttle console sign-in per client IP, so a leaked login page cannot be used to guess API tokens.

Tokens are long random strings, so guessing one is hopeless anyway; the limit mainly stops a script from
hammering the token lookup and fills the logs with something a human can act on. Failures are counted in the
database (``app.ratelimit``), so every API process shares one budget per address and a restart forgets nothing.

The key is whatever the ASGI server reports as the client address. Behind a reverse proxy that is the proxy,
so run uvicorn with ``--proxy-headers --forwarded-allow-ips=<proxy>`` or every user shares one budget.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from app.ratelimit.store import SharedRateLimiter

MAX_FAILURES = 5
WINDOW = timedelta(minutes=10)


def blocked_message(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return f"Too many failed sign-in attempts; try again in {minutes} minute{'s' if minutes != 1 else ''}."


def retry_after_header(wait: timedelta) -> str:
    return str(max(1, math.ceil(wait.total_seconds())))


def client_key(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def get_login_limiter(request: Request) -> SharedRateLimiter:
    """The app's limiter, created by ``install_console`` on the app's database."""
    limiter: SharedRateLimiter = request.app.state.login_limiter
    return limiter


LoginLimiterDep = Annotated[SharedRateLimiter, Depends(get_login_limiter)]
