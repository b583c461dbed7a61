"""The contract between the pusher and the sender, in plain dataclasses.

The pusher turns rows into `Item`s; the sender makes the Omie calls and reports one
`ItemResult` per item, each as soon as it is known, so the ledger can be written right after
Omie's answer and never before.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal, Protocol, Sequence

from ..catalog import limits as omie_limits
from ..catalog import Endpoint

ResultStatus = Literal["sent", "failed", "not_attempted"]


@dataclass(frozen=True)
class Budgets:
    """Omie's limits as the sender must respect them (omie-api.md §2); a user may lower them."""

    calls_per_minute_per_method: int = omie_limits.CALLS_PER_MINUTE_PER_METHOD
    calls_per_minute_per_ip: int = omie_limits.CALLS_PER_MINUTE_PER_IP
    reads_in_flight_per_method: int = omie_limits.READS_IN_FLIGHT_PER_METHOD
    writes_in_flight_per_method: int = omie_limits.WRITES_IN_FLIGHT_PER_METHOD
    redundant_window_seconds: float = omie_limits.REDUNDANT_WINDOW_SECONDS
    # Omie blocks a method for ~30 min on its 10th errored call (§2); the sender's breaker keeps
    # the errors of each method within this window below that count.
    misuse_errors: int = omie_limits.MISUSE_ERRORS
    misuse_window_seconds: float = omie_limits.MISUSE_WINDOW_SECONDS


@dataclass(frozen=True)
class TargetSettings:
    """One target of omie_push.yml, resolved: where to send and how carefully."""

    name: str
    base_url: str                       # API root, e.g. https://app.omie.com.br/api/v1
    app_key: str
    app_secret: str = field(repr=False)  # never printed: repr=False keeps it out of tracebacks
    budgets: Budgets = Budgets()
    timeout_seconds: float = 60.0
    max_attempts: int = 5
    breaker_threshold: int = 5          # consecutive refusals on one method that stop the endpoint
    lot_size: int = 50                  # UpsertContaReceberPorLote records per call (0: single calls)
    associate_duplicates: bool = False  # on a duplicate CNPJ/CPF, AssociarCodIntCliente and retry
    max_deletes: int = 20               # records one run may delete per Excluir endpoint (--allow-deletes)
    # A `report` drift check with nothing to write runs at most this often (0: every run;
    # docs/drift.md): a push every few minutes need not list Omie's changes each time
    drift_check_minutes: float = 0.0
    # Per-call latency the plan (client.estimate) assumes; None: plan.DEFAULT_LATENCY_SECONDS.
    nominal_latency_seconds: float | None = None


@dataclass(frozen=True)
class Item:
    """One record to send: its ledger key and the `param[0]` object of the endpoint's call."""

    key: str
    param: dict[str, Any]
    payload_hash: str
    # Lookup object to ask Omie whether the record exists after a lost answer
    # (e.g. {"codigo_cliente_integracao": "C-001"}); None where Omie has no such lookup.
    lookup: dict[str, Any] | None = None


@dataclass
class ItemResult:
    """What became of one item."""

    key: str
    status: ResultStatus
    attempts: int = 0
    response: dict[str, Any] | None = None   # Omie's answer, as received
    omie_id: int | str | None = None         # codigo_cliente_omie, codigo_lancamento_omie, codigo, nCodCtr...
    fault: str | None = None                 # Omie's faultstring, quoted as sent
    faultcode: str | None = None
    note: str | None = None                  # e.g. "breaker open after 5 refusals", "linked to Id 123"
    uncertain: bool = False                  # failed, but an earlier write's answer was lost: it may have landed


OnResult = Callable[[ItemResult], Awaitable[None] | None]


class Sender(Protocol):
    """Sends the items of one endpoint; several endpoints may be sent concurrently."""

    async def send(self, endpoint: Endpoint, items: Sequence[Item], on_result: OnResult) -> None:
        """Report exactly one ItemResult per item through `on_result`, in any order."""
        ...
