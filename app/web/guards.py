"""Who may see a console page, CSRF checks on every form, and the HTML answers when either says no.

The JSON API answers 401/403 as JSON; a person in a browser gets the login page (303) or a 403 page that says
which roles may open it. htmx requests get an ``HX-Redirect`` instead of a login page swapped into a table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, FastAPI, Request
from starlette.responses import RedirectResponse, Response

from app.auth.models import Role, User
from app.web.identity import signer_for
from app.web.templating import current_claims, current_user, render


class LoginRequired(Exception):
    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageForbidden(Exception):
    def __init__(self, role: str, allowed: frozenset[str]) -> None:
        super().__init__(role)
        self.role = role
        self.allowed = allowed


class PageNotFound(Exception):
    """Shown as a 404 page with this message."""


class CsrfRejected(Exception):
    """A state-changing request without the session's CSRF token."""


def safe_next(value: str | None) -> str:
    """A same-site path to return to after login; anything else (``//evil``, ``https://…``) becomes ``/``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def page_user(*roles: Role) -> Callable[[Request], User]:
    allowed = frozenset(r.value for r in roles)

    def check(request: Request) -> User:
        user = current_user(request)
        if user is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        if user.role not in allowed:
            raise PageForbidden(user.role, allowed)
        return user

    return check


async def require_csrf(request: Request) -> None:
    """Every console POST carries the session's CSRF token (form field ``csrf_token`` or ``X-CSRF-Token``)."""
    claims = current_claims(request)
    if claims is None:
        raise LoginRequired("/")
    token = request.headers.get("x-csrf-token")
    if token is None:
        form = await request.form()
        field = form.get("csrf_token")
        token = field if isinstance(field, str) else None
    if not signer_for(request.app).check_csrf(claims, token):
        raise CsrfRejected()


R = Role
SpecialistPage = Annotated[User, Depends(page_user(R.SPECIALIST, R.LEAD, R.ADMIN))]
LeadPage = Annotated[User, Depends(page_user(R.LEAD, R.ADMIN))]
PolicyWriterPage = Annotated[User, Depends(page_user(R.POLICY_WRITER, R.ADMIN))]
QAPage = Annotated[User, Depends(page_user(R.QA, R.ADMIN))]
AnyPage = Annotated[User, Depends(page_user(R.SPECIALIST, R.LEAD, R.POLICY_WRITER, R.QA, R.ADMIN))]
CsrfChecked = Depends(require_csrf)


def _is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def _htmx_page(request: Request) -> str | None:
    """The page an htmx request came from (same origin only): after signing in, return there, not to a fragment."""
    current = urlsplit(request.headers.get("hx-current-url", ""))
    if current.netloc != request.url.netloc or not current.path:
        return None
    return current.path + (f"?{current.query}" if current.query else "")


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if _is_htmx(request):
        target = "/login?next=" + quote(safe_next(_htmx_page(request) or "/"), safe="/")
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse("/login?next=" + quote(safe_next(exc.next_path), safe="/"), status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageForbidden)
    message = f"Your role ('{exc.role}') cannot open this page. It is for: {', '.join(sorted(exc.allowed))}."
    return render(request, "error.html", {"title": "Not allowed", "message": message}, status_code=403)


async def _not_found(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", {"title": "Not found", "message": str(exc)}, status_code=404)


async def _csrf(request: Request, _exc: Exception) -> Response:
    message = "This form expired or did not come from this console. Reload the page and try again."
    return render(request, "error.html", {"title": "Form expired", "message": message}, status_code=403)


def add_page_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(PageForbidden, _forbidden)
    app.add_exception_handler(PageNotFound, _not_found)
    app.add_exception_handler(CsrfRejected, _csrf)
