"""Records Omie already holds, found before writing: categorias matched by ListarCategorias, and
a new or lost ledger said aloud.

IncluirCategoria is not an upsert: sending a category Omie already has creates a second one.
Its ledger entry is the only memory of it, and a results file deleted, new, or behind a killed
run forgets it. So before any IncluirCategoria the run lists the company's categories once and
takes the ones already there (description in the same group) as sent, with Omie's code.

When the results store has no ledger for this company, the first row of each upsert endpoint is
looked up before writing; if Omie already holds it, the run warns that the ledger is new or lost
(upserts by integration code update in place; nothing is created twice).
"""
from __future__ import annotations

from ..client.lookup import find_category
from ..client.rows import look_up
from ..client.lookup import Found
from .context import RunContext
from .prepare import Candidate

PER_PAGE = 500


async def take_existing_categories(ctx: RunContext, ep, cands: list[Candidate], sender,
                                   record) -> list[Candidate]:
    """The categories still to include; those Omie holds are recorded as sent via `record`."""
    if ep.kind != "insert" or not cands or not hasattr(sender, "call"):
        return cands
    listing = await _all_categories(sender, ep)
    if listing is None:
        return cands
    left = []
    for cand in cands:
        match = find_category(listing, cand.param)
        if match is None:
            left.append(cand)
        else:
            await record(cand, match)
    if len(left) < len(cands):
        ctx.report.warnings.append(
            f"{ep.view}: {len(cands) - len(left)} categor{'y' if len(cands) - len(left) == 1 else 'ies'} "
            f"already in Omie (matched by ListarCategorias): recorded, not created again")
        ctx.reporter.say(f"warning: {ctx.report.warnings[-1]}")
    return left


async def _all_categories(sender, ep) -> list[dict] | None:
    """Every category of the company, or None if Omie could not be asked (then the sender's
    own look-up after a lost answer is the only guard)."""
    page, pages, listing = 1, 1, []
    sender.category_sweeps = getattr(sender, "category_sweeps", 0) + 1
    per_page = PER_PAGE - (sender.category_sweeps % 50)   # never an identical (REDUNDANT) request
    while page <= pages:
        answer, fault = await sender.call(ep.path, "ListarCategorias",
                                          {"pagina": page, "registros_por_pagina": per_page})
        if fault is not None:
            return [] if fault.kind == "no_records" else None
        listing += answer.body.get("categoria_cadastro") or []
        pages = int(answer.body.get("total_de_paginas") or 1)
        page += 1
    return listing


async def warn_if_ledger_lost(ctx: RunContext, ep, cands: list[Candidate], sender, item_of) -> None:
    """No ledger for this company, yet Omie holds the first row to send: say so before writing."""
    if ctx.ledger_checked or ctx.recorder.had_ledger or ep.kind != "upsert" or not cands \
            or not hasattr(sender, "call"):
        return
    try:
        verdict = await look_up(sender, ep, item_of(cands[0]))
    except Exception:      # a probe never stops a run: the writes' own look-ups still guard
        return
    if isinstance(verdict, Found):
        ctx.ledger_checked = True
        ctx.report.warnings.append(
            f"the results store has no ledger for company {ctx.settings.app_key} (new, or lost), "
            f"but Omie already holds {ep.view} rows this run sends (e.g. {cands[0].key}): they are "
            f"updated in place by integration code; categorias are matched by ListarCategorias, "
            f"never created again")
        ctx.reporter.say(f"warning: {ctx.report.warnings[-1]}")
