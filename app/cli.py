"""The ``triage`` command. Results go to stdout (scripts capture them); logs go to stderr."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from sqlmodel import Session

from app.config import Settings, get_settings
from app.evaluation.cli import eval_cli
from app.insights.cli import report_cli
from app.logs import configure_logging
from app.triage.model_cli import model_cli

if TYPE_CHECKING:
    from app.services import Services
cli = typer.Typer(help="Triage Desk: LLM-assisted support inbox for Trust & Safety teams.", no_args_is_help=True)
kb_cli = typer.Typer(help="Knowledge base: sync files into the index, search it.", no_args_is_help=True)
users_cli = typer.Typer(help="Users and API tokens.", no_args_is_help=True)
cli.add_typer(kb_cli, name="kb")
cli.add_typer(users_cli, name="users")
cli.add_typer(report_cli, name="report")
cli.add_typer(eval_cli, name="eval")
cli.add_typer(model_cli, name="model")


def _services(level: str = "WARNING") -> Services:
    from app.services import Services

    settings = get_settings()
    configure_logging(level if settings.log_level == "INFO" else settings.log_level)
    return Services(settings)


def _out(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="bind address (default TRIAGE_HOST or 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default TRIAGE_PORT or 8000)")] = None,
    no_worker: Annotated[bool, typer.Option("--no-worker", help="do not run the in-process worker")] = False,
) -> None:
    """Run the API (and one in-process worker unless --no-worker or TRIAGE_EMBEDDED_WORKER=false)."""
    import uvicorn

    from app.main import create_app
    from app.setup import ensure_ready

    settings = get_settings()
    configure_logging(settings.log_level)
    services = _services(settings.log_level)
    ensure_ready(services)
    app = create_app(settings, services, run_worker=settings.embedded_worker and not no_worker, freeze_heap=True)
    uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_config=None)


def _worker_process(index: int) -> None:
    services = _services(get_settings().log_level)
    worker = services.worker()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    asyncio.run(worker.run_forever(stop))


@cli.command()
def worker(
    processes: Annotated[int, typer.Option("--processes", "-n", min=1, max=64, help="worker processes")] = 1,
) -> None:
    """Run workers as separate processes claiming jobs from the database; a child that dies is restarted."""
    from app.setup import ensure_ready

    ensure_ready(_services("INFO"))
    if processes == 1:
        _worker_process(0)
        return
    from app.jobs.supervisor import WorkerPool

    pool = WorkerPool(_worker_process, processes)
    signal.signal(signal.SIGTERM, lambda *_: pool.stop())
    signal.signal(signal.SIGINT, lambda *_: pool.stop())
    pool.run()


@cli.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from app.setup import migrate as run_migrate

    run_migrate(_services())
    typer.echo("database is up to date", err=True)


@kb_cli.command("sync")
def kb_sync() -> None:
    """Index knowledge_base/ incrementally: only changed articles are re-embedded.

    A file whose text reads as instructions to the model is quarantined (not indexed; its last clean version keeps
    serving): it is named on stderr and the command exits 2 once everything else is synced.
    """
    from app.setup import migrate as run_migrate
    from app.setup import sync_knowledge

    services = _services()
    run_migrate(services)
    result = sync_knowledge(services)
    report = result.index
    _out(
        {
            "added": report.added,
            "updated": report.updated,
            "removed": report.removed,
            "unchanged": report.unchanged,
            "versions_recorded": result.versions_added,
            "quarantined": [
                {
                    "file": q.file,
                    "article_id": q.article_id,
                    "evidence": q.evidence,
                    "serving_version": q.serving_version,
                }
                for q in result.quarantined
            ],
        }
    )
    for q in result.quarantined:
        kept = f"still serving v{q.serving_version}" if q.serving_version else "not indexed"
        typer.echo(
            f"quarantined {q.file}: reads as instructions to the model: {q.evidence!r} ({kept}); "
            "rephrase it as policy and sync again",
            err=True,
        )
    if result.quarantined:
        raise typer.Exit(2)


@kb_cli.command("search")
def kb_search(
    query: str,
    k: Annotated[int, typer.Option("--k", min=1, max=50)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object with the hits")] = False,
) -> None:
    """Search the knowledge base (hybrid: vectors + BM25)."""
    from app.setup import ensure_ready

    services = _services()
    ensure_ready(services)
    hits = services.retriever.search(query, k=k)
    rows = [
        {
            "rank": i + 1,
            "article_id": h.article_id,
            "version": h.version,
            "title": h.title,
            "chunk_id": h.chunk_id,
            "section": h.section,
            "score": round(h.score, 6),
            "text": h.text,
        }
        for i, h in enumerate(hits)
    ]
    if as_json:
        _out({"query": query, "hits": rows})
        return
    for row in rows:
        typer.echo(
            f"{row['rank']:>2}. {row['score']:.4f}  {row['article_id']} v{row['version']}  {row['title']}"
            f"  [{row['section']}]"
        )


@cli.command()
def draft() -> None:
    """Draft replies for JSON-lines messages on stdin: exactly one JSON line out per line in, in order."""
    from app.cases.schemas import MessageIn
    from app.setup import ensure_ready
    from app.triage.pipeline import PipelineInput

    services = _services()
    try:
        ensure_ready(services)
        pipeline = services.pipeline
    except Exception as exc:  # the data directory cannot serve: say so, and still answer every line
        problem = f"setup failed: {type(exc).__name__}: {exc}"
        typer.echo(f"triage draft: {problem} (data directory {services.settings.data_dir})", err=True)
        for number, _line in enumerate(sys.stdin, start=1):
            _out({"error": f"line {number}: {problem}"})
        raise typer.Exit(1) from exc

    async def run() -> None:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                _out({"error": f"line {number}: empty line"})
                continue
            try:
                message = MessageIn.model_validate_json(line)
            except ValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'line'}: {e['msg']}" for e in exc.errors()[:5]
                )
                _out({"error": f"line {number}: {problems}"})
                continue
            if len(message.body.encode()) > services.settings.max_body_bytes:
                _out({"error": f"line {number}: body exceeds {services.settings.max_body_bytes} bytes"})
                continue
            try:
                outcome = await pipeline.run(
                    PipelineInput(
                        correlation_id=f"cli-{number}",
                        message=message.body,
                        subject=message.subject,
                        locale=message.locale,
                        sender_kind=message.sender.kind.value,
                        metadata=message.metadata,
                    )
                )
                _out(outcome.public())
            except Exception as exc:
                _out({"error": f"line {number}: drafting failed: {type(exc).__name__}: {exc}"})

    asyncio.run(run())


@cli.command("ingest")
def ingest_file(file: Path) -> None:
    """Ingest messages from a JSON-lines file (idempotent: re-running it adds nothing)."""
    from app.cases.intake import accept_message
    from app.cases.schemas import MessageIn
    from app.cases.service import IngestConflict
    from app.setup import ensure_ready

    if not file.is_file():
        typer.echo(f"no such file: {file}", err=True)
        raise typer.Exit(2)
    services = _services()
    ensure_ready(services)
    failures = 0
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            message = MessageIn.model_validate_json(line)
            with Session(services.engine, expire_on_commit=False) as session:
                outcome = accept_message(
                    session,
                    message,
                    idem_key=None,
                    actor="cli",
                    now=services.clock.now(),
                    max_attempts=services.settings.job_max_attempts,
                )
                session.commit()
            _out({"line": number, **outcome.result.model_dump(), "replay": not outcome.created})
        except (ValidationError, IngestConflict) as exc:
            failures += 1
            _out(
                {
                    "line": number,
                    "error": str(exc).splitlines()[0]
                    if isinstance(exc, IngestConflict)
                    else "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]),
                }
            )
    if failures:
        raise typer.Exit(1)


@users_cli.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option("--role", help="specialist, lead, policy_writer, qa, admin or integration")],
) -> None:
    """Create a user; prints the new token once, alone on stdout."""
    from app.auth.service import create_user

    token: str = _change_user(lambda session: create_user(session, name=name, role=role)[1])
    sys.stdout.write(token + "\n")


def _change_user(change: Any) -> Any:
    """Run ``change(session)`` on the configured database and commit; a UserError is exit 2 with its message."""
    from app.auth.service import UserError
    from app.db import make_engine
    from app.migrate import upgrade

    settings = get_settings()
    configure_logging("WARNING")
    upgrade(settings.resolved_database_url)
    engine = make_engine(settings.resolved_database_url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            result = change(session)
            session.commit()
        return result
    except UserError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()


@users_cli.command("deactivate")
def users_deactivate(name: str) -> None:
    """Deactivate a user: their tokens and console sessions are refused from the next request."""
    from app.auth.service import set_active

    _change_user(lambda session: set_active(session, name, active=False))
    typer.echo(f"{name} deactivated", err=True)


@users_cli.command("revoke")
def users_revoke(
    name: str,
    rotate: Annotated[bool, typer.Option("--rotate", help="issue one new token (printed alone on stdout)")] = False,
) -> None:
    """Revoke every API token of a user (a leaked token); with --rotate print a new one."""
    from app.auth.service import revoke_tokens, rotate_token

    if rotate:
        sys.stdout.write(_change_user(lambda session: rotate_token(session, name)) + "\n")
        return
    count = _change_user(lambda session: revoke_tokens(session, name))
    typer.echo(f"{count} token(s) of {name} revoked", err=True)


@cli.command()
def demo(
    days: Annotated[int, typer.Option("--days", min=1, max=90, help="spread demo messages over N days")] = 7,
    drain: Annotated[bool, typer.Option("--drain", help="draft every seeded message before returning")] = False,
) -> None:
    """Seed demo users and ~40 inbound messages (idempotent); prints the demo tokens as JSON."""
    from app.demo.seed import seed_demo
    from app.demo.staffing import screen_now, staff_escalations
    from app.setup import ensure_ready

    services = _services()
    ensure_ready(services)
    seeded = seed_demo(services, days=days)
    screen_now(services)  # explicit critical cases escalate now, and the demo team staffs them (app/demo/staffing)
    staff_escalations(services)
    drafted = asyncio.run(services.worker().drain()) if drain else 0
    if drain:
        staff_escalations(services)
    _out({"tokens": seeded.tokens, "ingested": seeded.ingested, "already_present": seeded.replayed, "drafted": drafted})


@cli.command("smtp")
def smtp_listener(
    host: Annotated[str | None, typer.Option(help="bind address (default TRIAGE_SMTP_LISTEN_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="port (default TRIAGE_SMTP_LISTEN_PORT, 2525)")] = None,
) -> None:
    """Receive support email over SMTP: every accepted message becomes (or continues) a case."""
    from app.channels.smtp import listener
    from app.setup import migrate as run_migrate

    services = _services("INFO")
    run_migrate(services)
    server = listener(services.engine, services.clock, services.settings, host=host, port=port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    typer.echo(f"listening for SMTP on {server.hostname}:{server.port}", err=True)
    try:
        stop.wait()
    finally:
        server.stop()
        services.close()


def main() -> None:
    cli()


def settings_for_tests() -> Settings:  # pragma: no cover - convenience for a REPL
    return get_settings()
