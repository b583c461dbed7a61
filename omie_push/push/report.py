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
    to_delete: list[str] = field(default_factory=list)   # dry run of an Excluir endpoint: the keys
    drift: dict[str, Any] | None = None        # the drift check's summary (push/drift.py)
    live: list[dict[str, Any]] | None = None   # --dry-run --live: per row, create/update (push/live.py)
    live_errors: list[str] | None = None
    plan_calls: int | None = None    # the estimate before sending (dry run or not)
    plan_seconds: float | None = None
    timings: dict[str, float] = field(default_factory=dict)   # seconds per prepare stage

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
    company: str | None = None       # the Omie company the preflight found the key belongs to
    # (view, key) -> the validation reasons of a rejected row (Reason dicts), for --json
    reasons: dict[tuple[str, str | None], list[dict[str, Any]]] = field(default_factory=dict)
    duration_seconds: float | None = None
    warnings: list[str] = field(default_factory=list)   # said before writing (journal, lost ledger)
    loop_lag_max_ms: float = 0.0     # the event loop's longest stall (push.run._watch_loop)

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
            if self.dry_run and e.to_delete:
                views[e.view]["to_delete"] = list(e.to_delete)
            if e.error:
                views[e.view]["error"] = e.error
            if e.stopped:
                views[e.view]["stopped"] = e.stopped
        out = {"run_id": self.run_id, "target": self.target, "dry_run": self.dry_run, "endpoints": views}
        out.update(self.drift_and_live())
        if self.stopped:
            out["stopped"] = self.stopped
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.company:
            out["company"] = self.company
        return out

    def as_json(self) -> dict[str, Any]:
        """What `--json` prints: the counts (as_dict), the outcome, exit code, duration, the plan
        and every refused row with its key, status and reasons."""
        plan = {e.view: {"to_send": e.to_send, "calls": e.plan_calls,
                         "estimated_seconds": e.plan_seconds} for e in self.endpoints}
        refused = [{"view": view, "key": key, "status": status,
                    "reasons": self.reasons.get((view, key)) or [{"message": why}]}
                   for view, key, status, why in self.problems]
        out = {**self.as_dict(), "outcome": self.outcome, "exit_code": self.exit_code,
               "duration_seconds": self.duration_seconds, "plan": plan, "refused": refused,
               "loop_lag_max_ms": round(self.loop_lag_max_ms, 1)}
        timings = {e.view: {k: round(v, 3) for k, v in e.timings.items()}
                   for e in self.endpoints if e.timings}
        if timings:                    # where each view's preparation spent its time
            out["timings"] = timings
        return out

    def drift_and_live(self) -> dict[str, Any]:
        """Per main view: the drift check's summary (docs/drift.md) and, for --dry-run --live,
        each row's create/update with the fields that change (and the reads that failed)."""
        out: dict[str, Any] = {}
        drift = {e.view: e.drift for e in self.endpoints if e.drift is not None}
        live = {e.view: e.live for e in self.endpoints if e.live is not None}
        errors = {e.view: e.live_errors for e in self.endpoints if e.live_errors}
        if drift:
            out["drift"] = drift
        if live:
            out["live"] = live
        if errors:
            out["live_errors"] = errors
        return out
