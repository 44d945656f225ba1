"""``triage eval``: run suites, export the specialists' decisions as a golden suite, re-render a stored run.

Importing this module is cheap (the CLI imports it for every command); models, the database and the suites are
loaded inside the commands. Results go to stdout, logs to stderr. ``run`` exits 0 when every threshold holds and
nothing regressed, 1 when a check failed, 2 on a usage error (unknown suite, unreadable baseline).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from app.config import Settings
    from app.evaluation.results import RunResult

eval_cli = typer.Typer(
    help="Eval suites: run them, compare against a baseline, export decisions.", no_args_is_help=True
)

PROVIDERS = ("offline", "openai", "fake")


@eval_cli.command("run")
def run_command(
    suites: Annotated[list[str], typer.Argument(help="suite names (folders under evals/), or 'all'")],
    provider: Annotated[str | None, typer.Option(help="offline, openai or fake (default: TRIAGE_LLM_PROVIDER)")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the run as JSON here")] = None,
    html_out: Annotated[Path | None, typer.Option("--html", help="write the HTML report here")] = None,
    baseline: Annotated[Path | None, typer.Option(help="a previous run's JSON to compare against")] = None,
    sample: Annotated[
        bool, typer.Option("--sample/--full", help="fixed-seed samples of the external sets (as make test) or all")
    ] = False,
    concurrency: Annotated[int, typer.Option(min=1, max=256, help="cases drafted at once")] = 8,
    data_dir: Annotated[Path | None, typer.Option(help="external data (default ../shared/data)")] = None,
    store: Annotated[bool, typer.Option("--store/--no-store", help="keep the run under var/evals/")] = True,
) -> None:
    """Run eval suites; exit 0 when every threshold holds and nothing regressed against --baseline."""
    import asyncio

    from app.config import PROJECT_ROOT, get_settings
    from app.evaluation.baseline import BaselineError, load_baseline
    from app.evaluation.runner import RunOptions, run_suites, store_run, write_json
    from app.evaluation.suites import SuiteError, discover, select

    if provider is not None and provider not in PROVIDERS:
        _fail(f"--provider must be one of {', '.join(PROVIDERS)}, not {provider!r}")
    settings = get_settings()
    if provider is not None:
        settings = settings.model_copy(update={"llm_provider": provider})
    # as many connections to the model as cases drafted at once, or the pool, not the model, sets the pace
    settings = settings.model_copy(update={"llm_max_connections": max(settings.llm_max_connections, concurrency)})
    try:
        specs = select(discover(PROJECT_ROOT / "evals"), suites)
        previous = load_baseline(baseline) if baseline else None
    except (SuiteError, BaselineError) as exc:
        _fail(str(exc))
    services, system = _system(settings)
    options = RunOptions(
        project_root=PROJECT_ROOT,
        knowledge_dir=settings.knowledge_dir,
        concurrency=concurrency,
        sample=sample,
        data_dir=data_dir,
        baseline=previous,
        baseline_path=str(baseline) if baseline else None,
    )
    try:
        result = asyncio.run(run_suites(specs, system, options))
        result.decisions = _decisions(services)
    finally:
        services.close()
    if store:
        typer.echo(f"run stored at {store_run(result, settings.data_dir / 'evals')}", err=True)
    if json_out:
        write_json(result, json_out)
    if html_out:
        _write_html(result, previous, html_out)
    _summary(result)
    raise typer.Exit(0 if result.passed else 1)


@eval_cli.command("export-decisions")
def export_decisions(
    out: Annotated[
        Path | None, typer.Option(help="golden suite JSONL to write ('-' for stdout; default evals/golden/cases.jsonl)")
    ] = None,
    days: Annotated[int | None, typer.Option(min=1, help="only decisions of the last N days")] = None,
) -> None:
    """Write approved and edited drafts as golden cases (PII redacted) for `triage eval run golden`."""
    import json
    from datetime import UTC, datetime, timedelta

    from sqlmodel import Session

    from app.config import PROJECT_ROOT, get_settings
    from app.evaluation.decisions import export_golden
    from app.services import Services
    from app.setup import migrate

    services = Services(get_settings())
    try:
        migrate(services)
        since = datetime.now(UTC) - timedelta(days=days) if days else None
        with Session(services.engine) as session:
            rows = export_golden(session, since=since)
    finally:
        services.close()
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    out = out or PROJECT_ROOT / "evals" / "golden" / "cases.jsonl"
    if str(out) == "-":
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        typer.echo(f"{len(rows)} golden case(s) written to {out}", err=True)


@eval_cli.command("report")
def report_command(
    run_json: Annotated[Path, typer.Argument(help="a stored run (var/evals/*.json or --json output)")],
    html_out: Annotated[Path, typer.Option("--html", help="where to write the HTML report")],
    baseline: Annotated[Path | None, typer.Option(help="a previous run's JSON to show beside it")] = None,
) -> None:
    """Render the HTML report of a stored run, optionally beside a baseline run (e.g. offline vs openai)."""
    from pydantic import ValidationError

    from app.evaluation.baseline import BaselineError, load_baseline
    from app.evaluation.results import RunResult

    try:
        result = RunResult.model_validate_json(run_json.read_text(encoding="utf-8"))
        previous = load_baseline(baseline) if baseline else None
    except (OSError, ValidationError, BaselineError) as exc:
        _fail(f"cannot read the run: {exc}")
    _write_html(result, previous, html_out)


def _system(settings: Settings) -> tuple[Any, Any]:
    from app.evaluation.judge import HttpJudge
    from app.evaluation.system import MemoEmbedder, from_services
    from app.knowledge.embeddings import get_embedder
    from app.logs import configure_logging
    from app.services import Services
    from app.setup import ensure_ready

    configure_logging("WARNING" if settings.log_level == "INFO" else settings.log_level)
    services = Services(settings, embedder=MemoEmbedder(get_embedder()))
    ensure_ready(services)
    return services, from_services(services, judge=HttpJudge.from_settings(settings))


def _decisions(services: Any) -> dict[str, Any] | None:
    from sqlmodel import Session

    from app.evaluation.decisions import decision_stats

    with Session(services.engine) as session:
        stats = decision_stats(session)
    return stats if stats["overall"]["decisions"] else None


def _write_html(result: RunResult, baseline: dict[str, Any] | None, path: Path) -> None:
    from app.evaluation.report_html import render

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(result, baseline), encoding="utf-8")
    typer.echo(f"report written to {path}", err=True)


def _summary(result: RunResult) -> None:
    width = max((len(n) for n in result.suites), default=5)
    for name, suite in result.suites.items():
        passed = sum(1 for c in suite.checks if c.passed and not c.regressed)
        line = f"{name:<{width}}  {suite.status:<7}  {passed}/{len(suite.checks)} checks  {suite.seconds:>7.1f} s"
        typer.echo(line + (f"  ({suite.reason})" if suite.reason else ""))
    for failure in result.failures:
        typer.echo(f"FAILED {failure}")
    typer.echo(f"{'passed' if result.passed else 'FAILED'} in {result.seconds:.1f} s ({result.provider})")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)
