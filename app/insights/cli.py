"""``triage report …``: reports for QA and team leads, printed to stdout (or a file) for scripts and mail."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from app.config import get_settings
from app.insights.period import PeriodError, resolve_period
from app.insights.render import ReportFormat, render
from app.insights.reports import build_service_report
from app.logs import configure_logging
from app.services import Services
from app.setup import migrate

report_cli = typer.Typer(
    help="Reports: service metrics, spikes, repeat complaints and knowledge-base gaps.", no_args_is_help=True
)


@report_cli.command("service")
def service(
    since: Annotated[
        str | None,
        typer.Option(
            help="start (inclusive): ISO date or date-time, UTC unless an offset is given; default: 7 days "
            "before --until"
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(help="end (exclusive); a bare date means the end of that day (UTC); default: now"),
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", help="output format")] = ReportFormat.JSON,
    out: Annotated[Path | None, typer.Option("--out", help="write to FILE instead of stdout", dir_okay=False)] = None,
) -> None:
    """Service report for a period: volumes, flags, response times, SLA, decisions, failures, spikes, gaps."""
    settings = get_settings()
    configure_logging("WARNING" if settings.log_level == "INFO" else settings.log_level)
    services = Services(settings)
    try:
        period = resolve_period(since, until, now=services.clock.now())
    except PeriodError as exc:
        raise typer.BadParameter(exc.problem, param_hint=f"'--{exc.field}'") from exc
    try:
        migrate(services)  # a fresh data directory gets an empty schema, hence an all-zero report, not a crash
        with Session(services.engine) as session:
            report = build_service_report(session, period=period, now=services.clock.now())
    finally:
        services.close()
    title = f"Triage Desk service report, {period.since:%Y-%m-%d %H:%M} to {period.until:%Y-%m-%d %H:%M} UTC"
    text = render(report.model_dump(mode="json"), fmt, title=title)
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    out.write_text(text, encoding="utf-8")
    typer.echo(f"wrote {fmt.value} report to {out}", err=True)
