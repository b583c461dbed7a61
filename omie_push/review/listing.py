"""The runs and one run's rows as plain JSON-ready records: what `omie-push runs` and
`omie-push show` print (text or --json)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..push.report import STATUSES
from . import history, problems, tables
from .source import locate

LAST = "last"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value


def runs(project_dir: str | Path | None = None, limit: int = 20, dry_runs: bool = True) -> dict[str, Any]:
    """{"results": path, "runs": [...newest first], "message": why it is empty}."""
    results = locate(project_dir)
    snap = tables.snapshot(results, last=0, ledger=False)
    listed = []
    for line in history.runs_table(snap, dry_runs=dry_runs, limit=limit).iter_rows(named=True):
        record = {k: _plain(v) for k, v in line.items() if k not in STATUSES}
        record["counts"] = {s: line[s] for s in STATUSES}
        listed.append(record)
    out: dict[str, Any] = {"results": str(results.warehouse or results.path), "runs": listed}
    if not listed:
        out["message"] = results.no_run_message()
    return out


def run_rows(run_id: str, project_dir: str | Path | None = None, statuses: tuple[str, ...] = (),
             view: str | None = None) -> dict[str, Any]:
    """{"run": {...}, "rows": [...]} of one run (`last`: the latest run that was not a dry run)."""
    import polars as pl

    unknown = sorted(set(statuses) - set(STATUSES))
    if unknown:
        raise UsageError(f"unknown status {unknown[0]!r}: use one of {', '.join(STATUSES)}.")
    results = locate(project_dir)
    head = tables.snapshot(results, last=0, ledger=False)
    if head.empty:
        raise UsageError(results.no_run_message())
    wanted = (head.last_run_id() or head.last_run_id(dry_run=True)) if run_id == LAST else run_id
    if head.run(wanted) is None:
        raise UsageError(f"no run {run_id!r} in {results.path}. Fix: `omie-push runs` lists "
                         f"the runs (or use `last`).")
    snap = tables.snapshot(results, last=0, run_ids=(wanted,), ledger=False)
    rows = problems.with_why(snap.rows_of(wanted))
    if statuses:
        rows = rows.filter(pl.col("status").is_in(list(statuses)))
    if view:
        rows = rows.filter((pl.col("view") == view) | (pl.col("endpoint") == view))
    run = {k: _plain(v) for k, v in (snap.run(wanted) or {}).items() if k not in ("counts", "options")}
    run["counts"] = history.totals_of(snap.run(wanted) or {})
    listed = []
    for row in rows.iter_rows(named=True):
        record = {k: _plain(v) for k, v in row.items() if k not in ("run_id", "reasons")}
        record["reasons"] = problems.reasons_of(row["reasons"])
        listed.append(record)
    return {"results": str(results.warehouse or results.path), "run": run, "rows": listed}
