"""Drift as people read it: the fields someone changed in Omie on records omie-push wrote
(docs/drift.md). Read-only, closed at once, like every reader of the results (source.py);
`omie-push drift` prints it and the review notebook shows it."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from .source import Results, frame, locate, reading, tables_of

COLUMNS = {
    "company": "varchar", "endpoint": "varchar", "key": "varchar", "field": "varchar",
    "our_value": "varchar", "omie_value": "varchar", "changed_by": "varchar",
    "changed_at": "varchar", "found_run_id": "varchar", "found_at": "timestamp",
    "status": "varchar", "resolved_at": "timestamp", "resolved_run_id": "varchar",
}
UNRESOLVED = ("open", "overwrite")
NEXT_STEP = {"open": "omie-push drift --accept {key} | --overwrite {key}",
             "overwrite": "the next omie-push sends the warehouse's value"}


def drift_frame(results: Results, every: bool = False):
    """The drift rows (unresolved only unless `every`), newest first, as a Polars frame."""
    import polars as pl

    empty = pl.DataFrame(schema={n: (pl.Datetime("us") if k == "timestamp" else pl.String)
                                 for n, k in COLUMNS.items()})
    if not results.exists:
        return empty
    with reading(results) as con:
        present = tables_of(con).get("drift")
        if present is None:
            return empty
        parts = [f"cast({n} as {k}) as {n}" if n in present else f"cast(null as {k}) as {n}"
                 for n, k in COLUMNS.items()]
        where = "" if every else f" where status in ({', '.join(repr(s) for s in UNRESOLVED)})"
        return frame(con, f"select {', '.join(parts)} from drift{where} "
                          f"order by found_at desc, endpoint, key, field")


def summary(results: Results):
    """Unresolved drift per endpoint: records, fields, and the latest found."""
    import polars as pl

    rows = drift_frame(results)
    return (rows.group_by("endpoint")
            .agg(pl.col("key").n_unique().alias("records"), pl.len().alias("fields"),
                 pl.col("found_at").max().alias("latest"))
            .sort("endpoint"))


def listing(project_dir: str | Path | None = None, every: bool = False) -> dict[str, Any]:
    """{"results": path, "drift": [...], "message": ...} for `omie-push drift [--json]`."""
    results = locate(project_dir)
    rows = []
    for line in drift_frame(results, every).iter_rows(named=True):
        record = {k: (v.isoformat(sep=" ", timespec="seconds") if isinstance(v, datetime) else v)
                  for k, v in line.items()}
        step = NEXT_STEP.get(record["status"])
        record["next"] = step.format(key=record["key"]) if step else None
        rows.append(record)
    out: dict[str, Any] = {"results": str(results.path), "drift": rows}
    if not rows:
        out["message"] = ("No drift: no field omie-push sent was changed in Omie since it was "
                          "accepted (as far as the last runs' checks saw)." if not every
                          else "No drift recorded yet.")
    return out
