"""A stub OpenAI-compatible chat-completions server for benchmarks: a valid draft after a fixed latency.

Stdlib ``ThreadingHTTPServer`` on an ephemeral loopback port; every request gets its own thread, so N concurrent
calls all finish after ``latency_s`` like a real endpoint under no load. The draft cites the first article the
request allows, so guardrails and citation checks run their normal course. A judge request (no JSON schema with
citations) gets a rubric answer instead.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DRAFT_REPLY = "Hi, thanks for reaching out. We are checking this for you. StreamNest Support"


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    response_format = request.get("response_format") or {}
    schema = response_format.get("json_schema", {}).get("schema") or response_format.get("schema") or {}
    citations = schema.get("properties", {}).get("citations")
    if citations is None:  # the judge's rubric
        return {"groundedness": 4, "policy_compliance": 5, "tone": 4, "rationale": "stub"}
    allowed = citations["items"]["properties"]["article_id"].get("enum", [])
    return {
        "category": "recharge_payment",
        "priority": "P2",
        "risk_flags": [],
        "citations": [{"article_id": allowed[0], "chunk_id": ""}] if allowed else [],
        "reply": DRAFT_REPLY,
        "confidence": 0.7,
    }


def _handler(latency_s: float, calls: list[float]) -> type[BaseHTTPRequestHandler]:
    class StubHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints

        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
            if latency_s:
                time.sleep(latency_s)
            calls.append(time.monotonic())
            body = json.dumps(
                {
                    "id": "bench",
                    "object": "chat.completion",
                    "created": 0,
                    "model": request.get("model", "stub"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": json.dumps(_answer(request))},
                        }
                    ],
                    "usage": {"prompt_tokens": 1000, "completion_tokens": 80, "total_tokens": 1080},
                }
            ).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

    return StubHandler


@contextmanager
def stub_llm(latency_s: float = 0.0) -> Iterator[tuple[str, list[float]]]:
    """Serve the stub for the block: yields its ``/v1`` base URL and the list of call completion times."""
    calls: list[float] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(latency_s, calls))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", calls
    finally:
        server.shutdown()
        server.server_close()
