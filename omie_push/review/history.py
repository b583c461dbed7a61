"""The runs and their counts: the history `omie-push runs` lists, the counts table per view and
status of one run, and the same counts over runs for a chart."""
from __future__ import annotations

import json
from typing import Any

from ..push.report import STATUSES
from .tables import Snapshot


def counts_of(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A run's recorded counts per view ({} while it runs, or if it crashed before the end)."""
    try:
        counts = json.loads(run.get("counts") or "{}")
    except ValueError:
        return {}
    return counts if isinstance(counts, dict) else {}


def totals_of(run: dict[str, Any]) -> dict[str, int]:
    views = counts_of(run).values()
    return {s: sum(int(v.get(s) or 0) for v in views if isinstance(v, dict)) for s in STATUSES}


def runs_table(snap: Snapshot, dry_runs: bool = True, limit: int | None = None):
    """One line per run, newest first: when, target, company, totals per status, duration,
    outcome; `not_pushed` counts the views a run could not push at all."""
    import polars as pl

    runs = snap.runs if dry_runs else snap.real_runs()
    if limit is not None:
        runs = runs.head(limit)
    lines = []
    for run in runs.iter_rows(named=True):
        counts = counts_of(run)
        lines.append({
            "run_id": run["run_id"], "started_at": run["started_at"], "target": run["target"],
            "company": run["company"], "dry_run": bool(run["dry_run"]), **totals_of(run),
            "not_pushed": sum(1 for v in counts.values() if isinstance(v, dict) and v.get("error")),
            "duration_seconds": run["duration_seconds"], "outcome": run["outcome"],
            "exit_code": run["exit_code"]})
    schema = {"run_id": pl.String, "started_at": pl.Datetime("us"), "target": pl.String,
              "company": pl.String, "dry_run": pl.Boolean, **{s: pl.Int64 for s in STATUSES},
              "not_pushed": pl.Int64, "duration_seconds": pl.Float64, "outcome": pl.String,
              "exit_code": pl.Int32}
    return pl.DataFrame(lines, schema=schema, orient="row") if lines else pl.DataFrame(schema=schema)


def view_counts(snap: Snapshot, run_id: str):
    """Per view of one run: rows by status (a column per status) as the run counted them
    (from its row results while it runs), why a view was not pushed or stopped, and on a dry
    run what it would send: rows, calls and estimated seconds."""
    import polars as pl

    run = snap.run(run_id) or {}
    recorded = counts_of(run)
    found = {(v, s): n for v, s, n in snap.rows_of(run_id).group_by("view", "status").len().iter_rows()}
    views = list(recorded) + sorted({v for v, _ in found} - set(recorded))
    lines = []
    for view in views:
        info = recorded.get(view)
        line: dict[str, Any] = {"view": view}
        line.update({s: int(info.get(s) or 0) if info is not None else found.get((view, s), 0)
                     for s in STATUSES})
        info = info or {}
        line.update(to_send=info.get("to_send"), calls=info.get("calls"),
                    estimated_seconds=info.get("estimated_seconds"),
                    problem=info.get("error") or info.get("stopped"))
        lines.append(line)
    schema = {"view": pl.String, **{s: pl.Int64 for s in STATUSES}, "to_send": pl.Int64,
              "calls": pl.Int64, "estimated_seconds": pl.Float64, "problem": pl.String}
    table = pl.DataFrame(lines, schema=schema, orient="row") if lines else pl.DataFrame(schema=schema)
    return table if run.get("dry_run") else table.drop("to_send", "calls", "estimated_seconds")


def counts_over_runs(snap: Snapshot, dry_runs: bool = False):
    """Long form (run_id, started_at, view, status, rows) over the runs kept: for a chart."""
    import polars as pl

    runs = snap.runs if dry_runs else snap.real_runs()
    lines = []
    for run in runs.iter_rows(named=True):
        for view, info in counts_of(run).items():
            for status in STATUSES:
                n = int((info or {}).get(status) or 0)
                if n:
                    lines.append((run["run_id"], run["started_at"], view, status, n))
    schema = {"run_id": pl.String, "started_at": pl.Datetime("us"), "view": pl.String,
              "status": pl.String, "rows": pl.Int64}
    return pl.DataFrame(lines, schema=schema, orient="row").sort("started_at")
