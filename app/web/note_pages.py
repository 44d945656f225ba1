"""The case page's internal-notes form (issue 14): ``n`` opens it; a note is for the team only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from app.cases.models import Case
from app.deps import ClockDep, SessionDep
from app.notes.models import NOTE_MAX
from app.notes.service import NoteIn, add_note
from app.validation import DbId
from app.web.case_pages import case_context
from app.web.guards import CsrfChecked, PageNotFound, SpecialistPage
from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.post("/cases/{case_id}/notes", dependencies=[CsrfChecked])
def post_note(
    request: Request,
    case_id: DbId,
    session: SessionDep,
    clock: ClockDep,
    user: SpecialistPage,
    body: Annotated[str, Form(max_length=NOTE_MAX + 100)] = "",
) -> Response:
    case = session.get(Case, case_id)
    if case is None:
        raise PageNotFound(f"There is no case #{case_id}.")
    try:
        note = NoteIn(body=body)
    except ValidationError as exc:
        context = case_context(session, case, clock.now())
        problems = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        context.update(note_error=f"Note not saved: {problems}", note_text=body)
        return render(request, "case.html", context, status_code=422)
    add_note(session, case_id, body=note.body, author=user.name, now=clock.now())
    session.commit()
    return RedirectResponse(f"/cases/{case_id}?notice=note&case={case_id}#notes-panel", status_code=303)
