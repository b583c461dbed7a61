"""What a run did, endpoint by endpoint: the counts per view and status, why an endpoint
stopped or was not pushed, and the run's outcome and exit code (docs/cli.md)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("sent", "unchanged", "rejected", "failed", "held", "not_attempted")
BAD = {"rejected", "failed", "held", "not_attempted"}


@dataclass
class EndpointReport:
    """What one endpoint did (or, on a dry run, would do)."""

    endpoint: str
    view: str
    counts: Counter = field(default_factory=Counter)   # (view, status) -> n
    to_send: int = 0
    calls: int | None = None
    seconds: float | None = None
    stopped: str | None = None       # why the endpoint stopped early
    error: str | None = None         # why it was not pushed at all

    def view_counts(self) -> dict[str, dict[str, int]]:
        views = sorted({v for v, _ in self.counts} | {self.view}, key=lambda v: v != self.view)
        return {v: {s: self.counts[(v, s)] for s in STATUSES} for v in views}


@dataclass
class RunReport:
    run_id: str
    target: str
    dry_run: bool
    endpoints: list[EndpointReport] = field(default_factory=list)
    stopped: str | None = None
    problems: list[tuple[str, str | None, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # said before writing (journal, lost ledger)

    @property
    def exit_code(self) -> int:
        if self.stopped or any(e.stopped for e in self.endpoints):
            return 3
        bad = any(e.error or any(s in BAD for _, s in e.counts if e.counts[(_, s)])
                  for e in self.endpoints)
        return 1 if bad else 0

    @property
    def outcome(self) -> str:
        return {0: "success", 1: "finished with refused rows", 3: "stopped"}[self.exit_code]

    def as_dict(self) -> dict[str, Any]:
        views: dict[str, Any] = {}
        for e in self.endpoints:
            for view, counts in e.view_counts().items():
                views[view] = counts
            if self.dry_run:
                views[e.view].update(to_send=e.to_send, calls=e.calls, estimated_seconds=e.seconds)
            if e.error:
                views[e.view]["error"] = e.error
            if e.stopped:
                views[e.view]["stopped"] = e.stopped
        out = {"run_id": self.run_id, "target": self.target, "dry_run": self.dry_run, "endpoints": views}
        if self.stopped:
            out["stopped"] = self.stopped
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out
