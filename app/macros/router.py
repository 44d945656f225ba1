"""``/v1/macros``: policy writers publish versions; the desk reads the current ones."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, status

from app.auth.deps import PolicyWriter, require_roles
from app.auth.models import Role, User
from app.deps import ClockDep, SessionDep
from app.macros.service import SLUG, MacroIn, current_macros, history, macro_view, publish

router = APIRouter(prefix="/v1", tags=["macros"])
# the desk inserts them; their writers read what they published
Reader = Annotated[User, Depends(require_roles(Role.SPECIALIST, Role.LEAD, Role.POLICY_WRITER, Role.ADMIN))]


@router.get("/macros")
def list_macros(session: SessionDep, _user: Reader) -> dict[str, Any]:
    return {"items": [macro_view(m) for m in current_macros(session)]}


@router.get("/macros/{slug}/versions")
def macro_versions(session: SessionDep, _user: Reader, slug: str = Path(pattern=SLUG, max_length=80)) -> dict[str, Any]:
    rows = history(session, slug)
    if not rows:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no macro named {slug!r}")
    return {"items": [macro_view(m) for m in rows]}


@router.post("/macros", status_code=status.HTTP_201_CREATED)
def post_macro(body: MacroIn, session: SessionDep, clock: ClockDep, user: PolicyWriter) -> dict[str, Any]:
    """Publish a new version (a new slug starts at version 1)."""
    return macro_view(publish(session, body, author=user.name, now=clock.now()))
