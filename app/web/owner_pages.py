"""Console forms for owning cases (issue 14): claim / assign / release on the case page (``c`` claims), and bulk
assign / claim / release for the rows selected in the queue. The rules are :mod:`app.safety.ownership`'s."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from app.cases.models import Case
from app.deps import ClockDep, SessionDep, SettingsDep
from app.desk.ownership import BULK_MAX, OwnershipIn, OwnershipRefused, apply
from app.validation import DbId
from app.web.case_errors import case_page_with_error
from app.web.guards import CsrfChecked, PageNotFound, SpecialistPage
from app.web.templating import render

router = APIRouter(include_in_schema=False)


def _body(action: str, owner: str) -> OwnershipIn | str:
    try:
        return OwnershipIn(action=action, owner=owner.strip() or None)
    except ValidationError as exc:
        return "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())


@router.post("/cases/{case_id}/owner", dependencies=[CsrfChecked])
def change_owner(
    request: Request,
    case_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    user: SpecialistPage,
    action: Annotated[str, Form(max_length=16)] = "",
    owner: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    case = session.get(Case, case_id)
    if case is None:
        raise PageNotFound(f"There is no case #{case_id}.")
    body = _body(action, owner)
    if isinstance(body, str):
        return case_page_with_error(
            request, session, case_id, clock.now(), error_key="owner_error", problem=body, status_code=422
        )
    try:
        apply(session, case, body, user=user, now=clock.now(), settings=settings)
    except OwnershipRefused as exc:
        return case_page_with_error(
            request, session, case_id, clock.now(), error_key="owner_error", problem=str(exc), status_code=409
        )
    session.commit()
    return RedirectResponse(f"/cases/{case_id}?notice=owner_{body.action.value}&case={case_id}", status_code=303)


@router.post("/queue/owner", dependencies=[CsrfChecked])
async def bulk_owner(
    request: Request, session: SessionDep, clock: ClockDep, settings: SettingsDep, user: SpecialistPage
) -> Response:
    """The selected queue rows (``case_id`` checkboxes) claimed, assigned or released together."""
    form = await request.form()
    raw = [v for v in form.getlist("case_id") if isinstance(v, str)]
    action, owner = str(form.get("action", "")), str(form.get("owner", ""))
    ids = [int(v) for v in dict.fromkeys(raw) if v.isdigit() and len(v) < 12][:BULK_MAX]
    back = str(form.get("back", "")) or "/queue"
    back = back if back.startswith("/queue") and not back.startswith("//") else "/queue"
    body = _body(action, owner)
    if not ids or isinstance(body, str):
        problem = "Select at least one case first." if not ids else str(body)
        return render(request, "error.html", {"title": "Nothing changed", "message": problem}, status_code=422)
    done, refused = 0, []
    for case_id in ids:
        case = session.get(Case, case_id)
        if case is None:
            refused.append(f"#{case_id}: not found")
            continue
        try:  # refusals are decided before anything is written
            apply(session, case, body, user=user, now=clock.now(), settings=settings)
            done += 1
        except OwnershipRefused as exc:
            refused.append(f"#{case_id}: {exc}")
    session.commit()
    sep = "&" if "?" in back else "?"
    target = f"{back}{sep}notice=bulk_owner&case={done}"
    if refused:
        return render(
            request,
            "error.html",
            {"title": f"{done} changed, {len(refused)} refused", "message": "; ".join(refused), "back": target},
            status_code=409,
        )
    return RedirectResponse(target, status_code=303)
