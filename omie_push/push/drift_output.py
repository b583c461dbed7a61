"""The terminal's summary of drift and of `--dry-run --live` (the JSON carries all of it):
per endpoint the drift found and what waits to be resolved, and per row to send create or
update with the fields that change, Omie's value -> the warehouse's."""
from __future__ import annotations

from collections import Counter

from .report import RunReport

MAX_ROWS = 10          # rows of each endpoint shown with their changes
MAX_FIELDS = 4         # changed fields shown per row
MAX_TEXT = 40


def lines(report: RunReport) -> list[str]:
    return drift_lines(report) + live_lines(report)


def drift_lines(report: RunReport) -> list[str]:
    out = []
    for rep in report.endpoints:
        d = rep.drift
        if not d:
            continue
        if d.get("error"):
            out.append(f"  {rep.view}: {d['error']}")
        if d.get("overwritten_keys"):
            out.append(f"  {rep.view}: sent again, Omie's edit overwritten: "
                       f"{', '.join(d['overwritten_keys'][:5])}")
        if d.get("new") or d.get("unresolved_keys"):
            keys = d.get("unresolved_keys") or []
            shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
            out.append(f"  {rep.view}: {d.get('new', 0)} field(s) changed in Omie found now; "
                       f"unresolved ({d['policy']}): {shown or 'none'}")
    if out:
        out = ["Drift (changed in Omie, not through the API; `omie-push drift` lists it):", *out]
    return out


def live_lines(report: RunReport) -> list[str]:
    out = []
    for rep in report.endpoints:
        if rep.live is None:
            continue
        counts = Counter(r["action"] for r in rep.live)
        unchecked = sum(1 for r in rep.live if not r["checked"])
        head = ", ".join(f"{n} {a}" for a, n in sorted(counts.items())) or "nothing to send"
        note = f" ({unchecked} not looked up: new to the ledger)" if unchecked else ""
        out.append(f"  {rep.view}: {head}{note}")
        updates = [r for r in rep.live if r["action"] == "update"]
        for row in updates[:MAX_ROWS]:
            changes = row["changes"]
            text = "; ".join(f"{c['field']} {_short(c['old'])} -> {_short(c['new'])}"
                             for c in changes[:MAX_FIELDS])
            more = f" (+{len(changes) - MAX_FIELDS} more)" if len(changes) > MAX_FIELDS else ""
            out.append(f"    update {row['key']}: {text or 'no field of ours changes in Omie'}{more}")
        if len(updates) > MAX_ROWS:
            out.append(f"    ... and {len(updates) - MAX_ROWS} more updates (--json lists them all)")
        for err in (rep.live_errors or [])[:2]:
            out.append(f"    a read failed: {err}")
    return ["What Omie holds now (--live):", *out] if out else []


def _short(value) -> str:
    if value is None:
        return "(empty)"
    text = str(value)
    return repr(text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…")
