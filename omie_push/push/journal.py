"""Before planning: settle the writes a killed run left open, and say aloud a new or lost ledger.

Every write's intent is durable before its call goes out (store.journal). An intent still open
when a run starts is a write whose answer no run recorded: the process was killed while Omie
was answering, or the answer was lost. Sending that row again blindly would create a second
category, or fail forever on a receivable already deleted. So the run asks Omie first, the way
the sender does after a lost answer (client.rows.look_up: Consultar by integration code; for
categorias, which have none, ListarCategorias by description in its group), and records what it
found: landed (the row result in the killed run, the ledger entry) or not (the row is planned as
usual). An intent Omie could not be asked about stays open and its row is held this run.

Omie counts a Consultar answered "não cadastrado" as an error (10 within 30 minutes block the
method), and a killed run leaves the intents of every row in progress, most of which never went
out: an endpoint with several open intents is listed once (Listar*, no error) and only the
records the listing holds are asked about one by one.
"""
from __future__ import annotations

from ..catalog import get
from ..catalog.reads import read_of
from ..client.retry import retrying
from ..client.rows import look_up
from ..client.lookup import Found
from ..client.types import Item
from ..errors import RetryableError
from ..store.ledger import RowRecord
from . import diff
from .context import RunContext
from .omie_read import list_pages

SWEEP_FROM = 3      # open intents of one endpoint from which one listing replaces the look-ups


def hook(ctx: RunContext, sender) -> None:
    """Make every write's intent durable before its call goes out."""
    async def before_write(endpoint, items, call: str) -> None:
        await ctx.recorder.intend(ctx.run_id, endpoint.name, call,
                                  [(i.key, i.payload_hash, i.param) for i in items])
    sender.before_write = before_write


async def resolve_left(ctx: RunContext, sender) -> None:
    """Ask Omie about every write a killed run left open, record the findings."""
    intents = ctx.recorder.open_intents()
    if not intents:
        return
    found = {"landed": 0, "not_landed": 0, "unknown": 0}
    listed = await _listed(sender, intents)
    for intent in intents:
        ep = get(intent.endpoint)
        item = Item(intent.key, intent.payload or {}, intent.payload_hash or "",
                    diff.lookup_of(ep, intent.key))
        codes = listed.get(ep.name)
        absent = codes is not None and intent.key not in codes
        verdict = None if absent else await _ask(sender, ep, item)
        outcome = _settle(ctx, ep, intent, verdict)
        found[outcome] += 1
    ctx.report.warnings.append(
        f"{len(intents)} write(s) of an earlier run had no recorded answer; Omie was asked: "
        f"{found['landed']} had landed (recorded now), {found['not_landed']} had not"
        + (f", {found['unknown']} could not be checked (held this run)" if found["unknown"] else ""))
    ctx.reporter.say(f"journal: {ctx.report.warnings[-1]}")


async def _listed(sender, intents) -> dict[str, set[str]]:
    """The integration codes Omie holds, per upsert endpoint with SWEEP_FROM open intents or
    more, read by one Listar* sweep (an endpoint whose sweep stopped short is left out)."""
    counts: dict[str, int] = {}
    for intent in intents:
        counts[intent.endpoint] = counts.get(intent.endpoint, 0) + 1
    out: dict[str, set[str]] = {}
    for name, n in counts.items():
        ep, reading = get(name), read_of(name)
        if n < SWEEP_FROM or reading is None or ep.kind == "delete":
            continue
        listing = await list_pages(sender, ep, reading, {})
        if listing.fault is None:
            out[name] = {c for c in map(reading.code_of, listing.records) if c is not None}
    return out


async def _ask(sender, ep, item):
    """Found, None (not in Omie) or "unknown", retrying what Omie says to retry."""
    try:
        async for attempt in retrying(sender.settings, sender.sleep):
            with attempt:
                return await look_up(sender, ep, item)
    except RetryableError:
        return "unknown"
    return "unknown"  # pragma: no cover


def _settle(ctx: RunContext, ep, intent, verdict) -> str:
    if verdict == "unknown":
        ctx.unresolved.add((ep.name, intent.key))
        return "unknown"
    if ep.kind == "delete":
        landed, omie_id, answer = verdict is None, None, None
        forget = [f for f in [diff.deleted_record(ep, intent.key)] if f]
    else:
        landed = isinstance(verdict, Found) and verdict.matches
        omie_id = verdict.omie_id if isinstance(verdict, Found) else None
        answer = verdict.record if isinstance(verdict, Found) else None
        forget = diff.cleared_deletes(ep, intent.key)
    if not landed:
        ctx.recorder.resolved(intent, "not_landed", None, None)
        return "not_landed"
    note = (f"{intent.call}'s answer never reached the run (it was killed or the answer was "
            f"lost); run {ctx.run_id} found the write in Omie")
    record = RowRecord(ep.name, ep.view, intent.key, "sent",
                       omie_id=None if omie_id is None else str(omie_id),
                       payload_hash=intent.payload_hash, payload=intent.payload, note=note)
    ctx.recorder.resolved(intent, "landed", record, answer, forget)
    return "landed"


def say_new_ledger(ctx: RunContext) -> None:
    """A dry run on a results store with no ledger for this company says so in its plan (a
    real run looks the first rows up in Omie before writing: push.existing)."""
    if ctx.recorder.had_ledger or not ctx.options.dry_run:
        return
    state = "is new" if ctx.recorder.new else "holds no ledger for this company"
    ctx.report.warnings.append(
        f"the results store {state} (company {ctx.settings.app_key}): every row counts as new. "
        f"If Omie already holds them, upserts update them in place by integration code and "
        f"categorias are matched by ListarCategorias, never created again")
    ctx.reporter.say(f"warning: {ctx.report.warnings[-1]}")
