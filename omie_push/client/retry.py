"""How long to wait before trying a row again, and when to give up.

Built on tenacity (a well-kept retry library: attempts, exponential backoff with jitter and an
injectable sleep are exactly its job). Two Omie rules sit on top of the backoff:

- when Omie names a wait ("Aguarde 16 segundos", "Tente novamente em N segundos"), wait that
  plus one second; a shorter wait would only earn another refusal and restart the window;
- an identical request is never re-sent within the redundant window (60 s): the sender's
  `RecentRequests` holds the re-send back, whatever the backoff says.
"""
from __future__ import annotations

from typing import Awaitable, Callable

from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_base, wait_exponential, wait_random

from ..errors import RetryableError
from .types import TargetSettings

NAMED_WAIT_MARGIN = 1.0   # seconds added to the wait Omie names (omie-api.md §5.3)


class OmieWait(wait_base):
    """The wait Omie named + 1 s; otherwise exponential backoff with jitter.

    A 429 names no wait: back off at least a third of the redundant window, as integrators
    do (20 s at Omie's 60 s), since a 429 means something else is spending the same budget.
    """

    def __init__(self, settings: TargetSettings):
        window = settings.budgets.redundant_window_seconds
        step = max(0.05, window / 60)          # 1 s at Omie's 60 s window
        self.backoff = wait_exponential(multiplier=step, max=window) + wait_random(0, step)
        self.rate_limit_floor = window / 3

    def __call__(self, retry_state) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        named = getattr(exc, "wait_seconds", None)
        if named is not None:
            return float(named) + NAMED_WAIT_MARGIN
        wait = self.backoff(retry_state)
        if getattr(exc, "http_status", None) == 429:
            wait = max(wait, self.rate_limit_floor)
        return wait


def retrying(settings: TargetSettings,
             sleep: Callable[[float], Awaitable[None]]) -> AsyncRetrying:
    """The retry loop of one row: retryable faults only, `max_attempts` calls at most."""
    return AsyncRetrying(
        stop=stop_after_attempt(max(1, settings.max_attempts)),
        wait=OmieWait(settings),
        retry=retry_if_exception_type(RetryableError),
        sleep=sleep,
        reraise=True,
    )
