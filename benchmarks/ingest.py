"""Ingest throughput and latency against a bare FastAPI endpoint, side by side in one run (issue 16).

Three servers are started side by side, each a single uvicorn process as ``triage serve`` runs it (embedded worker
off, so only ingest is measured): the bare endpoint of ``benchmarks/bare_ingest_app.py`` (same request model,
stores nothing), the real API on SQLite, and the real API on PostgreSQL (a fresh database on 127.0.0.1:5432,
dropped afterwards). Each gets a warm-up, then rounds of ``wrk`` (the targets in turn, so machine noise hits all)
with ``--connections`` clients posting distinct messages (a unique ``external_id`` and sender per request, with
the bearer token of an ``integration`` user). We print requests per second, p50/p95/p99 and the share of the
bare endpoint's throughput.

Requires ``wrk`` (Debian: ``apt-get install wrk``). Run:
``.venv/bin/python benchmarks/ingest.py [--rounds 4] [--duration 5] [--connections 50]
[--targets bare sqlite postgres]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `app` and `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.auth.service import create_user
from app.config import PROJECT_ROOT
from app.db import make_engine
from app.migrate import upgrade

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

WRK_SCRIPT = r"""
local counter = 0
local thread_id = 0
local token = os.getenv("BENCH_TOKEN") or ""
local run = os.getenv("BENCH_RUN") or "run"
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local id = run .. "-" .. thread_id .. "-" .. counter
  local body = '{"channel":"in_app_chat","external_id":"' .. id .. '","sender":{"id":"user-' .. id ..
    '","kind":"user","name":"Bench User"},"subject":"Coins not credited",' ..
    '"body":"I bought 1,200 coins with Google Play an hour ago (order GPA.3345-1122-9988) and my balance ' ..
    'did not change. Please check, I need them for a LIVE tonight.","locale":"en",' ..
    '"metadata":{"app_version":"31.4.2","platform":"android"}}'
  return wrk.format("POST", "/v1/messages", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, non2xx, failed,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Result:
    target: str
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    non2xx: int
    socket_errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not listen on {port} within {timeout_s} s")


def run_wrk(port: int, *, token: str, duration_s: int, connections: int, script: Path, run_id: str) -> dict[str, int]:
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_RUN": run_id}
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration_s}s", "--timeout", "10s", "-s", str(script)]
    completed = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True, check=True
    )
    for line in completed.stdout.splitlines():
        if line.startswith("RESULT "):
            parsed: dict[str, int] = json.loads(line.removeprefix("RESULT "))
            return parsed
    raise RuntimeError(f"wrk printed no result:\n{completed.stdout}\n{completed.stderr}")


class Server:
    """One target's uvicorn process, started once and measured in several rounds."""

    def __init__(self, target: str, argv: list[str], env: dict[str, str], token: str) -> None:
        self.target = target
        self.token = token
        self.port = free_port()
        self.process = subprocess.Popen(
            [*argv, "--port", str(self.port)],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for_port(self.port, self.process)

    def load(self, *, seconds: int, connections: int, script: Path, run_id: str) -> dict[str, int]:
        return run_wrk(
            self.port, token=self.token, duration_s=seconds, connections=connections, script=script, run_id=run_id
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            _, stderr = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, stderr = self.process.communicate()
        errors = [
            line for line in stderr.decode(errors="replace").splitlines() if "ERROR" in line or "Traceback" in line
        ]
        if errors:
            print(f"  {self.target}: server logged errors, first: {errors[0][:200]}", file=sys.stderr)


def summarise(target: str, rounds: list[dict[str, int]]) -> Result:
    """Throughput over all rounds; latency percentiles as the median of the rounds' (wrk keeps no raw samples)."""
    requests = sum(r["requests"] for r in rounds)
    seconds = sum(r["duration_us"] for r in rounds) / 1e6
    return Result(
        target=target,
        rps=requests / seconds,
        p50_ms=statistics.median(r["p50_us"] for r in rounds) / 1000,
        p95_ms=statistics.median(r["p95_us"] for r in rounds) / 1000,
        p99_ms=statistics.median(r["p99_us"] for r in rounds) / 1000,
        requests=requests,
        non2xx=sum(r["non2xx"] for r in rounds),
        socket_errors=sum(r["socket_errors"] for r in rounds),
    )


def uvicorn_argv(app: str, *, factory: bool) -> list[str]:
    argv = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--no-access-log", "--log-level", "warning"]
    return [*argv, "--factory"] if factory else argv


def prepare_database(url: str) -> str:
    """Migrate ``url`` and create the integration user whose token the load generator sends."""
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        _, token = create_user(session, name=f"bench-{uuid.uuid4().hex[:8]}", role="integration")
        session.commit()
    engine.dispose()
    return token


def app_env(data_dir: Path, database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TRIAGE_DATA_DIR": str(data_dir),
        "TRIAGE_DATABASE_URL": database_url,
        "TRIAGE_EMBEDDED_WORKER": "false",
        "TRIAGE_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(PROJECT_ROOT),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds of measured load per target per round")
    parser.add_argument("--rounds", type=int, default=4, help="rounds; each loads every target in turn")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unmeasured load first")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--targets", nargs="+", default=["bare", "sqlite", "postgres"])
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    script = work / "ingest.lua"
    script.write_text(WRK_SCRIPT)
    pg_name = f"triage_bench_{os.getpid()}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    servers: list[Server] = []
    try:
        for target in args.targets:
            servers.append(start_server(target, work, admin, pg_name))
        for server in servers:
            server.load(seconds=args.warmup, connections=args.connections, script=script, run_id="warm")
        # Rounds interleave the targets, so a noisy neighbour on the machine hits them all alike.
        measured: dict[str, list[dict[str, int]]] = {server.target: [] for server in servers}
        for n in range(args.rounds):
            for server in servers:
                measured[server.target].append(
                    server.load(seconds=args.duration, connections=args.connections, script=script, run_id=f"r{n}")
                )
    finally:
        for server in servers:
            server.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
        admin.dispose()
        shutil.rmtree(work, ignore_errors=True)
    report([summarise(target, rounds) for target, rounds in measured.items()], args)


def start_server(target: str, work: Path, admin: Engine, pg_name: str) -> Server:
    if target == "bare":
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
        return Server("bare", uvicorn_argv("benchmarks.bare_ingest_app:app", factory=False), env, "-")
    if target == "sqlite":
        url = f"sqlite:///{work / 'sqlite' / 'triage.db'}"
    elif target == "postgres":
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{pg_name}"'))
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_name}"
    else:
        sys.exit(f"unknown target {target!r}: bare, sqlite or postgres")
    token = prepare_database(url)
    return Server(target, uvicorn_argv("app.main:app_factory", factory=True), app_env(work / target, url), token)


def report(results: list[Result], args: argparse.Namespace) -> None:
    bare = next((r for r in results if r.target == "bare"), None)
    print(
        f"ingest: wrk, {args.connections} connections, {args.rounds} rounds of {args.duration} s per target "
        "(interleaved), one uvicorn process each"
    )
    print(
        f"{'target':<10} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'of bare':>8} "
        f"{'p95 x':>6}"
    )
    for r in results:
        share = f"{r.rps / bare.rps:.0%}" if bare else "-"
        p95x = f"{r.p95_ms / bare.p95_ms:.2f}" if bare else "-"
        print(
            f"{r.target:<10} {r.rps:>8.0f} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} {r.p99_ms:>8.1f} {r.non2xx:>8} "
            f"{share:>8} {p95x:>6}"
        )
    print("targets (issue 16): >= 40% of bare req/s and p95 <= 2.5x bare p95, on SQLite and PostgreSQL")


if __name__ == "__main__":
    main()
