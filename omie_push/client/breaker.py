"""Stop a method before Omie blocks it.

Omie blocks an app key + method for about 30 minutes on its 10th errored call, and every
further error extends the block (omie-api.md §2, §5.5). A view whose rows Omie refuses one
after another would walk straight into that; the breaker stops the endpoint after
`breaker_threshold` (5) consecutive refusals, leaving room for the lookups and retries of the
rows already in flight. Any accepted call closes the streak.

Retryable faults (Broken response, REDUNDANT, 1880...) are errored calls to Omie too, but they
come and go; they have their own, longer streak (`threshold * 2 - 1`, at most 9) so a burst of
hiccups does not stop a healthy endpoint while a method that only fails still stops short of 10.
"""
from __future__ import annotations

from .faults import Fault, FaultClass


class Breaker:
    """Consecutive errors of one method; `open` once a streak reaches its threshold."""

    def __init__(self, call: str, threshold: int):
        self.call = call
        self.threshold = max(1, threshold)
        self.hiccup_threshold = min(9, self.threshold * 2 - 1)
        self.refusals = 0
        self.errors = 0
        self.reason: str | None = None

    @property
    def open(self) -> bool:
        return self.reason is not None

    def succeeded(self) -> None:
        self.refusals = 0
        self.errors = 0

    def failed(self, fault: Fault) -> None:
        if fault.http_status is None:
            return   # timeouts and dropped connections: Omie never answered an error
        self.errors += 1
        if fault.fault_class is FaultClass.RECORD:
            self.refusals += 1
        if self.open:
            return
        if fault.kind == "no_permission":
            self.reason = f"{self.call} is not allowed for this app: \"{fault.faultstring}\""
        elif self.refusals >= self.threshold:
            self.reason = (f"breaker open after {self.refusals} consecutive refusals on "
                           f"{self.call}; last: \"{fault.faultstring}\"")
        elif self.errors >= self.hiccup_threshold:
            self.reason = (f"breaker open after {self.errors} consecutive errors on "
                           f"{self.call}; last: \"{fault.faultstring}\"")
