"""The plan before sending: per endpoint, the calls to make and the time they take at the
budgets and the nominal latency (the ETA shown by the dry run and at the start of a run).

Per method, calls go at the slowest of three paces: the method's budget (60 / budget s apart,
with the sender's headroom), the latency over the calls allowed in flight (one write at a
time: a call every `latency` seconds), and the IP's budget. Endpoints sent at the same time
share the IP budget: `combine` gives their joint duration.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..catalog import Endpoint
from .pacing import is_read, spacing_seconds
from .types import TargetSettings

# Per-call latency assumed when the target names none: Omie's writes answer in roughly a
# quarter to half a second (an embedded sandbox's configuration sets its own).
DEFAULT_LATENCY_SECONDS = 0.3


@dataclass(frozen=True)
class Estimate:
    """The plan of one endpoint (or of several sent together)."""

    calls: int
    seconds: float
    call: str = ""
    interval: float = 0.0          # seconds between two calls of the method at its pace

    @property
    def calls_per_minute(self) -> float:
        return 60.0 / self.interval if self.interval else 0.0


def nominal_latency(settings: TargetSettings) -> float:
    """The latency the plan assumes: the target's own figure, or the default."""
    if settings.nominal_latency_seconds is not None:
        return settings.nominal_latency_seconds
    return DEFAULT_LATENCY_SECONDS


def calls_for(endpoint: Endpoint, n_items: int, settings: TargetSettings) -> tuple[str, int]:
    """Which call carries the rows and how many calls it takes (lots for contas a receber)."""
    from .lots import lot_count, uses_lots

    if uses_lots(endpoint, settings) and n_items > 1:
        return endpoint.batch_call or endpoint.call, lot_count(endpoint, n_items, settings)
    return endpoint.call, n_items


def estimate(endpoint: Endpoint, n_items: int, settings: TargetSettings, *,
             latency_seconds: float | None = None) -> Estimate:
    """Calls and seconds to send `n_items` rows of one endpoint when Omie answers on time."""
    call, calls = calls_for(endpoint, n_items, settings)
    latency = nominal_latency(settings) if latency_seconds is None else latency_seconds
    budgets = settings.budgets
    in_flight = budgets.reads_in_flight_per_method if is_read(call) \
        else budgets.writes_in_flight_per_method
    interval = max(spacing_seconds(budgets.calls_per_minute_per_method),
                   latency / max(1, in_flight),
                   spacing_seconds(budgets.calls_per_minute_per_ip))
    seconds = (calls - 1) * interval + latency if calls else 0.0
    return Estimate(calls, seconds, call, interval)


def combine(estimates: Iterable[Estimate], settings: TargetSettings) -> Estimate:
    """Endpoints sent at the same time: the longest of them, or the IP budget if it binds."""
    estimates = list(estimates)
    calls = sum(e.calls for e in estimates)
    longest = max((e.seconds for e in estimates), default=0.0)
    ip_bound = calls * spacing_seconds(settings.budgets.calls_per_minute_per_ip)
    return Estimate(calls, max(longest, ip_bound))
