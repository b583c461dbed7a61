"""Contas a receber in lots: UpsertContaReceberPorLote, `lot_size` records per call.

Its answer carries one `status_lote` entry per record (omie-api.md §3.2), so each row still
gets its own result and Omie id. Records the lot refused are sent again alone
(UpsertContaReceber), whose answer names the precise fault. When the lot's answer is lost, its
first record is looked up: absent, the lot did not land and is sent again (after the redundant
window); present, each record goes the single-row way with a look-up first, so none is written
twice and each gets its Omie id.

Only this lot call answers per record: UpsertClientesPorLote is deprecated and answers one
status for the whole lot, UpsertContaPagarPorLote likewise (§3.1, §3.3); a lot would hide which
row Omie refused and what id it gave, so clientes and contas a pagar go one by one.
"""
from __future__ import annotations

import asyncio
import math
from typing import TYPE_CHECKING, Sequence

from ..catalog import Endpoint
from ..errors import RetryableError
from .faults import Fault, FaultClass
from .lookup import Found
from .retry import retrying
from .rows import Report, look_up, send_row
from .tasks import run_bounded
from .types import Item, ItemResult, TargetSettings

if TYPE_CHECKING:
    from .caller import Caller


LOTS_IN_PROGRESS = 16


def uses_lots(endpoint: Endpoint, settings: TargetSettings) -> bool:
    """Lots only where the catalog says the lot call answers each record."""
    return endpoint.sends_lots and lot_size(endpoint, settings) > 1


def lot_size(endpoint: Endpoint, settings: TargetSettings) -> int:
    size = settings.lot_size
    return min(size, endpoint.batch_max) if endpoint.batch_max else size


def lot_count(endpoint: Endpoint, n_items: int, settings: TargetSettings) -> int:
    return math.ceil(n_items / lot_size(endpoint, settings)) if n_items else 0


async def send_lots(sender: "Caller", endpoint: Endpoint, items: Sequence[Item],
                    report: Report) -> None:
    size = lot_size(endpoint, sender.settings)
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    # Lots are writes (one in flight); several in progress let a lot wait out a retry while the
    # next one goes, the refused records' single calls run on their own lane meanwhile, and the
    # journal write the next lots' intents while the last ones' answers are being recorded
    # (with 4, every lot waited for both in turn: two writer drains and ~0.5 s per 4 lots).
    await run_bounded((_send_lot(sender, endpoint, chunk, report) for chunk in chunks),
                      limit=LOTS_IN_PROGRESS)


async def _send_lot(sender: "Caller", endpoint: Endpoint, chunk: Sequence[Item],
                    report: Report) -> None:
    lot_call = endpoint.lot.call
    number = sender.lot_number()
    param = {"lote": number, endpoint.lot.array: [item.param for item in chunk]}
    state = {"attempts": 0, "fault": None, "items": chunk}
    while True:
        try:
            answer_body, fault = await _lot_with_retries(sender, endpoint, lot_call, param, state)
        except RetryableError:
            answer_body, fault = None, state["fault"]
        lost = fault is not None and fault.maybe_committed
        if not lost or state["attempts"] >= sender.settings.max_attempts:
            break
        state["probe"] = await _probe(sender, endpoint, chunk[0])
        if state["probe"] is not None:
            break
        # The lot's first record is not in Omie: the lot did not land. Send it again (its
        # identical body waits out the redundant window in `sender.call`).
    alone = await _settle(sender, endpoint, chunk, number, answer_body, fault, state, report)
    await run_bounded(send_row(sender, endpoint, item, report, check_first=check, note=note,
                               prior=prior) for item, check, note, prior in alone)


async def _probe(sender: "Caller", endpoint: Endpoint, item: Item):
    """Look one record of a lot up: None if Omie does not have it, else Found or "unknown"."""
    try:
        return await look_up(sender, endpoint, item)
    except RetryableError:
        return "unknown"


async def _lot_with_retries(sender, endpoint, lot_call, param, state):
    """Retry the lot only on faults that say it was not processed (429, 1880)."""
    async for attempt in retrying(sender.settings, sender.sleep):
        with attempt:
            if sender.halted(lot_call, endpoint.call):
                return None, None
            if state["attempts"] == 0:
                await sender.write_ahead(endpoint, state["items"], lot_call)
            state["attempts"] += 1
            answer, fault = await sender.call(endpoint.path, lot_call, param)
            state["fault"] = fault
            if fault is not None and fault.fault_class is FaultClass.RETRYABLE \
                    and not fault.maybe_committed:
                raise fault.error(lot_call)
            return answer.body, fault
    return None, None  # pragma: no cover


async def _settle(sender, endpoint: Endpoint, chunk: Sequence[Item], number: int, body,
                  fault: Fault | None, state, report: Report):
    """Report what the lot settled; return (item, check_first, note) for rows to send alone."""
    lot_call = endpoint.batch_call
    halted = sender.halted(lot_call, endpoint.call)
    if body is None and fault is None or (fault is not None and fault.kind == "stopped"):
        await _report_all(report, [ItemResult(item.key, "not_attempted", note=halted)
                                   for item in chunk])
        return []
    if fault is not None:
        if fault.fault_class is FaultClass.FATAL:
            await _report_all(report, [
                ItemResult(item.key, "failed", attempts=state["attempts"],
                           fault=fault.faultstring, faultcode=fault.faultcode,
                           note=f"lot {number}: run stopped", uncertain=state["attempts"] > 1)
                for item in chunk])
            return []
        lost = fault.maybe_committed
        note = f"lot {number} {'answer lost' if lost else 'refused'}: \"{fault.faultstring}\"; sent alone"
        probe = state.get("probe")
        if lost and isinstance(probe, Found) and probe.matches:
            await report(ItemResult(chunk[0].key, "sent", attempts=state["attempts"],
                                    response=probe.record, omie_id=probe.omie_id,
                                    note=f"lot {number} answer lost; found in Omie with these values"))
            chunk = chunk[1:]
        return [(item, lost, note, fault) for item in chunk]
    key = endpoint.integration_key
    by_key = {str(s.get(key)): s for s in body.get("status_lote") or [] if isinstance(s, dict)}
    alone, sent = [], []
    for item in chunk:
        status = by_key.get(str(item.param.get(key)))
        if status is not None and str(status.get("codigo_status")) == "0":
            sent.append(ItemResult(item.key, "sent", attempts=state["attempts"], response=status,
                                   omie_id=status.get("codigo_lancamento_omie"),
                                   note=f"lot {number}"))
        elif status is not None:
            text = str(status.get("descricao_status") or "")
            refusal = Fault(FaultClass.RECORD, "refused", text, str(status.get("codigo_status")), 200)
            alone.append((item, False, f"lot {number} refused it; sent alone", refusal))
        else:
            alone.append((item, True, f"lot {number} answered nothing for it; looked up", None))
    await _report_all(report, sent)
    return alone


async def _report_all(report: Report, results: list[ItemResult]) -> None:
    """A lot's results at once: the pusher writes them together (one transaction), where
    awaiting each in turn made a lot wait for as many writes as it had records."""
    await asyncio.gather(*(report(result) for result in results))
