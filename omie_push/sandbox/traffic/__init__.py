"""The sandbox's traffic layer: Omie's limits, latency and injected faults, as ASGI middleware.

    app = TrafficMiddleware(create_app(...), TrafficConfig.parse(limits="real", faults="broken=0.05"))

See docs/sandbox-traffic.md for every rule, its source in omie-api.md and the spec grammars.
Importing this package is light (stdlib only); httpx is imported with the middleware.
"""
from __future__ import annotations

from .clock import ManualClock, SystemClock
from .config import TrafficConfig
from .spec import FaultSpec, LatencySpec, LimitsSpec, TrafficSpecError

__all__ = ["TrafficConfig", "TrafficMiddleware", "TrafficSpecError", "LimitsSpec", "LatencySpec",
           "FaultSpec", "SystemClock", "ManualClock"]


def __getattr__(name):
    if name == "TrafficMiddleware":
        from .middleware import TrafficMiddleware
        return TrafficMiddleware
    raise AttributeError(name)
