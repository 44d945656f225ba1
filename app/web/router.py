"""The web console: one router for every page, and ``install_console`` for its middleware and error pages.

Pages are server-rendered Jinja2 (autoescape on) with htmx for the live parts; there is no inline script, so
the Content-Security-Policy (``app.web.security``) can forbid it.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from app.ratelimit.store import SharedRateLimiter
from app.services import Services
from app.web import (
    assets,
    case_pages,
    docs_pages,
    kb_pages,
    login_pages,
    note_pages,
    owner_pages,
    qa_pages,
    queue_pages,
    safety_pages,
)
from app.web.guards import add_page_error_handlers
from app.web.identity import ConsoleSessionMiddleware
from app.web.login_limiter import MAX_FAILURES, WINDOW

router = APIRouter(include_in_schema=False)
for _module in (
    assets,
    docs_pages,
    login_pages,
    queue_pages,
    case_pages,
    owner_pages,
    note_pages,
    kb_pages,
    qa_pages,
    safety_pages,
):
    router.include_router(_module.router)


def install_console(app: FastAPI) -> None:
    """Session cookies → ``request.state.console_user``, HTML answers for login/403/404/CSRF errors, and the
    sign-in limiter (on ``app.state``, counting in the app's database), and our own
    ``/docs`` in place of FastAPI's CDN-based one."""
    services: Services = app.state.services
    app.state.login_limiter = SharedRateLimiter(
        services.engine, services.clock, scope="login", max_failures=MAX_FAILURES, window=WINDOW
    )
    app.add_middleware(ConsoleSessionMiddleware)
    add_page_error_handlers(app)
    docs_pages.drop_builtin_docs(app)
