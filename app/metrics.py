"""Prometheus metrics (prometheus-client); /metrics exposes them."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MESSAGES_INGESTED = Counter(
    "triage_messages_ingested_total", "Messages accepted by POST /v1/messages", ["channel", "replay"]
)
DECISIONS = Counter("triage_decisions_total", "Specialist decisions", ["action"])
DRAFTS = Counter("triage_drafts_total", "Drafts stored", ["provider", "origin"])
REQUEST_LATENCY = Histogram("triage_http_request_seconds", "HTTP request latency", ["method", "route", "status"])
INGEST_BATCH_SIZE = Histogram(
    "triage_ingest_batch_messages",
    "Messages stored per group-commit transaction of the ingest writer",
    buckets=(1, 2, 4, 8, 16, 32, 64),
)
