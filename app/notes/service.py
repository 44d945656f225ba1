"""Write and read a case's internal notes; every note is also an audit event (without its text)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import Session, col, select

from app.cases.states import record_event
from app.notes.models import NOTE_MAX, CaseNote
from app.validation import text_problem


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=NOTE_MAX)

    @field_validator("body")
    @classmethod
    def _storable(cls, value: str) -> str:
        problem = text_problem(value)
        if problem is not None:
            raise ValueError(problem)
        if not value.strip():
            raise ValueError("a note needs some text")
        return value.strip()


def add_note(session: Session, case_id: int, *, body: str, author: str, now: datetime) -> CaseNote:
    """Store the note; the audit log records that one was written, not what it says."""
    note = CaseNote(case_id=case_id, author=author, body=body, created_at=now)
    session.add(note)
    session.flush()
    record_event(session, case_id, "note_added", actor=author, detail={"note_id": note.id}, now=now)
    return note


def notes_of(session: Session, case_id: int) -> list[CaseNote]:
    return list(session.exec(select(CaseNote).where(CaseNote.case_id == case_id).order_by(col(CaseNote.id))))


def note_view(note: CaseNote) -> dict[str, Any]:
    return {"id": note.id, "case_id": note.case_id, "author": note.author, "body": note.body, "at": note.created_at}
