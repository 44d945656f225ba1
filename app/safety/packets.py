"""Referral packets built from a case; a person reviews each before anything leaves (nothing here sends it).

- ``cybertipline``: child-safety report data in the shape of NCMEC's CyberTipline report — incident type and
  time, the reported account's identifiers, where the content is, the reporter's narrative, file metadata. It is
  the data a reviewer enters or maps into the real report, not the official XML schema.
- ``law_enforcement``: a law-enforcement request's intake — agency, legal process, deadline, what is asked —
  routed to the legal queue; support replies disclose nothing (the playbook guardrail checks it).
- ``statement_of_reasons``: the EU DSA Art. 17(3) statement for a restriction — the decision and its scope, the
  facts, the ground (the policy article and version), the automated means used, and the redress options.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.cases import repository
from app.cases.models import Case, Message
from app.cases.states import record_event
from app.config import Settings
from app.safety.errors import SafetyRefused
from app.safety.holds import LAW_ENFORCEMENT, active_holds, place_holds
from app.safety.models import PacketKind, PacketStatus, ReferralPacket
from app.taxonomy import RISK_FLAGS, Category
from app.triage.guardrails.playbooks import PLAYBOOK_ARTICLES
from app.triage.models import Draft

PLATFORM = "StreamNest"
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{2,30})")
_REPORTED_KEYS = ("reported_user_id", "reported_account", "reported_username", "reported_handle")
_LOCATION_KEYS = ("stream_id", "live_id", "room_id", "video_id", "message_url", "content_url")
_AGE = re.compile(r"\b(\d{1,2})[\s-]?(?:years?|yrs?)[\s-]?old\b|\b(?:i'?m|she'?s|he'?s|is)\s+(\d{1,2})\b", re.I)
PLAYBOOK_FOR = PLAYBOOK_ARTICLES


class PacketRefused(SafetyRefused):
    """The packet does not fit the case (answered 409)."""


def _inbound(session: Session, case: Case) -> list[Message]:
    assert case.id is not None
    return [m for m in repository.messages_of(session, case.id) if m.direction == "inbound"]


def _reported_accounts(messages: list[Message]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for m in messages:
        for key in _REPORTED_KEYS:
            value = m.meta.get(key)
            if value:
                found.setdefault(str(value), {"espIdentifier": str(value), "screenName": None, "source": key})
        for handle in (h.rstrip(".") for h in _HANDLE.findall(m.body)):
            found.setdefault(handle, {"espIdentifier": None, "screenName": handle, "source": "message text"})
    return [{**a, "espService": f"{PLATFORM} LIVE"} for a in found.values()]


def _incident_type(flags: list[str], text: str) -> str:
    lowered = text.lower()
    if any(w in lowered for w in ("csam", "child porn", "abuse material")):
        return "Child Pornography (possession, manufacture, and distribution)"
    if "extortion" in flags or any(w in lowered for w in ("nude", "naked", "sexual", "photos", "pictures")):
        return "Online Enticement of Children for Sexual Acts"
    return "Child Sex Trafficking" if "trafficking" in lowered else "Online Enticement of Children for Sexual Acts"


def cybertipline(session: Session, case: Case) -> dict[str, Any]:
    if "minor_safety" not in case.flag_codes:
        raise PacketRefused(f"case {case.id} has no minor_safety flag: a CyberTipline report is for child safety")
    messages = _inbound(session, case)
    text = "\n".join(m.body for m in messages)
    ages = sorted({int(a or b) for a, b in _AGE.findall(text) if 0 < int(a or b) < 18})
    holds = active_holds(session, case.id) if case.id is not None else []
    return {
        "schema": "cybertipline-shaped/1",
        "note": "Data for a CyberTipline report, reviewed by a person before it is filed; not the NCMEC XML schema.",
        "incidentSummary": {
            "incidentType": _incident_type(list(case.flag_codes), text),
            "incidentDateTime": messages[0].received_at.isoformat() if messages else None,
            "incidentDateTimeDescription": "when the first report reached support",
            "reportAnnotations": sorted(case.flag_codes),
        },
        "internetDetails": [
            {
                "type": "chatIm" if m.channel in ("in_app_chat", "social_dm") else "webPage",
                "channel": m.channel,
                "messageExternalId": m.external_id,
                "contentLocation": {k: m.meta[k] for k in _LOCATION_KEYS if k in m.meta}
                or {"platform": PLATFORM, "case": case.id, "message": m.id},
            }
            for m in messages
        ],
        "personOrUserReported": _reported_accounts(messages),
        "childVictim": {"agesStated": ages, "identified": False},
        "reporter": {
            "reportingEsp": PLATFORM,
            "reportingPerson": {"role": "Trust & Safety"},
            "originalReporter": {"kind": case.requester_kind, "espIdentifier": case.requester_id},
        },
        "additionalInfo": text,
        "fileDetails": [
            {"messageExternalId": m.external_id, **a}
            for m in messages
            for a in (m.meta.get("attachments") or [])
            if isinstance(a, dict)
        ],
        "preservation": [{"holdId": h.id, "reason": h.reason, "until": h.expires_at.isoformat()} for h in holds],
    }


def law_enforcement(case: Case, intake: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": "le-request-intake/1",
        "agency": intake["agency"],
        "officer": intake.get("officer"),
        "contact": intake.get("contact"),
        "legalProcess": intake["legal_process"],
        "reference": intake.get("reference"),
        "deadline": intake.get("deadline"),
        "emergency": bool(intake.get("emergency")),
        "requested": intake["requested"],
        "accounts": intake.get("accounts") or [],
        "caseId": case.id,
        "routedTo": "legal",
        "supportReply": "acknowledge receipt and route to the legal team; disclose nothing about any account",
    }


def statement_of_reasons(session: Session, case: Case, restriction: dict[str, Any]) -> dict[str, Any]:
    assert case.id is not None
    draft = session.exec(select(Draft).where(Draft.case_id == case.id).order_by(col(Draft.id).desc())).first()
    flags = [f for f in (draft.risk_flags if draft else []) if f.get("code") in RISK_FLAGS]
    citations = list(draft.citations) if draft else []
    grounds = [c for c in (restriction.get("flags") or case.flag_codes) if c in case.flag_codes]
    for code in grounds:
        if code in PLAYBOOK_FOR and not any(c.get("article_id") == PLAYBOOK_FOR[code] for c in citations):
            citations.append({"article_id": PLAYBOOK_FOR[code], "version": None, "title": f"{code} playbook"})
    categories = sorted({d for c in grounds if c in RISK_FLAGS and (d := RISK_FLAGS[c].dsa_category)})
    automated = sorted({str(f.get("source")) for f in flags if f.get("source") in ("rule", "model", "llm")})
    return {
        "schema": "dsa-art17-statement/1",
        "decision": {
            "type": restriction["type"],
            "scope": restriction.get("scope") or "the account's access to the restricted feature",
            "territorialScope": restriction.get("territorial_scope") or "EEA",
            "durationDays": restriction.get("duration_days"),
            "categories": categories,
        },
        "facts": restriction.get("facts") or _facts(case),
        "ground": {
            "kind": "contractual",  # the terms and community policies, not a finding of illegality
            "policy": [
                {"article_id": c.get("article_id"), "version": c.get("version"), "title": c.get("title")}
                for c in citations
            ],
        },
        "automatedMeans": {
            "detection": bool(automated),
            "detectionSources": automated,
            "decision": False,  # a person decided; automated means only flagged the case
        },
        "redress": [
            {"kind": "internal_complaint", "how": "appeal in the app (Details > Submit appeal) within six months"},
            {"kind": "out_of_court_dispute_settlement", "how": "a certified body under DSA Art. 21"},
            {"kind": "judicial_redress", "how": "the courts of the user's member state"},
        ],
    }


def _facts(case: Case) -> str:
    flagged = ", ".join(sorted(case.flag_codes)) or "no risk flag"
    return f"Case {case.id}: a report was flagged {flagged} and reviewed by a specialist."


def create(
    session: Session,
    case: Case,
    *,
    kind: PacketKind,
    actor: str,
    now: datetime,
    settings: Settings,
    intake: dict[str, Any] | None = None,
    restriction: dict[str, Any] | None = None,
) -> ReferralPacket:
    assert case.id is not None
    if kind is PacketKind.CYBERTIPLINE:
        payload = cybertipline(session, case)
    elif kind is PacketKind.LAW_ENFORCEMENT:
        if intake is None:
            raise PacketRefused("a law-enforcement intake needs the agency, legal process and what is asked")
        payload = law_enforcement(case, intake)
        if case.category != Category.LAW_ENFORCEMENT_REQUEST.value:
            case.category = Category.LAW_ENFORCEMENT_REQUEST.value
            session.add(case)
        place_holds(session, case, reasons=[LAW_ENFORCEMENT], actor=actor, now=now, settings=settings)
    else:
        if restriction is None:
            raise PacketRefused("a statement of reasons needs the restriction it explains")
        payload = statement_of_reasons(session, case, restriction)
    packet = ReferralPacket(case_id=case.id, kind=kind.value, payload=payload, created_by=actor, created_at=now)
    session.add(packet)
    session.flush()
    record_event(
        session, case.id, "packet_created", actor=actor, detail={"packet_id": packet.id, "kind": kind.value}, now=now
    )
    return packet


def review(
    session: Session, packet: ReferralPacket, *, approve: bool, note: str | None, actor: str, now: datetime
) -> None:
    """A person approves (ready to leave) or rejects the packet; its creator cannot approve their own."""
    if packet.status != PacketStatus.DRAFT.value:
        raise PacketRefused(f"packet {packet.id} was already {packet.status} by {packet.reviewed_by}")
    if approve and packet.created_by == actor:
        raise PacketRefused("a packet is approved by someone other than the person who generated it")
    packet.status = (PacketStatus.APPROVED if approve else PacketStatus.REJECTED).value
    packet.reviewed_by, packet.reviewed_at, packet.review_note = actor, now, note
    session.add(packet)
    record_event(
        session,
        packet.case_id,
        "packet_reviewed",
        actor=actor,
        detail={"packet_id": packet.id, "status": packet.status},
        now=now,
    )


def packets_of(session: Session, case_id: int) -> list[ReferralPacket]:
    return list(
        session.exec(select(ReferralPacket).where(ReferralPacket.case_id == case_id).order_by(col(ReferralPacket.id)))
    )


def legal_queue(session: Session) -> list[ReferralPacket]:
    """Law-enforcement intakes not rejected, the nearest deadline first (none last)."""
    rows = session.exec(
        select(ReferralPacket).where(
            ReferralPacket.kind == PacketKind.LAW_ENFORCEMENT.value,
            ReferralPacket.status != PacketStatus.REJECTED.value,
        )
    )
    return sorted(
        rows, key=lambda p: (p.payload.get("deadline") is None, str(p.payload.get("deadline") or ""), p.id or 0)
    )
