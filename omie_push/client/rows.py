"""One row, one call at a time: send, retry what is safe, look up after a lost answer, link a
duplicate CNPJ/CPF, give up cleanly.

The rule that keeps Omie free of duplicates: after a write whose answer was lost (timeout,
dropped connection, Broken response, 5xx, REDUNDANT or "já foi processada" on a write) the row
is never simply sent again. Its record is looked up first (`lookup.py`); if Omie holds it with
our values, the row is reported sent with that Omie id; only otherwise is the write repeated,
and never within the redundant window of the identical request.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from ..catalog import Endpoint
from ..errors import RetryableError
from . import lookup as lk
from .faults import Fault, FaultClass
from .pacing import is_read
from .retry import retrying
from .types import Item, ItemResult

if TYPE_CHECKING:
    from .caller import Caller

Report = Callable[[ItemResult], Awaitable[None]]
ASSOCIATE_CALL = "AssociarCodIntCliente"
MAX_LINKS = 2


@dataclass
class RowState:
    """What one row has been through so far."""

    check_first: bool = False          # a write's answer was lost: look the record up first
    attempts: int = 0                  # write calls made for the row
    last_fault: Fault | None = None
    last_answer: Any = None
    lost_before: bool = False          # some write of this row may have gone through
    links: int = 0
    note: str | None = None
    journaled: str | None = None       # the write call whose intent the journal holds


class _Done(Exception):
    """The row has its result."""

    def __init__(self, result: ItemResult):
        self.result = result


async def send_row(sender: "Caller", endpoint: Endpoint, item: Item, report: Report,
                   *, check_first: bool = False, note: str | None = None,
                   prior: Fault | None = None) -> None:
    """Send one row through its retries and report its one result. `prior`: the fault of a
    lot that already carried the row (reported if the row cannot be sent alone)."""
    state = RowState(check_first=check_first, note=note, last_fault=prior,
                     attempts=1 if prior else 0)
    try:
        result = await _retry_loop(sender, endpoint, item, state)
    except Exception as exc:  # a bug must not lose the row: report it, with no payload
        result = _failed(item, state, None, f"internal error: {type(exc).__name__}: {exc}")
    await report(result)


async def _retry_loop(sender: "Caller", endpoint: Endpoint, item: Item,
                      state: RowState) -> ItemResult:
    try:
        async for attempt in retrying(sender.settings, sender.sleep):
            with attempt:
                try:
                    await _attempt(sender, endpoint, item, state)
                except _Done as done:
                    return done.result
    except RetryableError:
        attempts = sender.settings.max_attempts
        if state.check_first:   # the last write may still have gone through: ask once more
            try:
                await _check_before_resend(sender, endpoint, item, state)
            except _Done as done:
                return done.result
            except RetryableError:
                pass
        return _failed(item, state, state.last_fault, f"gave up after {attempts} attempts")
    raise AssertionError("retry loop ended without a result")  # pragma: no cover


async def _attempt(sender: "Caller", endpoint: Endpoint, item: Item, state: RowState) -> None:
    """One try: raise `_Done` with the row's result, or a RetryableError to try again."""
    halted = sender.halted(endpoint.call)
    if halted:
        raise _Done(_halted(item, state, halted))
    if state.check_first:
        await _check_before_resend(sender, endpoint, item, state)
    if state.journaled != endpoint.call:
        await sender.write_ahead(endpoint, [item], endpoint.call)
        state.journaled = endpoint.call
    state.attempts += 1
    answer, fault = await sender.call(endpoint.path, endpoint.call, item.param)
    if fault is not None and fault.kind == "stopped":   # the call was never made
        state.attempts -= 1
        raise _Done(_halted(item, state, fault.faultstring))
    state.last_answer = answer.body
    if fault is None:
        raise _Done(_sent(item, state, answer.body, lk.omie_id_of(answer.body)))
    state.last_fault = fault
    if fault.fault_class is FaultClass.RETRYABLE:
        state.check_first = fault.maybe_committed and not is_read(endpoint.call)
        state.lost_before = state.lost_before or state.check_first
        raise fault.error(endpoint.call)
    if endpoint.kind == "delete" and fault.kind == "not_found" and state.attempts > 1 \
            and state.lost_before:
        raise _Done(_sent(item, state, answer.body, None,
                          "answer lost; Omie no longer has the record: deleted"))
    if fault.fault_class is FaultClass.RECORD and fault.kind == "duplicate_cnpj":
        await _link_duplicate(sender, endpoint, item, state, fault)
    raise _Done(_failed(item, state, fault))


async def _check_before_resend(sender: "Caller", endpoint: Endpoint, item: Item,
                               state: RowState) -> None:
    """Ask Omie whether the lost write went through; finish the row if it did."""
    verdict = await look_up(sender, endpoint, item)
    state.check_first = False
    if verdict == "unknown":
        if endpoint.kind == "insert":   # IncluirCategoria is not idempotent: never guess
            raise _Done(_failed(item, state, state.last_fault,
                                "answer lost and the record could not be looked up: not re-sent, "
                                "to avoid a duplicate; check Omie and run again"))
        return
    if endpoint.kind == "delete":
        if verdict is None:
            raise _Done(_sent(item, state, state.last_answer, None,
                              "answer lost; Omie no longer has the record: deleted"))
        return
    if isinstance(verdict, lk.Found) and verdict.matches:
        raise _Done(_sent(item, state, verdict.record, verdict.omie_id,
                          "answer lost; found in Omie with these values: not sent again"))


async def look_up(sender: "Caller", endpoint: Endpoint, item: Item):
    """`Found`, None (Omie has no such record) or "unknown" (could not ask).
    Raises RetryableError when the read itself must be retried."""
    call = endpoint.lookup_call
    param = lk.lookup_param(endpoint, item.param, item.lookup)
    if call is None or param is None or sender.halted(call):
        return "unknown"
    sender.stats.lookups += 1
    if endpoint.integration_key is None:   # categorias: found by description in its group
        return await _find_category(sender, endpoint, item.param)
    answer, fault = await sender.call(endpoint.path, call, param)
    if fault is None:
        found = lk.judge(item.param, answer.body)
        if endpoint.name == "clientes_associar":
            found.matches = str(found.omie_id) == str(item.param.get("codigo_cliente_omie"))
        return found
    if fault.kind in ("not_found", "no_records"):
        return None
    if fault.fault_class is FaultClass.RETRYABLE and fault.kind != "stopped":
        raise fault.error(call)
    return "unknown"


async def _find_category(sender: "Caller", endpoint: Endpoint, param: dict[str, Any]):
    """Sweep ListarCategorias for the description in its group. Each sweep asks a slightly
    different page size so two sweeps never send an identical (REDUNDANT) request."""
    sender.category_sweeps += 1
    per_page = 500 - (sender.category_sweeps % 50)
    page, pages, listing = 1, 1, []
    while page <= pages:
        answer, fault = await sender.call(endpoint.path, "ListarCategorias",
                                          {"pagina": page, "registros_por_pagina": per_page})
        if fault is not None:
            if fault.kind == "no_records":
                return None
            if fault.fault_class is FaultClass.RETRYABLE and fault.kind != "stopped":
                raise fault.error("ListarCategorias")
            return "unknown"
        listing += answer.body.get("categoria_cadastro") or []
        pages = int(answer.body.get("total_de_paginas") or 1)
        page += 1
    found = lk.find_category(listing, param)
    return lk.Found(found.get("codigo"), found, True) if found else None


async def _link_duplicate(sender: "Caller", endpoint: Endpoint, item: Item, state: RowState,
                          fault: Fault) -> None:
    """Duplicate CNPJ/CPF on UpsertCliente: with `associate_duplicates` on, attach our
    integration code to the client Omie already has, then send the row again."""
    code = item.param.get("codigo_cliente_integracao")
    if (endpoint.call != "UpsertCliente" or not sender.settings.associate_duplicates
            or fault.existing_id is None or not code or state.links >= MAX_LINKS):
        return
    state.links += 1
    answer, link_fault = await sender.call(endpoint.path, ASSOCIATE_CALL,
                                           {"codigo_cliente_omie": fault.existing_id,
                                            "codigo_cliente_integracao": code})
    if link_fault is not None and not link_fault.maybe_committed:
        state.note = (f"duplicate CNPJ/CPF of client Id {fault.existing_id}; "
                      f"{ASSOCIATE_CALL} failed: \"{link_fault.faultstring}\"")
        return
    sender.stats.links += 1
    state.note = f"linked to existing client Id {fault.existing_id} via {ASSOCIATE_CALL}"
    state.check_first = False
    # Send the row again now; the identical UpsertCliente waits out the redundant window.
    await _attempt(sender, endpoint, item, state)


def _sent(item: Item, state: RowState, answer: Any, omie_id: Any, note: str | None = None) -> ItemResult:
    notes = "; ".join(n for n in (state.note, note) if n) or None
    return ItemResult(item.key, "sent", attempts=state.attempts,
                      response=answer if isinstance(answer, dict) else None,
                      omie_id=omie_id, note=notes)


def _failed(item: Item, state: RowState, fault: Fault | None, note: str | None = None) -> ItemResult:
    notes = "; ".join(n for n in (state.note, note) if n) or None
    body = state.last_answer if isinstance(state.last_answer, dict) else None
    return ItemResult(item.key, "failed", attempts=state.attempts, response=body,
                      fault=fault.faultstring if fault else None,
                      faultcode=fault.faultcode if fault else None, note=notes,
                      uncertain=state.lost_before)


def _halted(item: Item, state: RowState, reason: str) -> ItemResult:
    if state.attempts == 0:
        notes = "; ".join(n for n in (state.note, reason) if n)
        return ItemResult(item.key, "not_attempted", note=notes)
    return _failed(item, state, state.last_fault, reason)
