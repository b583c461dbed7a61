"""One run: every selected endpoint in dependency order, each read, prepared, sent, recorded.

Endpoints whose parents are done run concurrently (asyncio); each endpoint reads its views
when it starts, so a view that joins `omie_ids` sees the ids its parents got in this run.
"""
from __future__ import annotations

import asyncio
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import catalog
from ..catalog import Endpoint
from ..client.types import Item, ItemResult, TargetSettings
from ..errors import FatalError, OmiePushError, ProjectError, ViewError
from . import warehouse
from .ledger import Ledger, RowRecord, now, omie_status_of
from .prepare import Candidate, Prepared, prepare

STATUSES = ("sent", "unchanged", "rejected", "failed", "held", "not_attempted")
BAD = {"rejected", "failed", "held", "not_attempted"}


@dataclass
class RunOptions:
    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    dry_run: bool = False
    full_refresh: bool = False
    partial_success: bool | None = None      # None: per endpoint meta.omie, default on


@dataclass
class EndpointReport:
    """What one endpoint did (or, on a dry run, would do)."""

    endpoint: str
    view: str
    counts: Counter = field(default_factory=Counter)   # (view, status) -> n
    to_send: int = 0
    calls: int | None = None
    seconds: float | None = None
    stopped: str | None = None       # why the endpoint stopped early
    error: str | None = None         # why it was not pushed at all

    def view_counts(self) -> dict[str, dict[str, int]]:
        views = sorted({v for v, _ in self.counts} | {self.view}, key=lambda v: v != self.view)
        return {v: {s: self.counts[(v, s)] for s in STATUSES} for v in views}


@dataclass
class RunReport:
    run_id: str
    target: str
    dry_run: bool
    endpoints: list[EndpointReport] = field(default_factory=list)
    stopped: str | None = None
    problems: list[tuple[str, str | None, str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.stopped or any(e.stopped for e in self.endpoints):
            return 3
        bad = any(e.error or any(s in BAD for _, s in e.counts if e.counts[(_, s)])
                  for e in self.endpoints)
        return 1 if bad else 0

    @property
    def outcome(self) -> str:
        return {0: "success", 1: "finished with refused rows", 3: "stopped"}[self.exit_code]

    def as_dict(self) -> dict[str, Any]:
        views: dict[str, Any] = {}
        for e in self.endpoints:
            for view, counts in e.view_counts().items():
                views[view] = counts
            if self.dry_run:
                views[e.view].update(to_send=e.to_send, calls=e.calls, estimated_seconds=e.seconds)
            if e.error:
                views[e.view]["error"] = e.error
            if e.stopped:
                views[e.view]["stopped"] = e.stopped
        out = {"run_id": self.run_id, "target": self.target, "dry_run": self.dry_run, "endpoints": views}
        if self.stopped:
            out["stopped"] = self.stopped
        return out


class Run:
    """Holds one run's state: the ledger, which keys went wrong per endpoint, who is done."""

    def __init__(self, project, settings: TargetSettings, results_path, options: RunOptions,
                 reporter, sender_factory=None):
        self.project, self.settings, self.options = project, settings, options
        self.results_path, self.reporter = results_path, reporter
        self.sender_factory = sender_factory
        self.run_id = f"{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        self.report = RunReport(self.run_id, settings.name, options.dry_run)
        self.bad_keys: dict[str, set[str]] = {}
        self.unavailable: set[str] = set()      # endpoints refused or failed before sending
        self.done: dict[str, asyncio.Event] = {}
        self._accepted_cache: dict[str, set[str]] = {}

    # -- the whole run -------------------------------------------------------------------
    def execute(self) -> RunReport:
        models = self._models = self.project.omie_models()
        chosen = self._chosen_endpoints(models)
        self.settings = self._effective_settings(models)
        con = warehouse.connect(self.results_path)
        try:
            self.ledger = Ledger(con, self.settings.app_key)
            self.answers = Ledger(con.cursor(), self.settings.app_key)   # used by self.writer only
            self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="omie-push-ledger")
            self.con = con
            started, clock = now(), time.monotonic()
            self.ledger.begin_run(self.run_id, self.settings.name, self.options.dry_run,
                                  self.options.full_refresh, self._options_record(chosen), started)
            outcome = "crashed"
            try:
                asyncio.run(self._all(chosen, models))
                outcome = self.report.outcome
            finally:
                counts = self.report.as_dict()["endpoints"]
                self.ledger.finish_run(self.run_id, counts, outcome, self.report.exit_code,
                                       now(), time.monotonic() - clock)
        finally:
            if hasattr(self, "writer"):
                self.writer.shutdown(wait=True)
                self.answers.con.close()
            con.close()
        return self.report

    def _chosen_endpoints(self, models) -> list[Endpoint]:
        """Endpoints with a model, narrowed by --select/--exclude (any of an endpoint's views
        selects the endpoint), disabled ones (meta.omie.enabled: false) left out."""
        names = {m.name for m in models} | {m.view for m in models}
        for wanted in (*self.options.select, *self.options.exclude):
            if wanted not in names and wanted not in {ep.name for ep in catalog.ENDPOINTS}:
                raise ProjectError(f"--select/--exclude {wanted!r}: no dbt model with meta.omie.endpoint "
                                   f"is named so. Known: {', '.join(sorted(names)) or 'none'}.")

        def picked(m, wanted):
            return any(w in (m.name, m.view, m.endpoint) for w in wanted)

        endpoints = {m.endpoint for m in models if not self.options.select or picked(m, self.options.select)}
        endpoints -= {m.endpoint for m in models if picked(m, self.options.exclude)}
        enabled = {m.endpoint for m in models if m.view == catalog.get(m.endpoint).view and m.enabled}
        return [ep for ep in catalog.ENDPOINTS if ep.name in endpoints and ep.name in enabled]

    async def _all(self, chosen: list[Endpoint], models) -> None:
        sender = None
        if not self.options.dry_run:
            sender = self._make_sender(models)
        self.done = {ep.name: asyncio.Event() for ep in chosen}
        try:
            await asyncio.gather(*(self._endpoint(ep, models, sender) for ep in chosen))
        finally:
            close = getattr(sender, "aclose", None)
            if close is not None:
                await close()

    def _effective_settings(self, models) -> TargetSettings:
        settings = self.settings
        for m in models:     # the lote size belongs to the one endpoint with a per-record lote
            if m.lot_size is not None and catalog.get(m.endpoint).batch_call == "UpsertContaReceberPorLote":
                settings = replace(settings, lot_size=m.lot_size)
        return settings

    def _make_sender(self, models):
        settings = self.settings
        if settings.base_url == "embedded" and settings.sandbox_state:
            Path(settings.sandbox_state).parent.mkdir(parents=True, exist_ok=True)
        if self.sender_factory is not None:
            return self.sender_factory(settings)
        from ..client import make_sender

        return make_sender(settings)

    # -- one endpoint --------------------------------------------------------------------
    async def _endpoint(self, ep: Endpoint, models, sender) -> None:
        rep = EndpointReport(ep.name, ep.view)
        self.report.endpoints.append(rep)
        self.bad_keys[ep.name] = set()
        try:
            for parent in parents_of(ep, models):
                if parent in self.done:
                    await self.done[parent].wait()
            if self.report.stopped:
                rep.error = f"not started: the run was stopped ({self.report.stopped})"
                self.unavailable.add(ep.name)
                self.reporter.endpoint_done(rep)
                return
            prep = self._prepare(ep, models, rep)
            if prep is None:
                self.reporter.endpoint_done(rep)
                return
            await self._send(ep, prep, rep, sender)
            self.reporter.endpoint_done(rep)
        except Exception as exc:
            # a bug: children must not go on as if this endpoint had succeeded
            self.report.stopped = f"internal error while pushing {ep.view}: {type(exc).__name__}"
            raise
        finally:
            self.done[ep.name].set()

    def _prepare(self, ep: Endpoint, models, rep: EndpointReport) -> Prepared | None:
        try:
            frames = self._read(ep, models)
            prep = prepare(ep, frames, self.ledger.accepted(ep.name), self._blocked,
                           self.options.full_refresh)
        except OmiePushError as exc:
            rep.error = str(exc)
            self.unavailable.add(ep.name)
            return None
        self.ledger.record(self.run_id, prep.known)
        for record in prep.known:
            rep.counts[(record.view, record.status)] += 1
            if record.status in ("rejected", "held"):
                self.report.problems.append((record.view, record.key, record.status, _why(record)))
            if record.status in BAD and record.key is not None and record.view == ep.view:
                self.bad_keys[ep.name].add(record.key)
        rep.to_send = len(prep.to_send)
        return prep

    def _read(self, ep: Endpoint, models) -> dict[str, Any]:
        """Each view of the endpoint, read now (after the parents were pushed)."""
        frames = {}
        for view in ep.views:
            model = next((m for m in models if m.view == view.name), None)
            if model is None:
                if view.name == ep.view:
                    raise ViewError(f"{ep.name}: no dbt model feeds {view.name}.")
                continue
            refusal = model.refusal(exists=model.build_status is not None
                                    or warehouse.relation_exists(self.project, model, self.con))
            if refusal:
                raise ViewError(refusal)
            frames[view.name] = warehouse.read_view(self.project, model, con=self.con)
        return frames

    def _blocked(self, parents: tuple[str, ...], key: str) -> bool:
        """Whether a child row naming this parent record must be held: the parent row was
        refused in this run, or its endpoint could not run and Omie never accepted it."""
        if any(key in self.bad_keys.get(p, ()) for p in parents):
            return True
        if not any(p in self.unavailable for p in parents):
            return False
        for p in parents:
            if p not in self._accepted_cache:
                self._accepted_cache[p] = set(self.ledger.accepted(p))
        return not any(key in self._accepted_cache[p] for p in parents)

    async def _send(self, ep: Endpoint, prep: Prepared, rep: EndpointReport, sender) -> None:
        cands = prep.to_send
        if self.options.dry_run:
            rep.calls, rep.seconds = _estimate(ep, len(cands), self.settings)
            self._record_unsent(ep, cands, rep, "dry run: would be sent")
            return
        if not self._partial_success(ep) and any(r.status == "rejected" for r in prep.known):
            rep.stopped = "partial success is off and a row was refused before any call"
            self._record_unsent(ep, cands, rep, rep.stopped)
            return
        self.reporter.endpoint_started(rep, len(cands))
        await self._deliver(ep, cands, rep, sender)

    async def _deliver(self, ep: Endpoint, cands: list[Candidate], rep: EndpointReport, sender) -> None:
        by_key = {c.key: c for c in cands}
        reported: set[str] = set()

        async def on_result(result: ItemResult) -> None:
            reported.add(result.key)
            await self._record_result(ep, by_key[result.key], result, rep)

        # fail-fast: one row (or one lote of contas a receber) per send, so a refusal stops the rest
        lot = self.settings.lot_size if ep.batch_call == "UpsertContaReceberPorLote" else 1
        chunks = [cands] if self._partial_success(ep) else _chunks(cands, max(1, lot))
        try:
            for chunk in chunks:
                if rep.stopped or self.report.stopped:
                    break
                items = [Item(c.key, c.param, c.payload_hash, _lookup(ep, c.key)) for c in chunk]
                await sender.send(ep, items, on_result)
                stopped = getattr(sender, "stopped_reason", None)
                if stopped:
                    self.report.stopped = rep.stopped = stopped
                if not self._partial_success(ep) and any(
                        rep.counts[(ep.view, s)] for s in ("failed", "not_attempted")):
                    rep.stopped = "partial success is off and Omie refused a row"
        except FatalError as exc:
            self.report.stopped = rep.stopped = f"Omie stopped the run: {exc}"
        left = [c for c in cands if c.key not in reported]
        if left:
            self._record_unsent(ep, left, rep, rep.stopped or "the sender reported no result")

    async def _record_result(self, ep: Endpoint, cand: Candidate, result: ItemResult,
                             rep: EndpointReport) -> None:
        """Write one answer (and its ledger entry) before the row counts as done. The write runs
        on the writer thread's own DuckDB cursor: a commit costs ~5 ms, which would otherwise
        stall every endpoint's pacing on the event loop."""
        record = RowRecord(ep.name, ep.view, cand.key, result.status,
                           omie_id=None if result.omie_id is None else str(result.omie_id),
                           omie_status=omie_status_of(result.response), fault=result.fault,
                           faultcode=result.faultcode, attempts=result.attempts,
                           payload_hash=cand.payload_hash, payload=cand.param, note=result.note)
        forget = None
        if ep.kind == "delete" and ep.depends_on:
            upsert = ep.depends_on[0]
            oid = cand.key.split(":", 1)[1] if ":" in cand.key and cand.key.split(":", 1)[0] in ep.key_fields else None
            forget = (upsert, None if oid else cand.key, oid)
        await asyncio.get_running_loop().run_in_executor(
            self.writer, self.answers.record_answer, self.run_id, record, result.response, forget)
        rep.counts[(ep.view, result.status)] += 1
        if result.status != "sent":
            self.bad_keys[ep.name].add(cand.key)
            self.report.problems.append((ep.view, cand.key, result.status,
                                         result.fault or result.note or "no answer"))
        self.reporter.advance(rep, result.status)

    def _record_unsent(self, ep: Endpoint, cands: list[Candidate], rep: EndpointReport, note: str) -> None:
        self.ledger.record(self.run_id, [
            RowRecord(ep.name, ep.view, c.key, "not_attempted", payload_hash=c.payload_hash,
                      payload=c.param, note=note) for c in cands])
        if not self.options.dry_run:
            rep.counts[(ep.view, "not_attempted")] += len(cands)
            self.bad_keys[ep.name].update(c.key for c in cands)

    def _partial_success(self, ep: Endpoint) -> bool:
        if self.options.partial_success is not None:
            return self.options.partial_success
        meta = next((m for m in self._models if m.view == ep.view), None)
        return True if meta is None or meta.partial_success is None else meta.partial_success

    def _options_record(self, chosen: list[Endpoint]) -> dict[str, Any]:
        return {"select": list(self.options.select), "exclude": list(self.options.exclude),
                "partial_success": self.options.partial_success,
                "endpoints": [ep.name for ep in chosen], "base_url": self.settings.base_url}


# Parents the catalog does not name but the push order implies: a client's
# recomendacoes.codigo_vendedor is a vendedor's Omie id, which a view can only join once
# vendedores reached Omie.
EXTRA_PARENTS = {"clientes": ("vendedores",)}


def parents_of(ep: Endpoint, models=()) -> tuple[str, ...]:
    """The endpoints that must finish first: the catalog's depends_on; clientes_associar
    wherever clientes is a parent (an associated client is as much a parent of a conta or a
    contract, by its integration code or its id in omie_ids, as one sent by UpsertCliente);
    EXTRA_PARENTS; and any the model's meta.omie.depends_on names."""
    parents = tuple(ep.depends_on) + EXTRA_PARENTS.get(ep.name, ())
    if "clientes" in parents and ep.name != "clientes_associar":
        parents += ("clientes_associar",)
    for m in models:
        if m.endpoint == ep.name:
            declared = m.meta.get("depends_on") or ()
            parents += tuple([declared] if isinstance(declared, str) else declared)
    return tuple(dict.fromkeys(p for p in parents if p != ep.name))


def _why(record: RowRecord) -> str:
    if record.reasons:
        return "; ".join(str(r.get("message") or r.get("expectation")) for r in record.reasons)
    return record.note or record.status


def _lookup(ep: Endpoint, key: str):
    from .diff import lookup_of

    return lookup_of(ep, key)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _estimate(ep: Endpoint, n: int, settings: TargetSettings) -> tuple[int | None, float | None]:
    if n == 0:
        return 0, 0.0
    try:
        from ..client import estimate
    except ImportError:
        return None, None
    plan = estimate(ep, n, settings)
    if isinstance(plan, tuple):
        return int(plan[0]), float(plan[1])
    return int(getattr(plan, "calls")), float(getattr(plan, "seconds"))
