"""The body limit holds for streamed uploads: a chunked 100 MB body, unauthenticated, is cut off with a 413."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.web.conftest import LiveServer

CHUNK = b"x" * 65536
TOTAL = 100 * 1024 * 1024


def rss_bytes() -> int:
    """Resident memory of this process, which runs the live server in a thread."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


def test_a_chunked_upload_past_the_limit_is_refused_while_it_streams(live_server: LiveServer) -> None:
    sent = 0
    before = rss_bytes()

    def body() -> Iterator[bytes]:
        nonlocal sent
        while sent < TOTAL:
            sent += len(CHUNK)
            yield CHUNK

    with httpx.Client(timeout=30) as client:
        try:
            response = client.post(
                f"{live_server.url}/v1/messages", content=body(), headers={"content-type": "application/json"}
            )
        except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
            response = None  # the server answered and closed while the client was still sending: also a refusal
    if response is not None:
        assert response.status_code == 413, response.text
        assert "limit" in json.loads(response.text)["detail"]
    # The server may keep discarding what the client still sends (it cannot un-send it), but it must not hold it.
    grown = rss_bytes() - before
    assert grown < 40 * 1024 * 1024, f"the server grew by {grown // 2**20} MB on a refused {TOTAL // 2**20} MB upload"


def test_a_declared_length_past_the_limit_is_refused_before_reading(live_server: LiveServer) -> None:
    response = httpx.post(
        f"{live_server.url}/v1/messages",
        content=b"{" + b" " * (2 * 1024 * 1024) + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413 and "the limit is" in response.json()["detail"]


def test_security_headers_are_still_set(live_server: LiveServer) -> None:
    page = httpx.get(f"{live_server.url}/login")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    api = httpx.get(f"{live_server.url}/healthz")
    assert api.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" not in api.headers
