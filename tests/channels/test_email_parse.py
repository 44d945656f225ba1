"""Raw email to facts: the new text only, HTML as text, attachments measured not opened, thread headers kept."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage

from app.channels.email_parse import parse_email

QUOTED = b"""From: Mia Chen <mia@example.com>
To: support@triage.localhost
Subject: Re: coins missing
Message-ID: <reply-2@example.com>
In-Reply-To: <ours-1@triage.localhost>
References: <root-0@example.com> <ours-1@triage.localhost>
Date: Mon, 02 Nov 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

Still no coins on my account, it has been three days.

Thanks,
Mia
Sent from my iPhone

On Sun, Nov 1, 2026 at 9:00 AM Support <support@triage.localhost> wrote:
> We are looking into your purchase.
> Best regards
"""


def test_the_newest_reply_only_without_quote_or_signature() -> None:
    parsed = parse_email(QUOTED)
    assert parsed.reply == "Still no coins on my account, it has been three days."
    assert parsed.stripped
    assert "We are looking into" in parsed.text  # the full text is kept, only the case body is trimmed
    assert parsed.message_id == "reply-2@example.com"
    assert parsed.in_reply_to == ["ours-1@triage.localhost"]
    assert parsed.references == ["root-0@example.com", "ours-1@triage.localhost"]
    assert (parsed.from_address, parsed.from_name) == ("mia@example.com", "Mia Chen")
    assert parsed.auto_reason is None


def _html_mail(html: str) -> bytes:
    message = EmailMessage()
    message["From"] = "a@example.com"
    message["Subject"] = "html"
    message.set_content(html, subtype="html")
    return message.as_bytes()


def test_html_only_mail_becomes_plain_text_with_nothing_active_left() -> None:
    html = (
        "<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
        "<p>My <b>payout</b> is late.</p><ul><li>May</li><li>June</li></ul>"
        '<img src="https://tracker.example/pixel.gif"><a href="javascript:steal()">click</a>'
        '<p onclick="evil()">Thanks</p></body></html>'
    )
    parsed = parse_email(_html_mail(html))
    assert parsed.html_body
    assert "My payout is late." in parsed.text and "May" in parsed.text and "Thanks" in parsed.text
    for active in ("alert", "color:red", "tracker.example", "javascript", "onclick", "<"):
        assert active not in parsed.text


def test_attachments_are_recorded_by_type_size_and_hash_never_read_as_text() -> None:
    payload = b"MZ\x90\x00 pretend executable \x00\x01"
    message = EmailMessage()
    message["From"] = "b@example.com"
    message["Subject"] = "receipt"
    message.set_content("Receipt attached.")
    message.add_attachment(payload, maintype="application", subtype="x-msdownload", filename="receipt.exe")
    message.add_attachment(b"<script>x</script>", maintype="text", subtype="html", filename="page.html")
    parsed = parse_email(message.as_bytes())
    assert parsed.reply == "Receipt attached."
    exe = parsed.attachments[0]
    assert (exe.filename, exe.content_type, exe.size) == ("receipt.exe", "application/x-msdownload", len(payload))
    assert exe.sha256 == hashlib.sha256(payload).hexdigest()
    assert parsed.attachments[1].content_type == "text/html"  # an attached HTML file stays a file
    assert "script" not in parsed.text


def test_machine_mail_is_recognised_so_it_is_never_answered() -> None:
    auto = QUOTED.replace(b"Subject:", b"Auto-Submitted: auto-replied\nSubject:")
    assert parse_email(auto).auto_reason == "Auto-Submitted: auto-replied"
    daemon = QUOTED.replace(b"From: Mia Chen <mia@example.com>", b"From: MAILER-DAEMON@mx.example.com")
    assert parse_email(daemon).auto_reason is not None


def test_broken_mail_degrades_instead_of_failing() -> None:
    broken = (
        b"From: =?bogus-charset?q?x?= <c@example.com>\nSubject: \xff\xfe bad bytes\n"
        b"Content-Type: text/plain; charset=no-such-charset\n\nhello\x00 world \xed\xa0\x80"
    )
    parsed = parse_email(broken)
    assert parsed.from_address == "c@example.com"
    assert "hello" in parsed.text and "\x00" not in parsed.text
    parsed.text.encode("utf-8")  # no lone surrogate survives
    assert parse_email(b"").from_address is None
