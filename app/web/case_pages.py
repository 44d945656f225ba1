"""The case page and its actions. Decisions go through ``app.review.service.decide`` and flag corrections through
``app.triage.corrections.correct_flag``, exactly like the API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.cases import repository
from app.cases.models import Case
from app.cases.states import CaseStatus, InvalidTransition
from app.delivery.outbox import deliveries_view
from app.deps import ClockDep, FlagModelDep, SessionDep, SettingsDep
from app.desk.ownership import desk_users
from app.metrics import DECISIONS
from app.notes.service import notes_of
from app.review.models import Action, RejectReason
from app.review.schemas import DecisionIn
from app.review.service import DecisionRefused, case_view, current_draft
from app.review.service import decide as record_decision
from app.safety.ownership import owner_of
from app.taxonomy import RISK_FLAGS
from app.triage.corrections import CorrectionAction, CorrectionRefused, correct_flag, corrections_of
from app.validation import DB_INT_MAX, DbId, text_problem
from app.web.critical import critical_context
from app.web.guards import CsrfChecked, PageNotFound, SpecialistPage
from app.web.queries import draft_pending, last_draft_error, neighbours, requester_context
from app.web.templating import render
from app.web.text import Mark, edit_stats, highlight, word_diff

router = APIRouter(include_in_schema=False)

CaseId = DbId
REASON_LABELS = {
    RejectReason.WRONG_CATEGORY: "Wrong category",
    RejectReason.WRONG_POLICY: "Wrong policy cited or applied",
    RejectReason.FACTUALLY_WRONG: "Factually wrong",
    RejectReason.TONE: "Tone",
    RejectReason.UNSAFE: "Unsafe",
    RejectReason.NEEDS_INVESTIGATION: "Needs investigation first",
    RejectReason.OTHER: "Other",
}
_WAITING = (CaseStatus.NEW.value, CaseStatus.DRAFTING.value)
_STAY_ON_CASE = (Action.REDRAFT,)
REASON_MIN, REASON_MAX = 3, 500  # as the API's FlagCorrectionIn
# Fixed notices after a flag correction: the query string carries an action and a known flag code, never text.
FLAG_NOTICE = "Case #{case}: {code} {done}. The correction is recorded and trains the next flag model."
FLAG_NOTICE_DONE = {CorrectionAction.ADD.value: "added", CorrectionAction.REMOVE.value: "removed"}


def _load(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise PageNotFound(f"There is no case #{case_id}. It may have been merged, or the link is wrong.")
    return case


def _marks(flags: list[dict[str, Any]]) -> list[Mark]:
    """Highlights for evidence that is a phrase (rules, the LLM); the model's evidence is a whole window of the
    message, shown in the flags panel instead of painting the message over."""
    return [
        Mark(phrase=str(f.get("evidence") or ""), css=str(f.get("severity") or "info"), label=str(f.get("code")))
        for f in flags
        if f.get("source") != "model"
    ]


def case_context(session: Session, case: Case, now: datetime | None = None) -> dict[str, Any]:
    assert case.id is not None
    view = case_view(session, case, now=now)
    marks = _marks(view["risk_flags"])
    messages = [{**m, "body_html": highlight(m["body"], marks)} for m in view["messages"]]
    inbound_meta = [m["metadata"] for m in view["messages"] if m["direction"] == "inbound"]
    previous, following, position = neighbours(session, case.id)
    draft = view["draft"]
    flags = _flags(view["risk_flags"], case.flag_codes)
    return {
        "case": view,
        "messages": messages,
        "draft": draft,
        "flags": flags,
        "requester": requester_context(session, case, inbound_meta),
        "prev_id": previous,
        "next_id": following,
        "position": position,
        "waiting": case.status in _WAITING or draft_pending(session, case.id),
        "draft_error": last_draft_error(session, case.id) if case.status == CaseStatus.DRAFT_FAILED else None,
        "resolved": case.status == CaseStatus.RESOLVED.value,
        "reasons": REASON_LABELS,
        "edit_text": draft["reply"] if draft else "",
        "error": None,
        "addable_flags": [spec for code, spec in RISK_FLAGS.items() if code not in case.flag_codes],
        "corrections": corrections_of(session, case.id),
        "flag_error": None,
        "flag_form": {"action": "", "code": "", "reason": ""},
        **critical_context(view, case),
        "deliveries": deliveries_view(session, case.id),
        "owner": owner_of(session, case.id),
        "desk_users": desk_users(session),
        "owner_error": None,
        "notes": notes_of(session, case.id),
        "note_error": None,
        "note_text": "",
    }


def _flags(draft_flags: list[dict[str, Any]], case_codes: list[str]) -> list[dict[str, Any]]:
    """The draft's flags, plus any the case carries that no draft shows yet (the screen raised them before the
    first draft); only a flag the case carries can be removed (``correct_flag`` refuses the others)."""
    flags = [
        {
            **f,
            "description": RISK_FLAGS[f["code"]].description if f.get("code") in RISK_FLAGS else "",
            "removable": f.get("code") in case_codes,
        }
        for f in draft_flags
    ]
    shown = {f.get("code") for f in flags}
    for code in case_codes:
        if code not in shown and code in RISK_FLAGS:
            spec = RISK_FLAGS[code]
            flags.append(
                {
                    "code": code,
                    "severity": spec.severity.value,
                    "source": None,
                    "evidence": None,
                    "confidence": None,
                    "description": spec.description,
                    "removable": True,
                }
            )
    return flags


@router.get("/cases/{case_id}")
def case_page(
    request: Request,
    case_id: CaseId,
    session: SessionDep,
    clock: ClockDep,
    _user: SpecialistPage,
    notice: Annotated[str, Query(max_length=32)] = "",
    flag: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    context = case_context(session, _load(session, case_id), clock.now())
    done = FLAG_NOTICE_DONE.get(notice.removeprefix("flag_")) if notice.startswith("flag_") else None
    if done is not None and flag in RISK_FLAGS:
        context["notice"] = FLAG_NOTICE.format(case=case_id, code=flag, done=done)
    return render(request, "case.html", context)


@router.get("/cases/{case_id}/poll")
def case_poll(
    case_id: CaseId,
    session: SessionDep,
    _user: SpecialistPage,
    draft: Annotated[int, Query(ge=0, le=DB_INT_MAX)] = 0,
    status: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    """204 while nothing changed; once the draft or status moves on, tell htmx to reload the page."""
    case = _load(session, case_id)
    latest = current_draft(session, case_id)
    if (latest.id if latest else 0) != draft or case.status != status:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return Response(status_code=204)


@router.post("/cases/{case_id}/diff", dependencies=[CsrfChecked])
def case_diff(
    request: Request,
    case_id: CaseId,
    session: SessionDep,
    _user: SpecialistPage,
    text: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """The word diff of the specialist's text against the current draft (the edit panel's live preview)."""
    draft = current_draft(session, _load(session, case_id).id or case_id)
    original = draft.reply if draft else ""
    added, removed = edit_stats(original, text)
    return render(request, "_diff.html", {"diff": word_diff(original, text), "added": added, "removed": removed})


@router.post("/cases/{case_id}/decide", dependencies=[CsrfChecked])
def decide(
    request: Request,
    case_id: CaseId,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    user: SpecialistPage,
    action: Annotated[str, Form(max_length=16)] = "",
    text: Annotated[str | None, Form(max_length=20_000)] = None,
    reason: Annotated[str | None, Form(max_length=32)] = None,
    note: Annotated[str | None, Form(max_length=2_000)] = None,
    draft_id: Annotated[str | None, Form(max_length=12)] = None,
    case_version: Annotated[str | None, Form(max_length=12)] = None,
    resolution: Annotated[str | None, Form(max_length=40)] = None,
    confirm_critical: Annotated[str | None, Form(max_length=8)] = None,
) -> Response:
    """Record a decision on the case as the specialist saw it: the page's draft and case version travel with the
    form, so a decision made on a view that a new message or a new draft has overtaken is refused (409)."""
    case = _load(session, case_id)
    for name, value in (("text", text), ("note", note)):
        problem = text_problem(value) if value else None
        if problem is not None:  # the database cannot store it: say so instead of a driver error
            return _refused(request, session, case_id, f"{name}: {problem}", None, status_code=422)
    _prev, following, _pos = neighbours(session, case_id)
    try:
        body = DecisionIn.model_validate(
            {
                "action": action,
                "text": text if action in (Action.EDIT.value, Action.REJECT.value) and text else None,
                "reason": reason or None,
                "note": (note or "").strip() or None,
                "draft_id": draft_id or None,
                "case_version": case_version or None,
                "resolution": resolution or None,
                "confirm_critical": confirm_critical == "yes",
            }
        )
        decision = record_decision(session, case, body, actor=user.name, now=clock.now(), settings=settings)
    except ValidationError as exc:
        session.rollback()
        problems = "; ".join(str(e.get("msg", "invalid")).removeprefix("Value error, ") for e in exc.errors())
        return _refused(request, session, case_id, problems, text, status_code=422)
    except (DecisionRefused, InvalidTransition) as exc:
        session.rollback()
        return _refused(request, session, case_id, str(exc), text, status_code=409)
    session.commit()  # before the redirect: the next page reads what we just wrote
    DECISIONS.labels(action=decision.action).inc()
    if body.resolution is not None:
        return RedirectResponse(f"/cases/{case_id}?notice=closed_critical&case={case_id}", status_code=303)
    if body.action in _STAY_ON_CASE or following is None:
        target = f"/cases/{case_id}" if body.action in _STAY_ON_CASE else "/queue"
    else:
        target = f"/cases/{following}"
    return RedirectResponse(f"{target}?notice={body.action.value}&case={case_id}", status_code=303)


def _refused(
    request: Request, session: Session, case_id: int, message: str, text: str | None, *, status_code: int
) -> Response:
    context = case_context(session, _load(session, case_id))
    context["error"] = message
    if text:
        context["edit_text"] = text
    return render(request, "case.html", context, status_code=status_code)


@router.post("/cases/{case_id}/flags", dependencies=[CsrfChecked])
def correct_flags(
    request: Request,
    case_id: CaseId,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    flag_model: FlagModelDep,
    user: SpecialistPage,
    action: Annotated[str, Form(max_length=16)] = "",
    code: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=5_000)] = "",
) -> Response:
    """Add or remove one flag with a reason, as ``POST /v1/cases/{id}/flags`` does: audited, applied to the case,
    kept as training data. A refused correction shows the case page again with the reason; nothing changes."""
    form = {"action": action, "code": code, "reason": reason}
    problem = _correction_problem(action, code, reason.strip())
    if problem is not None:
        return _flag_refused(request, session, case_id, problem, form, status_code=422)
    case = repository.lock_case(session, case_id)
    if case is None:
        raise PageNotFound(f"There is no case #{case_id}. It may have been merged, or the link is wrong.")
    try:
        correct_flag(
            session,
            case,
            code=code,
            action=CorrectionAction(action),
            reason=reason.strip(),
            actor=user.name,
            model_version=flag_model.version if flag_model is not None else None,
            settings=settings,
            now=clock.now(),
        )
    except CorrectionRefused as exc:
        session.rollback()
        return _flag_refused(request, session, case_id, str(exc), form, status_code=409)
    session.commit()  # before the redirect: the next page reads what we just wrote
    return RedirectResponse(f"/cases/{case_id}?notice=flag_{action}&flag={code}", status_code=303)


def _correction_problem(action: str, code: str, reason: str) -> str | None:
    if action not in {a.value for a in CorrectionAction}:
        return "Choose whether to add or remove the flag."
    if code not in RISK_FLAGS:
        return "Choose a flag to add." if not code else f"Unknown flag {code!r}."
    if len(reason) < REASON_MIN:
        return f"A flag correction needs a reason ({REASON_MIN}–{REASON_MAX} characters): it goes into the audit log."
    if len(reason) > REASON_MAX:
        return f"The reason is {len(reason)} characters long; keep it to {REASON_MAX}."
    problem = text_problem(reason)
    return f"reason: {problem}" if problem is not None else None


def _flag_refused(
    request: Request, session: Session, case_id: int, message: str, form: dict[str, str], *, status_code: int
) -> Response:
    context = case_context(session, _load(session, case_id))
    context["flag_error"] = message
    context["flag_form"] = form
    return render(request, "case.html", context, status_code=status_code)
