"""Drift: fields someone changed in Omie's screens on records omie-push wrote (docs/drift.md).

Each run, before an endpoint is prepared, `check` lists the records Omie changed since the
last check (Listar* with `filtrar_por_data_de`/`filtrar_por_hora_de` from the latest
alteration seen, 500 a page), keeps those omie-push wrote (in the ledger) whose last change
was not made through the API (`uAlt` is not "WEBSERVICE"), compares the fields omie-push sent
(the accepted payload) and records each difference in the `drift` table. With nothing
changed that is one List page per endpoint and company. The window starts at the latest
alteration Omie itself stamped, in Omie's clock: no time zone is guessed, and the record that
set it keeps the next answer from being empty (an empty page is a fault Omie counts towards
its 10-error block). The very first check of an endpoint, and the one after an empty answer,
starts the day before its first accepted record.

Per endpoint, `meta.omie.drift` says what a drifted row does:
- `report` (default): recorded and shown; the row is sent as usual when the warehouse changed;
- `hold`: a row with open drift is held until `omie-push drift --accept KEY | --overwrite KEY`;
- `overwrite`: the warehouse wins: the row is sent again even if the warehouse did not change.
"""
from __future__ import annotations

import asyncio

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..catalog import Endpoint
from ..catalog.reads import API_USER, ListRead, read_of
from ..errors import ProjectError
from ..store.drift import OPEN, OVERWRITE, OVERWRITTEN, DriftRow, DriftStore
from ..store.ledger import RowRecord, now
from . import live, omie_read
from .drift_compare import differences, shown

POLICIES = ("report", "hold", "overwrite")
STAMP = "%d/%m/%Y %H:%M:%S"


@dataclass
class EndpointDrift:
    """What the drift check of one endpoint found, and what it cost."""

    policy: str
    listed: dict[str, dict[str, Any]] = field(default_factory=dict)   # code -> record changed since
    found: list[DriftRow] = field(default_factory=list)               # differences seen this run
    new: int = 0                                                      # of which not recorded before
    unresolved: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # key -> drift rows
    calls: int = 0
    since: str | None = None
    error: str | None = None
    checked: bool = False
    refusal: ProjectError | None = None      # a bad meta.omie.drift: the endpoint is not pushed
    held: set[str] = field(default_factory=set)   # rows held for their drift (Omie has them)
    skipped: str | None = None                    # why this run did not list (policy report)

    def summary(self) -> dict[str, Any]:
        out = {"policy": self.policy, "checked": self.checked, "calls": self.calls,
               "since": self.since, "found": len(self.found), "new": self.new,
               "unresolved_keys": sorted(self.unresolved)}
        if self.error:
            out["error"] = self.error
        if self.skipped:
            out["skipped"] = self.skipped
        return out


def policy_of(ep: Endpoint, models) -> str:
    """The main view's meta.omie.drift (default report); anything else is refused by name."""
    model = next((m for m in models if m.view == ep.view), None)
    value = (model.meta.get("drift") if model is not None else None) or "report"
    if value not in POLICIES:
        raise ProjectError(f"model {model.name}: meta.omie.drift is {value!r}. "
                           f"Fix: set it to one of {', '.join(POLICIES)} (or leave it out: report).")
    return str(value)


def store_of(ctx) -> DriftStore:
    return DriftStore(ctx.recorder.con, ctx.recorder.company)


async def check(ctx, ep: Endpoint, rep, sender, accepted) -> EndpointDrift | None:
    """Before prepare: the endpoint's policy and the drift recorded before (None where Omie's
    records cannot be read back). `hold` and `overwrite` decide what is sent, so they list
    Omie's changes now, every run; `report` lists them after prepare (`check_after`).
    `accepted`: the endpoint's ledger as a frame (the run reads it once for this and prepare)."""
    reading = read_of(ep.name)
    if reading is None:
        return None
    try:
        found = EndpointDrift(policy_of(ep, ctx.models))
    except ProjectError as exc:
        return EndpointDrift("report", refusal=exc)
    if found.policy != "report":
        await _look(ctx, ep, reading, sender, accepted, found)
    else:
        await _unresolved(ctx, ep, found)
    rep.drift = found.summary()
    return found


async def check_after(ctx, ep: Endpoint, rep, sender, accepted, found: EndpointDrift | None,
                      prep) -> None:
    """Policy `report`, after prepare: Omie's changes are listed when this run writes rows of
    the endpoint (a hand edit is recorded before the write overwrites it), with --live, or
    when the last check is older than the target's `drift_check_minutes`. A run with nothing
    to write between checks makes no call (issue 16: nothing changed, nothing asked). The
    default (0) lists on every run: a hand edit shows at the next run."""
    if found is None or found.refusal is not None or found.policy != "report":
        return
    writes = bool(prep.to_send) or prep.streamed > 0
    if not (writes or ctx.options.live):
        minutes = await asyncio.to_thread(store_of(ctx).minutes_since_check, ep.name)
        every = ctx.settings.drift_check_minutes
        if every > 0 and minutes is not None and minutes < every:
            found.skipped = (f"not due: nothing to write, last checked {minutes:.0f} min ago "
                             f"(drift_check_minutes: {every:g})")
            rep.drift = found.summary()
            return
    await _look(ctx, ep, read_of(ep.name), sender, accepted, found)
    rep.drift = found.summary()


async def _look(ctx, ep: Endpoint, reading: ListRead, sender, accepted,
                found: EndpointDrift) -> None:
    """List what Omie changed since the last check (a dry run counts the page in its plan),
    then read the drift still unresolved."""
    ledger = set(accepted["key"].to_list())
    if ledger and sender is not None:
        try:
            await _list_changes(ctx, ep, reading, store_of(ctx), ledger, found, sender)
        except Exception as exc:  # noqa: BLE001 - a check that breaks must not stop the push
            found.error = f"drift not checked this run: {type(exc).__name__}: {exc}"
    elif ledger:
        found.calls = 1          # a dry run without --live: the plan counts the one page
    elif sender is not None and not ctx.options.dry_run:
        # Nothing of ours in Omie before this run: nothing could drift. Recorded as a check
        # (no call), so the next run's cadence counts from here; the window still starts the
        # day before the first record Omie accepts.
        store = store_of(ctx)
        await asyncio.to_thread(lambda: store.checked(ep.name, store.since(ep.name), ctx.run_id,
                                                      now(), 0))
    await _unresolved(ctx, ep, found)


async def _unresolved(ctx, ep: Endpoint, found: EndpointDrift) -> None:
    # the results are read in a thread: each read opens the file, and waits while another
    # endpoint's view is being read; the event loop paces the other endpoints' calls meanwhile
    found.unresolved = {}
    for row in await asyncio.to_thread(store_of(ctx).unresolved, ep.name):
        found.unresolved.setdefault(row["key"], []).append(row)


async def _list_changes(ctx, ep: Endpoint, reading: ListRead, store: DriftStore,
                        ledger: set[str], found: EndpointDrift, sender) -> None:
    since = await asyncio.to_thread(lambda: store.since(ep.name) or _first_since(store, ep.name))
    day, _, hour = since.partition(" ")
    filters = {"filtrar_por_data_de": day, **({"filtrar_por_hora_de": hour} if hour else {})}
    listing = await omie_read.list_pages(sender, ep, reading, filters)
    found.calls, found.since = listing.calls, since
    if listing.fault is not None:
        found.error = (f"{reading.call} answered {listing.fault.faultstring!r}: drift not "
                       f"checked this run")
        return
    found.checked = True

    def write() -> None:
        """In a thread: a listing of thousands of records is parsed and compared here, not
        on the event loop (issue 16: it stalled the loop for half a second)."""
        latest = _take(ep, reading, store, ledger, found, listing.records, since)
        at = now()
        found.new = store.record(found.found, ctx.run_id, at)
        # Nothing listed (the record that set the window's start was deleted in Omie): start
        # again from the first day, or every later check would meet the same empty-page fault.
        store.checked(ep.name, latest if listing.records else None, ctx.run_id, at, listing.calls)

    await asyncio.to_thread(write)


def _take(ep: Endpoint, reading: ListRead, store: DriftStore, ledger: set[str],
          found: EndpointDrift, records: list[dict[str, Any]], since: str) -> str:
    """Keep the listed records that are ours, with their differences; the latest stamp."""
    latest, latest_moment = since, _moment(since)
    for record in records:
        code = reading.code_of(record)
        who, d, h = reading.stamp_of(record)
        if d:
            stamp = f"{d} {h or '00:00:00'}"
            if stamp != latest and (moment := _moment(stamp)) > latest_moment:
                latest, latest_moment = stamp, moment
        if code is None or code not in ledger:
            continue
        found.listed[code] = record
        if who and who != API_USER:
            found.found += _differences(ep, store, code, record, who, f"{d} {h or ''}".strip())
    return latest


def _differences(ep: Endpoint, store: DriftStore, code: str, record: dict[str, Any],
                 who: str, when: str) -> list[DriftRow]:
    sent = store.accepted_payloads(ep.name, [code]).get(code)
    if sent is None:
        return []
    return [DriftRow(ep.name, code, d.field, shown(d.ours), shown(d.omie), who, when)
            for d in differences(ep, sent, record)]


def _first_since(store: DriftStore, endpoint: str) -> str:
    """The day before the first record of the endpoint Omie accepted: a day covers any gap
    between this machine's clock (UTC) and the time zone Omie stamps in."""
    row = store.con.execute("select min(accepted_at) from ledger where company = ? and endpoint = ?",
                            [store.company, endpoint]).fetchone()
    first = row[0] if row and row[0] else now()
    return (first - timedelta(days=1)).strftime("%d/%m/%Y") + " 00:00:00"


def _moment(stamp: str) -> datetime:
    try:
        return datetime.strptime(stamp, STAMP)
    except ValueError:
        return datetime.min


# ---- the policies, around prepare and deliver ------------------------------------------
def ledger_for(ledger, found: EndpointDrift | None):
    """The ledger (a frame of key, payload_hash, omie_id) as prepare sees it: a row the warehouse must win for (policy overwrite, or
    `omie-push drift --overwrite KEY`) reads as never accepted, so it is sent again."""
    if found is not None and found.refusal is not None:
        raise found.refusal
    if not found:
        return ledger
    forced = {key for key, rows in found.unresolved.items()
              if any(r["status"] == OVERWRITE or (found.policy == "overwrite" and r["status"] == OPEN)
                     for r in rows)}
    if not forced:
        return ledger
    import polars as pl

    return ledger.filter(~pl.col("key").is_in(pl.Series(sorted(forced), dtype=pl.String).implode()))


def hold(prep, found: EndpointDrift | None) -> None:
    """Policy hold: a row to send whose record has open drift is held, naming the drift."""
    if not found or found.policy != "hold":
        return
    keep = []
    for cand in prep.to_send:
        rows = [r for r in found.unresolved.get(cand.key, []) if r["status"] == OPEN]
        if not rows:
            keep.append(cand)
            continue
        found.held.add(cand.key)
        what = "; ".join(f"{r['field']} is {r['omie_value']!r} in Omie (ours {r['our_value']!r}, "
                         f"changed by {r['changed_by']} at {r['changed_at']})" for r in rows[:3])
        prep.known.append(RowRecord(prep.endpoint.name, prep.view, cand.key, "held",
                                    payload_hash=cand.payload_hash, payload=cand.param,
                                    note=f"drift: {what}. Resolve with `omie-push drift --accept "
                                         f"{cand.key}` (keep Omie's) or `--overwrite {cand.key}`"))
    prep.to_send = keep


async def after_deliver(ctx, ep: Endpoint, prep, rep, sender, found: EndpointDrift | None) -> None:
    """A dry run: the check's reads join the plan, and with --live each row's create/update.
    A push: rows sent carry the warehouse's values into Omie, so their drift is overwritten.
    A row held for its drift is in Omie already: rows naming it as their parent go on."""
    if found is not None and found.held:
        ctx.bad_keys.get(ep.name, set()).difference_update(found.held)
    reading = read_of(ep.name)
    if found is not None and found.calls and reading is not None:
        live.count(ctx, rep, reading.call, found.calls)
    if ctx.options.dry_run:
        if ctx.options.live:
            await live.preview(ctx, ep, prep, rep, sender, found)
        return
    if not found or not found.unresolved:
        return
    bad = ctx.bad_keys.get(ep.name, set())
    store, at = store_of(ctx), now()
    overwritten = []
    for cand in prep.to_send:
        if cand.key in found.unresolved and cand.key not in bad:
            store.resolve(cand.key, OVERWRITTEN, at, ctx.run_id, endpoint=ep.name)
            found.unresolved.pop(cand.key)
            overwritten.append(cand.key)
    if overwritten:
        rep.drift = {**found.summary(), "overwritten_keys": sorted(overwritten)}
