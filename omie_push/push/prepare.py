"""One endpoint's rows before any call: read, check, validate, build payloads, hold, diff.

The outcome is a `Prepared`: the items to send and the row results already known (rejected,
held), plus the rows recorded in bulk on the way (unchanged rows; a dry run's rows that would be
sent). Nothing here talks to Omie, so a dry run is this module plus an estimate. A view of one
endpoint is prepared as frames a slice at a time (push.batches); Contratos, fed by three views
nested into one payload, row by row (below).
"""
from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any, Callable

from ..catalog import Endpoint
from ..store.ledger import LedgerEntry, RowRecord
from . import diff, payload


class Candidate:
    """A row that passed validation, shaped for Omie: its key, its payload's hash, and the
    payload, kept as its canonical JSON text and parsed only when asked for (a million rows to
    send cost their texts, not a million dicts)."""

    __slots__ = ("key", "payload_hash", "text", "_param")

    def __init__(self, key: str, param: dict[str, Any] | None = None,
                 payload_hash: str | None = None, *, text: str | None = None):
        self.key, self.payload_hash, self.text, self._param = key, payload_hash, text, param

    @property
    def param(self) -> dict[str, Any]:
        if self._param is None:
            self._param = json.loads(self.text)
        return self._param


@dataclass
class Settle:
    """What the run does with each slice as it is prepared (push.run builds it)."""

    record: Callable[[str, str, Any], None]        # (view, status, frame): one insert
    hold: Callable[["Prepared"], None]             # the run's holds (drift, parents, refusals)
    stream: bool = False      # a dry run: a slice's rows to send are recorded now, not kept
    judge: Callable | None = None                  # GX on a frame, in its worker (a Future)
    holdable: Callable[[], set[str] | None] | None = None   # keys `hold` may touch (None: any)


@dataclass
class Prepared:
    endpoint: Endpoint
    view: str
    to_send: list[Candidate] = field(default_factory=list)
    known: list[RowRecord] = field(default_factory=list)   # rejected / held
    bulk: Counter = field(default_factory=Counter)    # (view, status) -> rows recorded in bulk
    streamed: int = 0         # a dry run's rows to send, recorded slice by slice (not in to_send)
    timings: Counter = field(default_factory=Counter)   # seconds per stage (--json timings)


def reasons_of(rejected) -> list[dict[str, Any]]:
    out = []
    for reason in getattr(rejected, "reasons", []) or []:
        data = asdict(reason) if is_dataclass(reason) else dict(reason)
        out.append({k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v))
                    for k, v in data.items()})
    return out


DRY_RUN_NOTE = "dry run: would be sent"
# A dry run keeps the payloads of this many rows to send per view (the preview notebook shows
# them); past it, a row to send is recorded with its key and hash only. A million-row first
# dry run would otherwise write every payload into the results file (~0.5 KB a row, tens of
# seconds and hundreds of MB on each dry run) for a preview nobody reads past its first pages.
DRY_RUN_PAYLOADS = 10_000
DRY_RUN_NOTE_UNKEPT = (f"dry run: would be sent (payload not kept: a dry run keeps the "
                       f"payloads of its first {DRY_RUN_PAYLOADS:,} rows to send per view)")


def entries(ledger) -> dict[str, LedgerEntry]:
    """The ledger frame as the row path reads it."""
    return {key: LedgerEntry(h, oid) for key, h, oid in
            ledger.select("key", "payload_hash", "omie_id").iter_rows()}


def validated(view: str, frame, judge: Callable | None = None, waits: list | None = None
              ) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], list]]]:
    """(valid rows, [(rejected row, reasons)]) through the view's schema check and suite; GX
    judges the same rows in its worker (`judge`), its verdict awaited from `waits`."""
    from ..validate import check_schema, validate_view

    check_schema(view, frame)
    result = validate_view(view, frame, judge=False)
    if judge is not None and waits is not None:
        waits.append((view, judge(view, frame)))
    rows = frame.to_dicts()
    rejected = [(rows[r.row_index], reasons_of(r)) for r in result.rejected]
    return result.valid.to_dicts(), rejected


def prepare_rows(endpoint: Endpoint, frames: dict[str, Any], ledger: dict[str, LedgerEntry],
                 blocked: Callable[[tuple[str, ...], str], bool], full_refresh: bool,
                 settle: Settle | None = None) -> Prepared:
    """Row by row, for an endpoint fed by several views (Contratos: header, items, departments
    nested into one payload); its views are small."""
    from ..validate import gx_worker

    main = endpoint.view
    prep = Prepared(endpoint, main)
    judge, waits = (settle.judge if settle else None), []
    valid, rejected = validated(main, frames[main], judge, waits)
    for row, reasons in rejected:
        prep.known.append(RowRecord(endpoint.name, main, diff.key_of(endpoint, row), "rejected",
                                    reasons=reasons, note="refused by validation"))
    children, child_refusals = _children(endpoint, frames, prep, judge, waits)
    seen: set[str] = set()
    for row in valid:
        key = diff.key_of(endpoint, row)
        if key is None:
            prep.known.append(reject(endpoint, main, None, "key", "the row has no integration key"))
            continue
        if key in seen:
            prep.known.append(reject(endpoint, main, key, "key", f"{key!r} appears twice in the view"))
            continue
        seen.add(key)
        if key in child_refusals:
            prep.known.append(reject(endpoint, main, key, "children", child_refusals[key]))
            continue
        try:
            param = payload.build(endpoint, row, children.get(key))
        except payload.PayloadError as exc:
            prep.known.append(reject(endpoint, main, key, exc.field, str(exc), exc.value))
            continue
        _decide(prep, Candidate(key, param, diff.payload_hash(param)), row, ledger, blocked,
                full_refresh)
    for view, future in waits:
        gx_worker.verdict(view, future)
    return prep


def _decide(prep: Prepared, cand: Candidate, row: dict[str, Any], ledger: dict[str, LedgerEntry],
            blocked: Callable[[tuple[str, ...], str], bool], full_refresh: bool) -> None:
    endpoint = prep.endpoint
    # A child row names its parent record by the parent's integration code (the catalog's
    # parent_refs): when that parent row went wrong in this run, the child is held.
    for parent_ref in endpoint.parent_refs:
        column = parent_ref.column
        ref = row.get(column)
        if ref not in (None, "") and blocked(parent_ref.endpoints, str(ref)):
            prep.known.append(RowRecord(endpoint.name, prep.view, cand.key, "held",
                                        payload_hash=cand.payload_hash, payload=cand.param,
                                        note=f"{column} {ref} was refused in this run (rejected, failed "
                                             f"or held): this row waits for the next run"))
            return
    entry = ledger.get(cand.key)
    verdict = diff.decide(endpoint, entry.payload_hash if entry else None, cand.payload_hash, full_refresh)
    if verdict == "send":
        prep.to_send.append(cand)
        return
    note = None
    if entry and entry.payload_hash != cand.payload_hash:
        note = (f"already created in Omie as {entry.omie_id}; {endpoint.call} cannot change it"
                if endpoint.kind == "insert" else "already accepted by Omie")
    prep.known.append(RowRecord(endpoint.name, prep.view, cand.key, "unchanged",
                                omie_id=entry.omie_id if entry else None,
                                payload_hash=cand.payload_hash, note=note))


def _children(endpoint: Endpoint, frames: dict[str, Any], prep: Prepared, judge=None, waits=None):
    """Contratos: child rows grouped by cCodIntCtr, and the contracts a refused child spoils."""
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    refusals: dict[str, str] = {}
    headers = set()
    if len(endpoint.views) > 1 and endpoint.view in frames:
        headers = {str(r.get(endpoint.integration_key)) for r in frames[endpoint.view].to_dicts()}
    for view in endpoint.views[1:]:
        if view.name not in frames:
            continue
        valid, rejected = validated(view.name, frames[view.name], judge, waits)
        for row, reasons in rejected:
            parent = row.get(view.parent_key)
            prep.known.append(RowRecord(endpoint.name, view.name, _str(parent), "rejected",
                                        reasons=reasons, note="refused by validation"))
            if parent is not None:
                refusals[str(parent)] = f"a row of {view.name} was rejected"
        for row in valid:
            parent = row.get(view.parent_key)
            if parent is None or str(parent) not in headers:
                prep.known.append(reject(endpoint, view.name, _str(parent), view.parent_key,
                                          f"no row of {endpoint.view} has {view.parent_key} {parent!r}",
                                          parent))
                continue
            grouped.setdefault(str(parent), {}).setdefault(view.name, []).append(row)
    return grouped, refusals


def reject(endpoint: Endpoint, view: str, key: str | None, field_name: str, message: str,
            value: Any = None) -> RowRecord:
    reason = {"field": field_name, "expectation": "omie-push", "value": _str(value), "message": message}
    return RowRecord(endpoint.name, view, key, "rejected", reasons=[reason], note=message)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)

