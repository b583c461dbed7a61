"""`omie-push --dry-run --live`: for each row the plan would send, what Omie holds now.

Per row: `create` (Omie has no record with its integration code) or `update`, and for an
update the fields omie-push sends that would change, Omie's value -> the warehouse's, after
normalising (push/drift_compare.py). Omie's records come, cheapest first, from:

1. the drift check's listing (records changed since the last check: already read);
2. every page of the endpoint's Listar* when that takes fewer calls than one Consultar* per
   remaining row in the ledger (a page holds 500 records);
3. otherwise Consultar* by integration code, for rows Omie accepted before (the ledger).

A row omie-push never sent is not asked for one by one: Consultar* of a record Omie does not
hold is a fault Omie counts towards its 10-error block (omie-api.md §2), so without a full
listing such a row is shown as a create from the ledger (`checked` false). Every read goes
through the run's sender (push/omie_read.py) and is counted in the plan.
"""
from __future__ import annotations

import math
from typing import Any

from ..catalog import Endpoint
from ..catalog.reads import PAGE_SIZE, read_of
from ..client.pacing import is_read, spacing_seconds
from ..client.plan import nominal_latency
from . import omie_read
from .drift_compare import differences, shown


# what a row of an endpoint Omie's records are not read back for does
ACTIONS = {"insert": "create", "upsert": "create", "delete": "delete", "associate": "associate"}


async def preview(ctx, ep: Endpoint, prep, rep, sender, found) -> None:
    """Fill `rep.live` with one entry per row to send, and add the reads to the plan."""
    reading = read_of(ep.name)
    cands = prep.to_send
    if reading is None or sender is None or not cands:
        rep.live = [_entry(c.key, ACTIONS.get(ep.kind, "create"), None, False) for c in cands]
        return
    ledger = ctx.recorder.accepted(ep.name)
    current: dict[str, dict[str, Any]] = dict(found.listed) if found else {}
    missing = [c.key for c in cands if c.key not in current]
    known_missing = [k for k in missing if k in ledger]
    calls, checked_all, errors = 0, False, []
    pages = math.ceil(max(len(ledger) + len(missing), 1) / PAGE_SIZE)
    new_rows = len(missing) > len(known_missing)
    # a full listing when it is cheaper, or at most one call dearer and it checks the creates too
    if missing and (pages < len(known_missing) or (new_rows and pages <= len(known_missing) + 1)):
        listing = await omie_read.list_pages(sender, ep, reading, {})
        calls += listing.calls
        if listing.fault is None:
            checked_all = True
            for record in listing.records:
                code = reading.code_of(record)
                if code is not None and code not in current:
                    current[code] = record
        else:
            errors.append(listing.fault.faultstring)
    if not checked_all:
        for key in known_missing:
            record, fault, n = await omie_read.consult(sender, ep, key)
            calls += n
            if record is not None:
                current[key] = record
            elif fault is not None:
                errors.append(fault.faultstring)
    rep.live = [_row(ep, c, current.get(c.key), checked_all or c.key in current or c.key in ledger)
                for c in cands]
    count(ctx, rep, reading.call, calls)
    if errors:
        rep.live_errors = errors[:5]


def _row(ep: Endpoint, cand, record: dict[str, Any] | None, checked: bool) -> dict[str, Any]:
    if record is None:
        return _entry(cand.key, "create", None, checked)
    changes = [{"field": d.field, "old": shown(d.omie), "new": shown(d.ours)}
               for d in differences(ep, _in_field_order(ep, cand.param), record)]
    return _entry(cand.key, "update", changes, True)


def _in_field_order(ep: Endpoint, param: dict[str, Any]) -> dict[str, Any]:
    """The payload's fields in the catalog's order (a payload parsed from its canonical text
    has them sorted by name): the changes read as the endpoint lists its fields."""
    rank = {f.name: i for i, f in enumerate(ep.fields)}
    return dict(sorted(param.items(), key=lambda item: rank.get(item[0], len(rank))))


def _entry(key: str, action: str, changes, checked: bool) -> dict[str, Any]:
    return {"key": key, "action": action, "changes": changes or [], "checked": checked}


def count(ctx, rep, call: str, calls: int) -> None:
    """The reads join the plan (`calls`/`seconds` of a dry run, and `plan_calls` /
    `plan_seconds`, the plan every run reports): calls, and their seconds at the method's pace."""
    if not calls:
        return
    seconds = read_seconds(call, calls, ctx.settings)
    if ctx.options.dry_run:
        rep.calls = (rep.calls or 0) + calls
        rep.seconds = (rep.seconds or 0.0) + seconds
    rep.plan_calls = (rep.plan_calls or 0) + calls
    rep.plan_seconds = (rep.plan_seconds or 0.0) + seconds


def read_seconds(call: str, calls: int, settings) -> float:
    """Seconds `calls` reads of one method take at its budget and the nominal latency."""
    if calls <= 0:
        return 0.0
    budgets = settings.budgets
    in_flight = budgets.reads_in_flight_per_method if is_read(call) else 1
    latency = nominal_latency(settings)
    interval = max(spacing_seconds(budgets.calls_per_minute_per_method), latency / max(1, in_flight),
                   spacing_seconds(budgets.calls_per_minute_per_ip))
    return (calls - 1) * interval + latency
