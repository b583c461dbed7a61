"""TrafficConfig: every number of Omie's traffic rules in one object, built from the CLI specs."""
from __future__ import annotations

from dataclasses import dataclass, field

from ...catalog import limits as omie_limits
from .clock import Clock, SystemClock
from .spec import FaultSpec, LatencySpec, LimitsSpec


@dataclass(frozen=True)
class TrafficConfig:
    """Omie's limits (omie-api.md §2), the latency and the faults the sandbox applies.

    The defaults are Omie's real numbers. `scale` multiplies only the per-minute rates; the
    concurrency rules, the REDUNDANT window and the misuse block keep Omie's values.
    """

    limits: LimitsSpec = field(default_factory=LimitsSpec)
    latency: LatencySpec = field(default_factory=LatencySpec)
    faults: FaultSpec = field(default_factory=FaultSpec)
    seed: int = 0
    clock: Clock = field(default_factory=SystemClock)
    per_ip_per_minute: int = omie_limits.CALLS_PER_MINUTE_PER_IP
    per_method_per_minute: int = omie_limits.CALLS_PER_MINUTE_PER_METHOD
    reads_in_flight: int = omie_limits.READS_IN_FLIGHT_PER_METHOD
    writes_in_flight: int = omie_limits.WRITES_IN_FLIGHT_PER_METHOD
    redundant_window_s: float = omie_limits.REDUNDANT_WINDOW_SECONDS
    misuse_errors: int = omie_limits.MISUSE_ERRORS
    misuse_window_s: float = omie_limits.MISUSE_WINDOW_SECONDS
    misuse_block_s: float = omie_limits.MISUSE_BLOCK_SECONDS

    @classmethod
    def parse(cls, limits: str | None = "real", latency_ms: str | int | None = None,
              faults: str | None = None, seed: int = 0, clock: Clock | None = None,
              **numbers) -> "TrafficConfig":
        """Build from the `sandbox serve` option strings; raises TrafficSpecError on a bad one."""
        return cls(limits=LimitsSpec.parse(limits), latency=LatencySpec.parse(latency_ms),
                   faults=FaultSpec.parse(faults), seed=int(seed),
                   clock=clock or SystemClock(), **numbers)

    @property
    def ip_rate(self) -> int:
        """Calls per minute allowed from one client IP."""
        return max(1, round(self.per_ip_per_minute * self.limits.scale))

    @property
    def method_rate(self) -> int:
        """Calls per minute allowed per app key and method."""
        return max(1, round(self.per_method_per_minute * self.limits.scale))
