"""Talking to Omie: transport, fault classes, pacing, retries, breaker, batches.

The pusher (omie_push.push) hands each endpoint's items to a `Sender` (see `types`); how the
calls are paced, retried and deduplicated is this package's business alone (docs/traffic.md).

    async with make_sender(settings) as sender:
        await sender.send(endpoint, items, on_result)   # several endpoints may run at once
        if sender.stopped_reason: ...                     # 403/425: the run was stopped

This module imports nothing heavy at the top: `omie-push --help` must stay fast.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .types import Budgets, Item, ItemResult, Sender, TargetSettings

if TYPE_CHECKING:
    from .plan import Estimate
    from .sender import OmieSender

__all__ = ["Budgets", "Estimate", "Item", "ItemResult", "OmieSender", "Sender", "TargetSettings",
           "combine", "estimate", "make_sender"]


def make_sender(settings: TargetSettings, *, transport: Any = None, clock: Any = None,
                ip_limiter: Any = None) -> "OmieSender":
    """The real Sender for a target; `transport` (an httpx transport) and `clock` are for tests;
    `ip_limiter` (`pacing.ip_budget`) is the per-IP budget shared with other app keys."""
    from .sender import OmieSender

    return OmieSender(settings, transport=transport, clock=clock, ip_limiter=ip_limiter)


def estimate(endpoint, n_items: int, settings: TargetSettings, **kw: Any) -> "Estimate":
    """The plan of one endpoint: `Estimate(calls, seconds)` at the budgets and nominal latency."""
    from .plan import estimate as _estimate

    return _estimate(endpoint, n_items, settings, **kw)


def combine(estimates, settings: TargetSettings) -> "Estimate":
    """The plan of endpoints sent at the same time (they share the per-IP budget)."""
    from .plan import combine as _combine

    return _combine(estimates, settings)


def __getattr__(name: str) -> Any:
    if name == "OmieSender":
        from .sender import OmieSender

        return OmieSender
    if name == "Estimate":
        from .plan import Estimate

        return Estimate
    raise AttributeError(name)
