"""CPython's 48 real-world test messages (PSF licence, tests/channels/data/README.md) through the email door.

None may answer 5xx. Each person's message is a case or is refused/ignored with a reason; the same Message-ID
twice is one message; and a reply to any of them (built here: the corpus has no reply chains of its own) finds
its way back to that message's case through In-Reply-To alone, or through References alone.
"""

from __future__ import annotations

from collections import Counter
from email.message import EmailMessage
from pathlib import Path

from fastapi.testclient import TestClient

from app.channels.email_parse import parse_email
from app.services import Services
from tests.delivery.peers import token

DATA = Path(__file__).parent / "data"
RAW = {"content-type": "message/rfc822"}


def _reply_to(parent_id: str, sender: str, *, via: str) -> bytes:
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = "support@triage.localhost"
    reply["Subject"] = "Re: follow-up"
    reply["Message-ID"] = f"<reply-{via}-{abs(hash(parent_id))}@example.com>"
    reply["In-Reply-To" if via == "in-reply-to" else "References"] = f"<{parent_id}>"
    reply.set_content(f"Any news on this? ({via})\n\n> quoted original\n")
    return reply.as_bytes()


def test_every_corpus_message_is_handled_without_a_server_error(api: TestClient, light: Services) -> None:
    files = sorted(DATA.glob("msg_*.txt"))
    assert len(files) == 48
    headers = {**RAW, "Authorization": f"Bearer {token(light, 'integration')}"}
    outcomes: Counter[str] = Counter()
    cases: dict[str, int] = {}
    for path in files:
        raw = path.read_bytes()
        response = api.post("/v1/inbound/email", content=raw, headers=headers)
        assert response.status_code < 500, f"{path.name}: {response.status_code} {response.text}"
        body = response.json()
        if response.status_code == 422:
            outcomes["refused"] += 1
            assert "From" in response.text or "external_id" in response.text, f"{path.name}: {response.text}"
            continue
        outcomes[body["status"]] += 1
        parsed = parse_email(raw)
        if body["status"] == "ignored":
            assert parsed.auto_reason is not None
            continue
        if parsed.message_id and body["status"] == "accepted":
            cases[parsed.message_id] = body["case_id"]
            assert body["thread_id"] == parsed.message_id  # no parents in the corpus: each starts its own thread
    # Measured on this corpus: most are people's messages; bounces and bulk are ignored; messages with no usable
    # From address are refused, and reused Message-IDs with other content are conflicts, not new messages.
    # (4 replays: the corpus reuses Message-IDs for identical copies of a message.)
    assert dict(outcomes) == {"accepted": 30, "replay": 4, "ignored": 6, "refused": 8}
    assert len(cases) >= 7

    for parent_id, case_id in cases.items():
        sender = next(
            parse_email(p.read_bytes()).from_address
            for p in files
            if parse_email(p.read_bytes()).message_id == parent_id
        )
        assert sender is not None
        for via in ("in-reply-to", "references"):
            response = api.post("/v1/inbound/email", content=_reply_to(parent_id, sender, via=via), headers=headers)
            assert response.status_code == 202, response.text
            assert response.json()["case_id"] == case_id, f"reply to {parent_id} via {via} opened another case"
