"""Sending one prepared endpoint: the dry run's plan, fail-fast in chunks, and every answer
recorded (with its ledger entry) as soon as the sender reports it."""
from __future__ import annotations

from ..catalog import Endpoint
from ..client import estimate
from ..client.types import Item, ItemResult
from ..errors import FatalError
from ..store.ledger import RowRecord, omie_status_of
from . import diff, existing
from .context import RunContext
from .order import partial_success
from .prepare import Candidate, Prepared
from .report import EndpointReport


async def deliver(ctx: RunContext, ep: Endpoint, prep: Prepared, rep: EndpointReport, sender) -> None:
    cands = prep.to_send
    plan = estimate(ep, len(cands) + prep.streamed, ctx.settings)   # a dry run's, recorded already
    rep.plan_calls, rep.plan_seconds = plan.calls, plan.seconds
    if ctx.options.dry_run:
        rep.calls, rep.seconds = plan.calls, plan.seconds
        record_unsent(ctx, ep, cands, rep, "dry run: would be sent")
        return
    partial = partial_success(ep, ctx.models, ctx.options.partial_success)
    if not partial and any(r.status == "rejected" for r in prep.known):
        rep.stopped = "partial success is off and a row was refused before any call"
        record_unsent(ctx, ep, cands, rep, rep.stopped)
        return
    cands = _hold_unresolved(ctx, ep, cands, rep)
    cands = await existing.take_existing_categories(
        ctx, ep, cands, sender, lambda c, found: _record_found(ctx, ep, c, found, rep))
    await existing.warn_if_ledger_lost(ctx, ep, cands, sender, lambda c: _item(ep, c))
    ctx.reporter.endpoint_started(rep, len(cands))
    reported: set[str] = set()
    by_key = {c.key: c for c in cands}

    async def on_result(result: ItemResult) -> None:
        reported.add(result.key)
        await record_answer(ctx, ep, by_key[result.key], result, rep)

    try:
        for chunk in _chunks(ctx, ep, cands, partial):
            if rep.stopped or ctx.report.stopped:
                break
            await sender.send(ep, [_item(ep, c) for c in chunk], on_result)
            if getattr(sender, "stopped_reason", None):
                ctx.report.stopped = rep.stopped = sender.stopped_reason
            if not partial and any(rep.counts[(ep.view, s)] for s in ("failed", "not_attempted")):
                rep.stopped = "partial success is off and Omie refused a row"
    except FatalError as exc:
        ctx.report.stopped = rep.stopped = f"Omie stopped the run: {exc}"
    left = [c for c in cands if c.key not in reported]
    if left:
        record_unsent(ctx, ep, left, rep, rep.stopped or "the sender reported no result")


def _chunks(ctx: RunContext, ep: Endpoint, cands: list[Candidate], partial: bool) -> list[list[Candidate]]:
    """Partial success: one send. Fail-fast: one row (or one lot) per send, so a refusal stops
    the rest."""
    if partial:
        return [cands]
    size = max(1, ctx.settings.lot_size if ep.sends_lots else 1)
    return [cands[i:i + size] for i in range(0, len(cands), size)]


def _item(ep: Endpoint, cand: Candidate) -> Item:
    return Item(cand.key, cand.param, cand.payload_hash, diff.lookup_of(ep, cand.key))


def _hold_unresolved(ctx: RunContext, ep: Endpoint, cands: list[Candidate],
                     rep: EndpointReport) -> list[Candidate]:
    """Rows whose earlier write Omie could not be asked about are held, never sent blindly."""
    held = [c for c in cands if (ep.name, c.key) in ctx.unresolved]
    if not held:
        return cands
    note = ("held: an earlier run's write of this row has no recorded answer and Omie could not "
            "be asked whether it landed; the next run asks again")
    ctx.recorder.known(ctx.run_id, [RowRecord(ep.name, ep.view, c.key, "held", payload_hash=c.payload_hash,
                                              payload=c.param, note=note) for c in held])
    rep.counts[(ep.view, "held")] += len(held)
    for c in held:
        ctx.bad_keys[ep.name].add(c.key)
        ctx.report.problems.append((ep.view, c.key, "held", note))
    return [c for c in cands if (ep.name, c.key) not in ctx.unresolved]


async def _record_found(ctx: RunContext, ep: Endpoint, cand: Candidate, found: dict,
                        rep: EndpointReport) -> None:
    """A category Omie already holds: recorded as sent with its code, not created again."""
    result = ItemResult(cand.key, "sent", response=found, omie_id=found.get("codigo"),
                        note="already in Omie (matched by ListarCategorias): not created again")
    await record_answer(ctx, ep, cand, result, rep)


def _resolution(result: ItemResult) -> str | None:
    """How a write's answer closes its intent; None keeps it open (it may have landed)."""
    if result.status == "sent":
        return "sent"
    if result.status == "not_attempted":
        return "not_sent"
    return None if result.uncertain else "refused"


def converged_delete(ctx: RunContext, ep: Endpoint, cand: Candidate, result: ItemResult) -> ItemResult:
    """An Excluir answered "não cadastrado" for a record omie-push created counts as done:
    the record is gone, which is what the delete wanted (case: killed after the delete committed)."""
    if ep.kind != "delete" or result.status != "failed" or not result.fault:
        return result
    from ..client.faults import classify

    fault = classify(500, {"faultstring": result.fault, "faultcode": result.faultcode or ""})
    target = diff.deleted_record(ep, cand.key)
    if fault is None or fault.kind != "not_found" or target is None:
        return result
    upsert, key, omie_id = target
    ours = ctx.recorder.accepted(upsert)
    if not (key in ours or any(e.omie_id == omie_id for e in ours.values() if omie_id)):
        return result
    return ItemResult(cand.key, "sent", attempts=result.attempts, response=result.response,
                      note=f"Omie answered \"{result.fault}\": the record omie-push created is "
                           f"already gone; counted as deleted")


async def record_answer(ctx: RunContext, ep: Endpoint, cand: Candidate, result: ItemResult,
                        rep: EndpointReport) -> None:
    """Write one answer (its ledger entry, its intent resolved) before the row counts as done."""
    result = converged_delete(ctx, ep, cand, result)
    record = RowRecord(ep.name, ep.view, cand.key, result.status,
                       omie_id=None if result.omie_id is None else str(result.omie_id),
                       omie_status=omie_status_of(result.response), fault=result.fault,
                       faultcode=result.faultcode, attempts=result.attempts,
                       payload_hash=cand.payload_hash, payload=cand.param, note=result.note)
    forget = [f for f in [diff.deleted_record(ep, cand.key)] if f] + diff.cleared_deletes(ep, cand.key)
    await ctx.recorder.answer(ctx.run_id, record, result.response, forget, _resolution(result))
    rep.counts[(ep.view, result.status)] += 1
    if result.status != "sent":
        ctx.bad_keys[ep.name].add(cand.key)
        ctx.report.problems.append((ep.view, cand.key, result.status,
                                    result.fault or result.note or "no answer"))
    ctx.reporter.advance(rep, result.status)


def record_unsent(ctx: RunContext, ep: Endpoint, cands: list[Candidate], rep: EndpointReport,
                  note: str) -> None:
    ctx.recorder.known(ctx.run_id, [
        RowRecord(ep.name, ep.view, c.key, "not_attempted", payload_hash=c.payload_hash,
                  payload=c.param, note=note) for c in cands])
    if not ctx.options.dry_run:
        rep.counts[(ep.view, "not_attempted")] += len(cands)
        ctx.bad_keys[ep.name].update(c.key for c in cands)
