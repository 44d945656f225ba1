"""``triage model``: refit the risk-flag model from the shipped corpus plus specialists' corrections.

``train`` never replaces the current model with one whose recall on any critical flag is lower on the held-back
test split (both models are scored on the same rows); it exits 2 and says which flag dropped. ``--ship`` writes
the file into the package instead (for the project's own releases: the model a fresh clone starts with).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import Session

from app.config import PROJECT_ROOT, Settings, get_settings
from app.knowledge.multilingual_embeddings import embedder_named
from app.logs import configure_logging
from app.triage.flag_classifier import FlagModelParams, ModelFileError
from app.triage.flag_corpus import FlagExample, Split, by_split, corpus_digest, load_corpus
from app.triage.flag_training import critical_recall_drops, evaluate, train
from app.triage.model_store import FlagModelStore, shipped_folder
from app.triage.public_corpus import public_rows

DEFAULT_EMBEDDER = "use-multilingual-v3"

model_cli = typer.Typer(help="The risk-flag model: train, inspect, roll back.", no_args_is_help=True)


def _out(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, default=str, ensure_ascii=False, indent=2) + "\n")


def store_for(settings: Settings) -> FlagModelStore:
    return FlagModelStore(settings.data_dir / "models", embedder_named)


def _corrections(settings: Settings) -> tuple[list[FlagExample], int]:
    """Corrections from the database (and the newest one's id), when there is one; a fresh clone has none."""
    from app.db import make_engine
    from app.migrate import upgrade
    from app.triage.corrections import all_corrections, as_examples

    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return [], 0
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            found = all_corrections(session)
            return as_examples(found), max((c.id or 0 for c in found), default=0)
    finally:
        engine.dispose()


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    return {
        "critical": {k: report["critical"][k] for k in ("precision", "recall", "precision_ci", "recall_ci")},
        "hard_negatives_falsely_critical": report["hard_negatives_falsely_critical"],
        "public_ordinary_falsely_critical": report.get("public_ordinary_falsely_critical"),
        "public_unseen_attack_kinds_found": report.get("public_unseen_attack_kinds_found"),
        "recall": {flag: row["recall"] for flag, row in report["per_flag"].items()},
        "precision": {flag: row["precision"] for flag, row in report["per_flag"].items()},
        "critical_by_language": {
            lang: {"precision": row["precision"], "recall": row["recall"]}
            for lang, row in report["critical_by_language"].items()
        },
    }


@model_cli.command("train")
def train_command(
    embedder: Annotated[str, typer.Option(help="Embedder name, or two joined by '+'")] = DEFAULT_EMBEDDER,
    ship: Annotated[bool, typer.Option(help="Write the model into the package (the fresh-clone default)")] = False,
    corrections: Annotated[bool, typer.Option(help="Learn from specialists' corrections in the database")] = True,
    public_data: Annotated[
        Path | None, typer.Option(help="The public sets (default ../shared/data; skipped when absent)")
    ] = None,
    use_public: Annotated[bool, typer.Option("--public/--no-public", help="Learn from the public sets")] = True,
) -> None:
    """Fit, calibrate and threshold a new model; score it on the test split; install it if it is no worse."""
    settings = get_settings()
    configure_logging("WARNING")
    started = time.perf_counter()
    rows = load_corpus()
    learned, through_id = _corrections(settings) if corrections and not ship else ([], 0)
    public_dir = public_data or PROJECT_ROOT.parent / "shared" / "data"
    hosts = [r.text for r in rows if r.kind == "ordinary" and r.source == "corpus" and r.split is Split.TRAIN]
    public = public_rows(public_dir, hosts=hosts) if use_public and public_dir.is_dir() else []
    rows = rows + learned + public
    version = f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{corpus_digest(rows)[:8]}"
    trained = train(
        rows,
        embedder_named(embedder),
        version=version,
        extra_meta={"corrections_through_id": through_id, "public_rows": dict(Counter(r.source for r in public))},
    )
    result: dict[str, Any] = {
        "version": version,
        "embedder": embedder,
        "rows": len(rows),
        "corrections": len(learned),
        "public_rows": len(public),
        "seconds": round(time.perf_counter() - started, 1),
        "test": _summary(trained.test_report),
    }
    params = trained.classifier.params
    if ship:
        folder = shipped_folder()
        for old in folder.glob("flags-*.npz"):
            old.unlink()
        params.save(folder / f"flags-{version}.npz")
        result["installed"] = str(folder / f"flags-{version}.npz")
        _out(result)
        return
    store = store_for(settings)
    try:
        current = store.current()
    except ModelFileError:
        current = None
    if current is not None:
        test_rows = by_split(rows)[Split.TEST]
        current_report = evaluate(current, test_rows)
        drops = critical_recall_drops(trained.test_report, current_report)
        result["replaces"] = current.version
        if drops:
            result["refused"] = f"critical recall would drop: {', '.join(drops)}"
            _out(result)
            raise typer.Exit(2)
    result["installed"] = str(store.install(params))
    _out(result)


@model_cli.command("show")
def show_command() -> None:
    """The current model: version, embedder, training data and its test-split scores."""
    store = store_for(get_settings())
    try:
        path = store.current_path()
        params = FlagModelParams.load(path)
    except ModelFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    meta = params.meta
    _out(
        {
            "version": params.version,
            "file": str(path),
            "embedder": params.embedder,
            "thresholds": dict(zip(params.flags, [round(float(t), 3) for t in params.thresholds], strict=True)),
            "corpus_rows": meta.get("corpus_rows"),
            "corrections": meta.get("corrections"),
            "test": _summary(meta["test"]) if "test" in meta else None,
        }
    )


@model_cli.command("list")
def list_command() -> None:
    """Installed model versions (newest last) and the current one."""
    store = store_for(get_settings())
    try:
        current: str | None = FlagModelParams.load(store.current_path()).version
    except ModelFileError:
        current = None
    _out({"current": current, "installed": store.versions()})


@model_cli.command("use")
def use_command(version: str) -> None:
    """Make an installed version current again (a rollback)."""
    try:
        store_for(get_settings()).use(version)
    except ModelFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    _out({"current": version})
