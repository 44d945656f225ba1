"""Run a search: the backend finds matching documents, this module filters them by case facts and date, ranks,
pages and cuts excerpts — once, for both databases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, and_, cast, literal
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select

from app.cases.models import Case, Message
from app.notes.models import CaseNote
from app.safety.models import CaseWatch
from app.search.backends import backend_for
from app.search.query import Kind, SearchQuery
from app.search.snippets import excerpt
from app.triage.models import Draft


@dataclass(frozen=True)
class SearchHit:
    kind: str
    ref_id: int
    case_id: int
    score: float
    at: datetime | None
    author: str | None
    pieces: list[tuple[str, bool]]
    subject: str | None
    status: str
    category: str | None
    priority: str | None
    requester: str
    owner: str | None

    @property
    def snippet(self) -> str:
        return "".join(text for text, _ in self.pieces)


@dataclass(frozen=True)
class SearchResult:
    query: SearchQuery
    total: int
    hits: list[SearchHit] = field(default_factory=list)


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def search(session: Session, query: SearchQuery) -> SearchResult:
    """Documents matching every word of ``query.q`` that pass its filters, best first (then newest)."""
    terms = query.terms
    hits = backend_for(session.get_bind().dialect).matches(terms)
    kind, ref_id = hits.c.kind, hits.c.ref_id
    at = func.coalesce(Message.received_at, Draft.created_at, CaseNote.created_at)
    stmt = (
        sa_select(  # sqlmodel's select() is typed for at most four columns
            kind,
            ref_id,
            hits.c.score,
            Case,
            col(CaseWatch.owner),
            at.label("at"),
            col(Message.subject),
            col(Message.body),
            col(Message.sender_name),
            col(Message.sender_id),
            col(Draft.reply),
            col(CaseNote.body),
            col(CaseNote.author),
        )
        .select_from(hits)
        .join(Case, col(Case.id) == hits.c.case_id)
        .outerjoin(CaseWatch, and_(col(CaseWatch.case_id) == col(Case.id), col(CaseWatch.closed_at).is_(None)))
        .outerjoin(Message, and_(kind == literal(Kind.MESSAGE.value), col(Message.id) == ref_id))
        .outerjoin(Draft, and_(kind == literal(Kind.DRAFT.value), col(Draft.id) == ref_id))
        .outerjoin(CaseNote, and_(kind == literal(Kind.NOTE.value), col(CaseNote.id) == ref_id))
    )
    if query.kind is not None:
        stmt = stmt.where(kind == query.kind.value)
    if query.category is not None:
        stmt = stmt.where(col(Case.category) == query.category.value)
    if query.flag:
        stmt = stmt.where(cast(Case.flag_codes, String).like(f'%"{query.flag}"%'))  # a known code: no wildcards
    if query.owner:
        stmt = stmt.where(col(CaseWatch.owner) == query.owner)
    if query.requester:
        who = query.requester.lower()
        stmt = stmt.where(
            (func.lower(Case.requester_id) == who)
            | func.lower(func.coalesce(Case.requester_name, "")).startswith(who, autoescape=True)
        )
    if query.since is not None:
        stmt = stmt.where(at >= _day_start(query.since))
    if query.until is not None:
        stmt = stmt.where(at < _day_start(query.until) + timedelta(days=1))
    total = int(session.exec(select(func.count()).select_from(stmt.subquery())).one())
    rows = session.execute(stmt.order_by(hits.c.score.desc(), at.desc(), ref_id.desc()).limit(query.limit)).all()
    return SearchResult(query=query, total=total, hits=[_hit(row, terms) for row in rows])


def _hit(row: Any, terms: list[str]) -> SearchHit:
    kind, ref_id, score, case, owner, at, subject, body, sender, sender_id, reply, note, note_author = row
    if kind == Kind.MESSAGE.value:
        text, author = f"{subject or ''} {body or ''}", sender or sender_id
    elif kind == Kind.DRAFT.value:
        text, author = reply or "", None
    else:
        text, author = note or "", note_author
    if isinstance(at, datetime) and at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return SearchHit(
        kind=str(kind),
        ref_id=int(ref_id),
        case_id=int(case.id),
        score=float(score or 0.0),
        at=at,
        author=author,
        pieces=excerpt(text, terms),
        subject=case.subject,
        status=case.status,
        category=case.category,
        priority=case.priority,
        requester=case.requester_name or case.requester_id,
        owner=owner,
    )


def hit_view(hit: SearchHit) -> dict[str, Any]:
    return {
        "kind": hit.kind,
        "id": hit.ref_id,
        "case_id": hit.case_id,
        "at": hit.at,
        "author": hit.author,
        "snippet": hit.snippet,
        "score": round(hit.score, 6),
        "case": {
            "id": hit.case_id,
            "subject": hit.subject,
            "status": hit.status,
            "category": hit.category,
            "priority": hit.priority,
            "requester": hit.requester,
            "owner": hit.owner,
        },
    }
