"""What went wrong, for a person: rejected rows with the expectation, field, value and reason;
Omie's faults grouped by kind, quoted in Omie's Portuguese, with what to do about each; and the
rows that went wrong on several runs in a row.

A fault's kind is the client's own classification (omie_push.client.faults.classify), so the
review names a fault exactly as the sender treated it.
"""
from __future__ import annotations

import json
from typing import Any

from ..push.report import BAD
from .tables import Snapshot

# What to do about each kind of fault (the kinds of client/faults.py).
_RETRY_LATER = ("Omie was busy or its answer was lost; omie-push retried and gave up. Nothing to "
                "fix in the data: push again later (the row is not in the ledger, so it goes "
                "again, and a write that did land is looked up first, not written twice).")
ADVICE = {
    "refused": "Omie refused the record's content: its text names the tag (field) and the rule. "
               "Fix the value in the dbt model or its source, `dbt build`, then `omie-push`.",
    "duplicate_cnpj": "Omie already has a client with this CNPJ/CPF under another integration "
                      "code (typed in by hand, or by another integration). Link it: "
                      "`associate_duplicates: true` in omie_push.yml (or --associate-duplicates), "
                      "or a row in omie_clientes_associar with the Id Omie names; push again.",
    "duplicate_code": "Omie already holds a record with this integration code. If two rows map "
                      "to one code, fix the model; if the ledger lost it (results file removed), "
                      "the record is already in Omie: nothing to resend.",
    "not_found": "Omie does not know a record this row names (a client, category, account, "
                 "project or seller). Push the parent first, or fix the code in the model.",
    "no_records": "Omie found no record for the row's reference. Check the parent exists in Omie "
                  "and the code the row carries.",
    "no_permission": "The app key's user may not make this call in Omie: grant the permission "
                     "in Omie (users and permissions) or use another key.",
    "unknown_tag": "The payload carries a field this Omie call does not know: a column of the "
                   "view is not a field of the endpoint (`omie-push catalog ENDPOINT`).",
    "misuse_block": "Omie blocked this method on the key for misuse (about 30 minutes after 10 "
                    "errored calls). Wait the time Omie names, fix the rows that error, push again.",
    "bad_credentials": "The App Key or App Secret is wrong, or the app is suspended: check the "
                       "target's app_key/app_secret (their environment variables) in omie_push.yml.",
    "bad_url": "Every call fails alike: check the target's base_url and the service path.",
    "no_answer": "The sender gave up on the row without an answer from Omie (see the note).",
}
for _kind in ("redundant", "already_processed", "method_busy", "broken_response", "timeout",
              "rate_limit", "server_error", "connection_lost"):
    ADVICE[_kind] = _RETRY_LATER


def reasons_of(text: str | None) -> list[dict[str, Any]]:
    """A rejected row's validation reasons ([{field, expectation, value, message}])."""
    try:
        reasons = json.loads(text) if text else []
    except ValueError:
        return []
    return [r for r in reasons if isinstance(r, dict)] if isinstance(reasons, list) else []


def why(reasons: str | None, fault: str | None, note: str | None) -> str | None:
    """One line on why a row was not sent: validation reasons, Omie's fault text, or the note."""
    messages = [str(r.get("message") or r.get("expectation")) for r in reasons_of(reasons)]
    return "; ".join(messages) or fault or note


def with_why(rows):
    """The rows with a `why` column (None for rows that went through)."""
    import polars as pl

    texts = [None if status in ("sent", "unchanged") and fault is None else why(r, fault, note)
             for status, r, fault, note in rows.select("status", "reasons", "fault", "note").iter_rows()]
    return rows.with_columns(pl.Series("why", texts, dtype=pl.String))


def rejected_rows(rows, view: str | None = None):
    """One line per reason of each rejected row: view, key, field, value, reason, expectation."""
    import polars as pl

    lines = []
    for row in rows.filter(pl.col("status") == "rejected").iter_rows(named=True):
        if view and row["view"] != view:
            continue
        reasons = reasons_of(row["reasons"]) or [{"message": row["note"]}]
        for r in reasons:
            value = r.get("value")
            lines.append((row["view"], row["key"], r.get("field"),
                          None if value is None else str(value), r.get("message"),
                          r.get("expectation")))
    schema = {"view": pl.String, "key": pl.String, "field": pl.String, "value": pl.String,
              "reason": pl.String, "expectation": pl.String}
    return pl.DataFrame(lines, schema=schema, orient="row")


def fault_kind(fault: str | None, faultcode: str | None) -> str:
    """The client's kind for a recorded fault (Omie answers every fault with HTTP 500)."""
    if not fault:
        return "no_answer"
    from ..client.faults import classify

    found = classify(500, {"faultstring": fault, "faultcode": faultcode or ""})
    return found.kind if found is not None else "refused"


def faults_by_kind(rows, view: str | None = None):
    """Failed rows grouped by kind: how many, in which views, Omie's own texts and codes, and
    what to do."""
    import polars as pl

    failed = rows.filter(pl.col("status") == "failed")
    if view:
        failed = failed.filter(pl.col("view") == view)
    groups: dict[str, dict[str, Any]] = {}
    for row in failed.iter_rows(named=True):
        kind = fault_kind(row["fault"], row["faultcode"])
        group = groups.setdefault(kind, {"rows": 0, "views": set(), "texts": {}, "keys": []})
        group["rows"] += 1
        group["views"].add(row["view"])
        text = row["fault"] or row["note"] or ""
        group["texts"].setdefault(text, row["faultcode"])
        group["keys"].append(row["key"])
    lines = [(kind, g["rows"], ", ".join(sorted(g["views"])),
              "\n".join(t for t in list(g["texts"])[:3]),
              ", ".join(sorted({c for c in g["texts"].values() if c})),
              ", ".join(str(k) for k in g["keys"][:5]) + (" ..." if len(g["keys"]) > 5 else ""),
              ADVICE.get(kind, ADVICE["refused"]))
             for kind, g in sorted(groups.items(), key=lambda kv: -kv[1]["rows"])]
    schema = {"kind": pl.String, "rows": pl.Int64, "views": pl.String, "omie_says": pl.String,
              "faultcode": pl.String, "keys": pl.String, "what_to_do": pl.String}
    return pl.DataFrame(lines, schema=schema, orient="row")


def repeat_failures(snap: Snapshot, at_least: int = 2):
    """Rows not sent (rejected, failed, held, not attempted) on each of their last
    `at_least` or more runs (real runs; a run that did not include the row does not break
    its streak): view, key, runs in a row, since when, last status and why."""
    import polars as pl

    order = snap.real_runs().select("run_id", "started_at")
    rows = snap.rows.join(order, on="run_id").filter(pl.col("key").is_not_null())
    rows = with_why(rows.sort("started_at"))
    rows = rows.with_columns(bad=pl.col("status").is_in(sorted(BAD)),
                             pos=pl.int_range(pl.len()).over("view", "key"))
    last_ok = rows.group_by("view", "key").agg(
        last_ok=pl.col("pos").filter(~pl.col("bad")).max().fill_null(-1))
    streak = rows.join(last_ok, on=["view", "key"]).filter(pl.col("pos") > pl.col("last_ok"))
    found = streak.group_by("view", "key").agg(
        runs_in_a_row=pl.len(), since=pl.col("started_at").min(),
        last_status=pl.col("status").last(), last_run=pl.col("run_id").last(),
        why=pl.col("why").last())
    return (found.filter(pl.col("runs_in_a_row") >= at_least)
            .sort(["runs_in_a_row", "view", "key"], descending=[True, False, False]))


def omie_ids(snap: Snapshot, run_id: str | None = None, view: str | None = None):
    """The Omie ids written back: per record the id Omie gave (the ledger, which dbt's
    `omie_ids` model reads), or those granted in one run."""
    import polars as pl

    if run_id is None:
        ids = snap.ledger.select("endpoint", "key", "omie_id", "run_id", "accepted_at", "company")
        return ids
    rows = snap.rows_of(run_id).filter((pl.col("status") == "sent") & pl.col("omie_id").is_not_null())
    if view:
        rows = rows.filter(pl.col("view") == view)
    return rows.select("endpoint", "view", "key", "omie_id", "omie_status", "recorded_at")
