"""Reading Omie's records back through the push's own sender: Listar* pages and Consultar*.

Every read is a `Caller.call` of the run's sender, so it is paced within the same budgets
(per method, per IP, reads in flight), deduplicated against the redundant window and counted
by the same breakers as the writes: there is no second HTTP path to Omie. A retryable fault
(429, REDUNDANT, a timeout) is tried again as the sender's rows are (`client.retry`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog import Endpoint
from ..catalog.reads import PAGE_SIZE, ListRead
from ..client import lookup
from ..client.faults import Fault, FaultClass
from ..client.retry import retrying
from ..errors import RetryableError
from . import diff


@dataclass
class Listing:
    """The records some Listar* pages held, and what reading them cost."""

    records: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0
    pages: int = 0                  # total_de_paginas of the filter
    fault: Fault | None = None      # why the listing stopped short (None: read whole)


async def read(sender, path: str, call: str, param: dict[str, Any]) -> tuple[Any, Fault | None, int]:
    """One read with the sender's retries: (answer, fault or None, calls made)."""
    calls = 0
    last: Fault | None = None
    try:
        async for attempt in retrying(sender.settings, sender.sleep):
            with attempt:
                answer, fault = await sender.call(path, call, param)
                calls += fault is None or fault.kind != "stopped"
                if fault is None:
                    return answer.body, None, calls
                last = fault
                if fault.fault_class is FaultClass.RETRYABLE:
                    raise fault.error(call)
                return None, fault, calls
    except RetryableError:
        pass
    return None, last, calls


def empty(fault: Fault | None) -> bool:
    """A filter matching nothing: Omie answers a Client-5113 fault, never an empty page."""
    return fault is not None and fault.kind == "no_records"


async def list_pages(sender, endpoint: Endpoint, reading: ListRead, filters: dict[str, Any],
                     max_pages: int | None = None) -> Listing:
    """Every page of a Listar* call (or the first `max_pages`), 500 records a page."""
    out = Listing()
    page = 1
    while True:
        param = {"pagina": page, "registros_por_pagina": PAGE_SIZE, **reading.extra, **filters}
        body, fault, calls = await read(sender, endpoint.path, reading.call, param)
        out.calls += calls
        if fault is not None:
            out.fault = None if empty(fault) else fault
            return out
        records = body.get(reading.array) or [] if isinstance(body, dict) else []
        out.records.extend(r for r in records if isinstance(r, dict))
        out.pages = int(body.get("total_de_paginas") or 1)
        if page >= out.pages or (max_pages is not None and page >= max_pages):
            return out
        page += 1


async def consult(sender, endpoint: Endpoint, key: str) -> tuple[dict[str, Any] | None, Fault | None, int]:
    """Omie's record of one integration code by Consultar* (None, None when Omie has none)."""
    param = lookup.lookup_param(endpoint, {}, diff.lookup_of(endpoint, key))
    if param is None or not endpoint.lookup_call or not endpoint.lookup_call.startswith("Consultar"):
        return None, None, 0
    body, fault, calls = await read(sender, endpoint.path, endpoint.lookup_call, param)
    if fault is not None:
        return None, (None if fault.kind == "not_found" else fault), calls
    return body if isinstance(body, dict) else None, None, calls
