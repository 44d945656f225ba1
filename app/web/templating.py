"""The console's Jinja environment (autoescape always on) and ``render()``, which adds what every page needs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.responses import Response

from app.auth.models import Role, User
from app.web.identity import signer_for
from app.web.session import SessionClaims

TEMPLATES_DIR = Path(__file__).parent / "templates"

# (label, path, roles that see it) — the pages themselves check roles again; this only hides dead links.
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("Queue", "/queue", frozenset({Role.SPECIALIST.value, Role.LEAD.value, Role.ADMIN.value})),
    ("Escalations", "/escalations", frozenset({Role.SPECIALIST.value, Role.LEAD.value, Role.ADMIN.value})),
    ("Holds", "/holds", frozenset({Role.SPECIALIST.value, Role.LEAD.value, Role.ADMIN.value})),
    (
        "Knowledge base",
        "/kb",
        frozenset(r.value for r in (Role.SPECIALIST, Role.LEAD, Role.POLICY_WRITER, Role.QA, Role.ADMIN)),
    ),
    ("QA", "/qa", frozenset({Role.QA.value, Role.ADMIN.value})),
)

# Fixed notices shown after a redirect: the query string carries a code, never text, so nothing is reflected.
NOTICES = {
    "approve": "Case #{case} approved: the draft was sent.",
    "edit": "Case #{case}: your edited reply was sent.",
    "reject": "Case #{case}: draft rejected; a new draft was requested.",
    "escalate": "Case #{case} escalated.",
    "redraft": "Case #{case}: a new draft was requested.",
    "closed_critical": "Case #{case} closed with a resolution code; the audit log records who confirmed it.",
    "safety": "Case #{case} updated.",
    "owner_claim": "Case #{case} is yours.",
    "owner_assign": "Case #{case} assigned.",
    "owner_release": "Case #{case} released: it has no owner now.",
    "bulk_owner": "{case} case(s) updated.",
    "note": "Case #{case}: note saved (team only).",
    "published": "Published: the article was saved as a new version and re-indexed.",
    "logged_out": "You are signed out.",
}


def age(minutes: int | None) -> str:
    """Compact age for tables: ``45m``, ``3h 05m``, ``2d 4h``."""
    if minutes is None:
        return ""
    if minutes < 60:
        return f"{minutes}m"
    hours, mins = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h {mins:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


def when(value: datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(age=age, when=when, percent=percent)
    return env


templates = Jinja2Templates(env=_environment())


def current_user(request: Request) -> User | None:
    user = getattr(request.state, "console_user", None)
    return user if isinstance(user, User) else None


def current_claims(request: Request) -> SessionClaims | None:
    claims = getattr(request.state, "console_claims", None)
    return claims if isinstance(claims, SessionClaims) else None


def nav_for(user: User | None) -> list[tuple[str, str]]:
    if user is None:
        return []
    return [(label, path) for label, path, roles in NAV if user.role in roles]


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200) -> Response:
    user = current_user(request)
    claims = current_claims(request)
    notice_code = request.query_params.get("notice", "")
    case_ref = "".join(ch for ch in request.query_params.get("case", "") if ch.isdigit())[:12]
    notice = NOTICES.get(notice_code, "").format(case=case_ref)
    base: dict[str, Any] = {
        "user": user,
        "csrf_token": signer_for(request.app).csrf_token(claims) if claims else "",
        "nav": nav_for(user),
        "path": request.url.path,
        "notice": notice,
    }
    return templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status_code)
