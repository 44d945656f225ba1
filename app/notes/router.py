"""``/v1/cases/{id}/notes``: the desk's internal notes on a case."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, status

from app.auth.deps import Specialist
from app.cases.models import Case
from app.deps import ClockDep, SessionDep
from app.notes.service import NoteIn, add_note, note_view, notes_of
from app.validation import DbId

router = APIRouter(prefix="/v1", tags=["notes"])


def _case(session: SessionDep, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"case {case_id} not found")
    return case


@router.get("/cases/{case_id}/notes")
def list_notes(case_id: DbId, session: SessionDep, _user: Specialist) -> dict[str, Any]:
    _case(session, case_id)
    return {"items": [note_view(n) for n in notes_of(session, case_id)]}


@router.post("/cases/{case_id}/notes", status_code=status.HTTP_201_CREATED)
def post_note(case_id: DbId, body: NoteIn, session: SessionDep, clock: ClockDep, user: Specialist) -> dict[str, Any]:
    _case(session, case_id)
    return note_view(add_note(session, case_id, body=body.body, author=user.name, now=clock.now()))
