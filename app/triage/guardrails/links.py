"""Links in a draft must come from the knowledge base: a model (or injected text) must not add its own.

Bare domains count ("visit www.fakesoft.com", "go to free-coins.xyz"): most phishing links in chat are written
without a scheme.
"""

from __future__ import annotations

import re

from app.triage.guardrails.findings import Finding

_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|net|org|io|xyz|info|biz|co|me|app|link|click|top|site|online|live|tv|gg|ly|to|ru|cn|shop|store|"
    r"club|vip|win|example)(?:/[^\s<>\"')\]]*)?(?![\w@-])",
    re.IGNORECASE,
)


def links(text: str) -> list[str]:
    return [m.group(0).rstrip(".,;:!?") for m in _LINK.finditer(text)]


def _host(link: str) -> str:
    bare = re.sub(r"^https?://", "", link.lower())
    return bare.split("/", 1)[0].removeprefix("www.")


def check_urls(reply: str, allowed_text: str) -> list[Finding]:
    """Each link in the reply must appear in the knowledge-base text the draft was built from (same host and path)."""
    allowed = allowed_text.lower()
    allowed_hosts = {_host(link) for link in links(allowed_text)}
    findings = []
    for link in links(reply):
        lowered = link.lower()
        if lowered in allowed or (_host(link) in allowed_hosts and "/" not in lowered.split("//")[-1]):
            continue
        findings.append(Finding("unknown_url", f"the reply links to {link}, which no retrieved article contains", True))
    return findings
