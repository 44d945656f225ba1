"""The one kind of refusal every critical-case action raises, so the API and the console each answer it once.

An action on a critical case (claim, hand over, close, hold, release, packet, follow-up) is refused when the case's
state does not allow it: someone else owns it, a hold is active, a packet was already filed. The refusal is decided
before anything is written, and what the caller hears is the reason: the API answers 409 with it, the console
shows the case page again with it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import HTTPException, status
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response


class SafetyRefused(Exception):
    """The case's state does not allow this action; the message says why, in words for the specialist."""


class RefusalIsConflictRoute(APIRoute):
    """API routes whose ``SafetyRefused`` becomes ``409 Conflict`` with the reason (the session rolls back first)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except SafetyRefused as exc:
                raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from exc

        return handle
