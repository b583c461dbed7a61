"""The next run, before it happens: the push's own dry run for a view (push.dry_run.plan),
read back from the results it recorded: which rows are new, changed, unchanged, rejected or
held, the calls and the time it will take, each row's payload exactly as it would be sent,
and a field-by-field diff against the payload Omie last accepted for that key."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..push.drift_compare import flatten
from . import problems, tables
from .source import Results, locate

PLAN_COLUMNS = ("new", "changed", "unchanged", "rejected", "held", "to_send", "calls",
                "estimated_seconds")


@dataclass
class Plan:
    """A dry run of one view, and what it recorded."""

    report: Any                 # push.report.RunReport, as `omie-push --dry-run` reports it
    results: Results
    company: str | None
    endpoint: str
    view: str
    rows: Any                   # the dry run's row results, with `why` and `change`

    @property
    def run_id(self) -> str:
        return self.report.run_id

    def table(self):
        """Per view of the endpoint: new, changed, unchanged, rejected, held, and for the
        endpoint's main view the rows to send, calls and estimated seconds."""
        import polars as pl

        ep = next(e for e in self.report.endpoints if e.view == self.view)
        lines = []
        for view, counts in ep.view_counts().items():
            mine = self.rows.filter(pl.col("view") == view)
            count = {c: mine.filter(pl.col("change") == c).height for c in ("new", "changed")}
            main = view == ep.view
            lines.append((view, count["new"], count["changed"], counts["unchanged"],
                          counts["rejected"], counts["held"], ep.to_send if main else None,
                          ep.calls if main else None, ep.seconds if main else None))
        schema = {"view": pl.String, **{c: pl.Int64 for c in PLAN_COLUMNS[:-1]},
                  "estimated_seconds": pl.Float64}
        return pl.DataFrame(lines, schema=schema, orient="row")

    @property
    def error(self) -> str | None:
        ep = next((e for e in self.report.endpoints if e.view == self.view), None)
        return ep.error if ep else None

    def rejected(self):
        return problems.rejected_rows(self.rows)

    def live(self):
        """With `live`: per row to send, create or update and each field that changes in
        Omie, old -> new (one line per field; an update with none says so). None without it."""
        import polars as pl

        ep = next((e for e in self.report.endpoints if e.view == self.view), None)
        if ep is None or ep.live is None:
            return None
        lines = []
        for row in ep.live:
            for change in row["changes"] or [None]:
                lines.append((row["key"], row["action"], row["checked"],
                              change and change["field"], change and change["old"],
                              change and change["new"]))
        schema = {"key": pl.String, "action": pl.String, "looked_up": pl.Boolean,
                  "field": pl.String, "omie_now": pl.String, "to_send": pl.String}
        return pl.DataFrame(lines, schema=schema, orient="row")

    def payload(self, view: str, key: str) -> tuple[dict | None, dict | None]:
        """(the payload as this run would send it, the payload Omie last accepted)."""
        sent = tables.payloads(self.results, self.run_id, view, [key]).get((view, key))
        accepted = None
        if self.company is not None:
            accepted = tables.accepted_payloads(self.results, self.company, self.endpoint,
                                                [key]).get(key)
        return sent, accepted


def views_of(project_dir: str | Path | None = None) -> list[str]:
    """The endpoints' main views the dbt project builds, in push order (one per endpoint)."""
    from ..catalog import get
    from ..dbt.project import DbtProject

    return [m.view for m in DbtProject(project_dir).omie_models() if get(m.endpoint).view == m.view]


def plan_view(view: str, project_dir: str | Path | None = None, target: str | None = None,
              profiles_dir: str | Path | None = None, full_refresh: bool = False,
              live: bool = False) -> Plan:
    """The dry run of one view's endpoint, as `omie-push --dry-run --select VIEW` makes it
    (`live`: `--dry-run --live`, reading Omie's current records through the push's sender)."""
    import polars as pl

    from ..catalog import find_view
    from ..push.dry_run import plan

    endpoint = find_view(view)[0]
    report = plan(project_dir, profiles_dir, target, select=(endpoint.view,),
                  full_refresh=full_refresh, live=live)
    results = locate(project_dir)
    snap = tables.snapshot(results, last=0, run_ids=(report.run_id,))
    run = snap.run(report.run_id) or {}
    rows = problems.with_why(snap.rows_of(report.run_id))
    known = snap.ledger.filter((pl.col("company") == run.get("company"))
                               & (pl.col("endpoint") == endpoint.name))["key"].to_list()
    rows = rows.with_columns(change=pl.when(pl.col("status") != "not_attempted").then(pl.col("status"))
                             .when(pl.col("key").is_in(known)).then(pl.lit("changed"))
                             .otherwise(pl.lit("new")))
    return Plan(report, results, run.get("company"), endpoint.name, endpoint.view, rows)


def compare(accepted: dict | None, to_send: dict | None):
    """Field by field: the accepted value, the value to send, and what changed."""
    import polars as pl

    old, new = (flatten(accepted or {}, empty_objects=False),
                flatten(to_send or {}, empty_objects=False))
    lines = []
    for path in list(dict.fromkeys([*new, *old])):
        before, after = old.get(path), new.get(path)
        if path not in old:
            change = "added"
        elif path not in new:
            change = "removed"
        else:
            change = "same" if before == after else "changed"
        lines.append((path, _text(before) if path in old else None,
                      _text(after) if path in new else None, change))
    schema = {"field": pl.String, "accepted": pl.String, "to_send": pl.String, "change": pl.String}
    return pl.DataFrame(lines, schema=schema, orient="row")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
