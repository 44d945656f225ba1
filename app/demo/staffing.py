"""Give the demo's escalated cases the ownership a real team would have by the time someone opens the console.

The oldest escalations (by their latest message) are claimed and acknowledged, one was assigned by the lead and
awaits its owner's acknowledgement, and the newest is left unowned, as it would be minutes after it came in (it
re-alerts when its deadline passes). The police preservation request is logged as a law-enforcement intake on the
legal queue. Idempotent: owned cases and logged requests are left as they are.
"""

from __future__ import annotations

import asyncio

from sqlmodel import Session, select

from app.cases.models import Case, Message
from app.jobs.worker import JobHandler, Worker
from app.safety import ownership, packets
from app.safety.models import PacketKind, ReferralPacket
from app.services import Services
from app.triage.screen import MODEL_SCREEN_JOB, SCREEN_JOB, ScreenJobHandler

SPECIALIST, LEAD = "demo-specialist", "demo-lead"
POLICE_MESSAGE = "demo-034"


def screen_now(services: Services) -> int:
    """Run the risk screens (rules, then the flag model) so the demo's critical cases are escalated before anyone
    signs in; drafting is left to the worker."""
    flag_model = services.flag_model
    handlers: dict[str, JobHandler] = {
        SCREEN_JOB: ScreenJobHandler(
            services.engine, services.clock, services.settings, model_stage_follows=flag_model is not None
        ),
        MODEL_SCREEN_JOB: ScreenJobHandler(services.engine, services.clock, services.settings, flag_model=flag_model),
    }
    worker = Worker(services.engine, handlers, services.clock, services.settings)
    return asyncio.run(worker.drain())


def staff_escalations(services: Services) -> int:
    """Owners for the open escalations (all but the newest); returns how many were staffed."""
    now = services.clock.now()
    staffed = 0
    with Session(services.engine, expire_on_commit=False) as session:
        cases = {w.case_id: session.get(Case, w.case_id) for w in ownership.open_watches(session)}
        ordered = sorted((c for c in cases.values() if c is not None), key=lambda c: (c.last_message_at, c.id or 0))
        watches = [w for c in ordered if c.id is not None and (w := ownership.watch_of(session, c.id))]
        for index, watch in enumerate(watches[:-1]):
            case = cases[watch.case_id]
            if watch.owner or case is None:
                continue
            if index == 1:
                ownership.assign(session, case, owner=SPECIALIST, actor=LEAD, now=now, settings=services.settings)
            else:
                ownership.claim(session, case, actor=SPECIALIST if index % 2 == 0 else LEAD, now=now)
            staffed += 1
        _log_police_request(session, services)
        session.commit()
    return staffed


def _log_police_request(session: Session, services: Services) -> None:
    message = session.exec(select(Message).where(Message.external_id == POLICE_MESSAGE)).first()
    if message is None:
        return
    logged = session.exec(
        select(ReferralPacket).where(
            ReferralPacket.case_id == message.case_id, ReferralPacket.kind == PacketKind.LAW_ENFORCEMENT.value
        )
    ).first()
    case = session.get(Case, message.case_id)
    if logged is not None or case is None:
        return
    packets.create(
        session,
        case,
        kind=PacketKind.LAW_ENFORCEMENT,
        actor=SPECIALIST,
        now=services.clock.now(),
        settings=services.settings,
        intake={
            "agency": "Lakeside Police Department, Cyber Unit",
            "officer": "Det. Laura Quinn",
            "legal_process": "preservation_request",
            "reference": "25-0417",
            "deadline": None,
            "requested": "Preserve all records for @grey_fox_live for 90 days pending a court order.",
            "accounts": ["@grey_fox_live"],
        },
    )
