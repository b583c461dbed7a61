"""Stop a method before Omie blocks it.

Omie blocks an app key + method for about 30 minutes on its 10th errored call within its
window, and every further error extends the block (omie-api.md §2, §5.5). Successes do not
wipe the count. The breaker of a method opens, stopping the endpoint, on whichever comes first:

- `breaker_threshold` (5) consecutive refusals: a view whose rows Omie refuses one after another
  stops after five calls, leaving room for the lookups and retries of rows already in flight;
- `misuse_errors - 2` (8) errors within `misuse_window_seconds` (30 min): scattered refusals add
  up at Omie even between successes, so the breaker counts them the same way;
- 9 consecutive errored answers of any kind (Broken response, 5xx...): a method that only
  fails is not worth more calls, while a few hiccups among successes never stop it.

Counted as errors in Omie's window: refusals of the row and `Client-1880`. Not counted: 429s and
infrastructure faults (the sandbox counts them the same way), nor REDUNDANT, which the sender
never provokes (it never repeats a request within the window) and which then only hides a
committed write.
"""
from __future__ import annotations

from collections import deque

from .faults import Fault, FaultClass
from .types import Budgets

MISUSE_MARGIN = 2          # errors kept spare below Omie's count, for rows already in flight
STREAK_OF_ANY_FAULT = 9


class Breaker:
    """The error record of one method; `open` (with `reason`) once it must stop."""

    def __init__(self, call: str, threshold: int, budgets: Budgets | None = None):
        budgets = budgets or Budgets()
        self.call = call
        self.threshold = max(1, threshold)
        self.window = budgets.misuse_window_seconds
        self.max_errors = max(1, budgets.misuse_errors - MISUSE_MARGIN)
        self.refusals = 0          # consecutive refusals of the row
        self.streak = 0            # consecutive errored answers of any kind
        self.errors: deque[float] = deque()   # times of errors Omie counts
        self.reason: str | None = None

    @property
    def open(self) -> bool:
        return self.reason is not None

    def succeeded(self) -> None:
        self.refusals = 0
        self.streak = 0

    def failed(self, fault: Fault, now: float) -> None:
        if fault.http_status is None:
            return   # timeouts and dropped connections: Omie never answered an error
        self.streak += 1
        if fault.fault_class is FaultClass.RECORD:
            self.refusals += 1
        if fault.fault_class is FaultClass.RECORD or fault.kind == "method_busy":
            self.errors.append(now)
        while self.errors and self.errors[0] <= now - self.window:
            self.errors.popleft()
        if not self.open:
            self.reason = self._why(fault)

    def remember(self, ages: list[float], now: float) -> None:
        """Errors Omie counted in earlier runs, `ages` seconds ago: its window spans runs, so
        the breaker starts from them, and starts open when they already reach its limit."""
        for age in sorted(ages, reverse=True):
            if 0 <= age < self.window:
                self.errors.append(now - age)
        if len(self.errors) >= self.max_errors and not self.open:
            self.reason = (f"breaker open before any call: {len(self.errors)} refusals on "
                           f"{self.call} within the last {self.window / 60:g} min, earlier runs "
                           f"included (Omie blocks the method at "
                           f"{self.max_errors + MISUSE_MARGIN}); run again once they age out")

    def _why(self, fault: Fault) -> str | None:
        last = f"last: \"{fault.faultstring}\""
        if fault.kind == "no_permission":
            return f"{self.call} is not allowed for this app: \"{fault.faultstring}\""
        if self.refusals >= self.threshold:
            return f"breaker open after {self.refusals} consecutive refusals on {self.call}; {last}"
        if len(self.errors) >= self.max_errors:
            return (f"breaker open after {len(self.errors)} refusals on {self.call} within "
                    f"{self.window / 60:g} min (Omie blocks the method at "
                    f"{self.max_errors + MISUSE_MARGIN}); {last}")
        if self.streak >= STREAK_OF_ANY_FAULT:
            return f"breaker open after {self.streak} consecutive errors on {self.call}; {last}"
        return None
