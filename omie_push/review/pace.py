"""Calls spent against Omie's budget, and a run's pace, read from what the run recorded.

The results store keeps no per-call log: each answered row has its `attempts` (the write calls
made for it) and `recorded_at` (when its answer was written, right after Omie answered). So a
call is placed at its row's `recorded_at`; a lot (UpsertContaReceberPorLote, rows noted
"lot N") is one call per attempt, at the time its first row was recorded. Look-ups made after
a lost answer are not recorded and not counted. Omie counts per app key and method over a
minute (omie-api.md §2): the pace is the calls of the trailing 60 seconds, against that line.
"""
from __future__ import annotations

import re

from ..catalog import get as endpoint_of
from ..catalog import limits

_LOT = re.compile(r"^lot (\d+)(?:$|:)")
PER_METHOD = limits.CALLS_PER_MINUTE_PER_METHOD
PER_IP = limits.CALLS_PER_MINUTE_PER_IP


def calls_of(rows):
    """The write calls of one run's rows: (at, method, endpoint, calls, failed)."""
    import polars as pl

    answered = rows.filter(pl.col("attempts").fill_null(0) > 0)
    lots: dict[tuple[str, str], list] = {}
    lines = []
    for row in answered.iter_rows(named=True):
        ep = endpoint_of(row["endpoint"])
        lot = _LOT.match(row["note"] or "")
        if lot and ep.batch_call:
            at, attempts = lots.get((row["endpoint"], lot.group(1)), (row["recorded_at"], 0))
            lots[(row["endpoint"], lot.group(1))] = (min(at, row["recorded_at"]),
                                                      max(attempts, row["attempts"]))
            continue
        lines.append((row["recorded_at"], ep.call, ep.name, int(row["attempts"]),
                      int(row["status"] == "failed")))
    for (name, _), (at, attempts) in lots.items():
        lines.append((at, endpoint_of(name).batch_call, name, int(attempts), 0))
    schema = {"at": pl.Datetime("us"), "method": pl.String, "endpoint": pl.String,
              "calls": pl.Int64, "failed": pl.Int64}
    return pl.DataFrame(lines, schema=schema, orient="row").sort("at")


def pace(rows, started_at=None):
    """Per call: seconds since the run started, and the calls of the trailing 60 s for its
    method and for the whole key (what Omie counts against 240/min per method, 960/min per IP)."""
    import polars as pl

    calls = calls_of(rows)
    if calls.height == 0:
        return calls.with_columns(seconds=pl.lit(None, pl.Float64), per_minute=pl.lit(None, pl.Int64),
                                  all_methods=pl.lit(None, pl.Int64))
    start = started_at or calls["at"].min()
    by_method = calls.rolling("at", period="60s", group_by="method").agg(
        per_minute=pl.col("calls").sum(), endpoint=pl.col("endpoint").last())
    overall = calls.rolling("at", period="60s").agg(all_methods=pl.col("calls").sum())
    out = by_method.join(overall.unique("at", keep="last"), on="at", how="left")
    return out.with_columns(seconds=(pl.col("at") - start).dt.total_microseconds() / 1e6).sort("at")


def budget(rows, started_at=None):
    """Per method: calls spent, failed rows, the span, the average pace and the busiest
    minute, beside Omie's budget per method."""
    import polars as pl

    calls = calls_of(rows)
    if calls.height == 0:
        schema = {"method": pl.String, "endpoint": pl.String, "calls": pl.Int64,
                  "failed_rows": pl.Int64, "seconds": pl.Float64, "average_per_minute": pl.Float64,
                  "busiest_minute": pl.Int64, "budget_per_minute": pl.Int64}
        return pl.DataFrame(schema=schema)
    peaks = pace(rows, started_at).group_by("method").agg(busiest_minute=pl.col("per_minute").max())
    spans = calls.group_by("method").agg(
        endpoint=pl.col("endpoint").first(), calls=pl.col("calls").sum(),
        failed_rows=pl.col("failed").sum(),
        seconds=(pl.col("at").max() - pl.col("at").min()).dt.total_microseconds() / 1e6)
    spans = spans.with_columns(average_per_minute=pl.when(pl.col("seconds") > 0)
                               .then((pl.col("calls") - 1) / pl.col("seconds") * 60).otherwise(None))
    return (spans.join(peaks, on="method")
            .with_columns(budget_per_minute=pl.lit(PER_METHOD, pl.Int64))
            .select("method", "endpoint", "calls", "failed_rows", "seconds", "average_per_minute",
                    "busiest_minute", "budget_per_minute")
            .sort("calls", descending=True))
